// Saved runs: the page's JSON export as a file the page can open again. The
// file carries its format and version, and a checksum of its contents, so a
// file that was edited or damaged after saving is refused, like a malformed
// CSV: with a message, and nothing on the page changes. (The checksum finds
// edits and damage; it is no signature — anyone can compute it.) Opening a
// file restores the settings, θ, the history, the L₂ₛ estimate and the sweep
// exactly: JSON keeps every double as it was.
import { watchFiles } from './data-panel.js';
import { isL2s, isSweep, isTrainResult } from './protocol.js';

export const RUN_FILE_FORMAT = 'sparse-iht-run';
export const RUN_FILE_VERSION = 1;
// Larger than any run the page itself saves (a sweep of 60 points with θ is under 1 MB).
export const RUN_FILE_MAX_BYTES = 50_000_000;

const isPlainObject = (x) => typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
const isNumberArray = (x) => Array.isArray(x) && x.every((v) => typeof v === 'number');
const isIntArray = (x) => Array.isArray(x) && x.every((v) => Number.isSafeInteger(v));

// Typed arrays (θ, the support) become plain arrays, as JSON has no other.
const replacer = (key, value) => (ArrayBuffer.isView(value) ? Array.from(value) : value);

/** Two 32-bit FNV-1a hashes of the text's UTF-16 units with different offsets: 16 hex digits. */
export function checksumOf(text) {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/**
 * The text of a run file: { format, version, …contents, checksum }, the
 * checksum over the compact JSON of everything before it.
 */
export function runFileText(contents) {
  const body = JSON.parse(JSON.stringify({ format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, ...contents }, replacer));
  const checksum = checksumOf(JSON.stringify(body));
  return `${JSON.stringify({ ...body, checksum }, null, 2)}\n`;
}

// A finished run's history: one entry per iterate θ_0 … θ_k.
function historyProblem(train) {
  const h = train.history;
  if (!isPlainObject(h)) return 'the run has no history';
  const length = h.loss?.length;
  for (const key of ['loss', 'trainAccuracy']) if (!isNumberArray(h[key]) || h[key].length !== length) return `history.${key} is not a list of numbers of one length`;
  if (!isNumberArray(h.testAccuracy) || (h.testAccuracy.length !== 0 && h.testAccuracy.length !== length)) return 'history.testAccuracy is not a list of numbers';
  for (const key of ['nnz', 'entered', 'left']) if (!isIntArray(h[key]) || h[key].length !== length) return `history.${key} is not a list of integers of one length`;
  if (length !== train.iterations + 1) return `the history has ${length} entries for ${train.iterations} iterations`;
  return null;
}

// θ, its support and s must agree: the support lists θ's nonzero entries, at most s of them.
function thetaProblem(train, s) {
  const { theta, support, n } = train;
  if (!Number.isSafeInteger(train.iterations) || train.iterations < 0) return 'the iteration count is not a whole number';
  if (theta.length !== n || !theta.every(Number.isFinite)) return `θ is not ${n} finite numbers`;
  if (train.s !== s) return `the run's s = ${train.s} differs from its settings' s = ${s}`;
  if (support.length > s) return `the support has ${support.length} entries, more than s = ${s}`;
  const inSupport = new Set(support);
  if (inSupport.size !== support.length || support.some((i) => i < 0 || i >= n)) return 'the support lists an entry twice or outside θ';
  if (theta.some((x, i) => x !== 0 && !inSupport.has(i))) return 'θ has a nonzero entry outside its support';
  return null;
}

/**
 * Reads a run file's text. Returns { run: { settings, train, l2s, sweep,
 * sweepSettings, dataName } } or { error } (one sentence, without the file's
 * name). pageState: the page's state functions (state.js createState).
 */
export function readRunFile(text, pageState) {
  const fail = (why) => ({ error: why });
  if (typeof text !== 'string' || text.length === 0) return fail('the file is empty.');
  if (text.length > RUN_FILE_MAX_BYTES) return fail(`the file is larger than ${RUN_FILE_MAX_BYTES / 1e6} MB, more than any run the page saves.`);
  let doc;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    return fail(`it is not JSON (${err.message}).`);
  }
  if (!isPlainObject(doc) || doc.format !== RUN_FILE_FORMAT) {
    return fail(`it is not a run saved by this page (a saved run has "format": "${RUN_FILE_FORMAT}"; use Download → All results (JSON)).`);
  }
  if (!Number.isSafeInteger(doc.version) || doc.version < 1) return fail('its format version is missing or invalid.');
  if (doc.version > RUN_FILE_VERSION) {
    return fail(`it was saved in format version ${doc.version}, by a newer version of the page; this page reads version ${RUN_FILE_VERSION}.`);
  }
  const { checksum, ...body } = doc;
  if (typeof checksum !== 'string') return fail('it has no checksum, so it cannot be told apart from an edited file.');
  if (checksumOf(JSON.stringify(body)) !== checksum) {
    return fail('it was changed after it was saved: its checksum does not match its contents.');
  }

  // The settings: every run setting, each valid for this page.
  if (!isPlainObject(body.settings)) return fail('it has no settings.');
  const picked = {};
  for (const key of pageState.KEYS) {
    if (!pageState.FIELDS[key].run && key !== 'speed') continue;
    if (!Object.hasOwn(body.settings, key)) return fail(`its settings lack ${key}.`);
    picked[key] = body.settings[key];
  }
  const parsed = pageState.parsePartialState(picked);
  if ('error' in parsed) return fail(`its settings are invalid: ${parsed.error}.`);
  const settings = parsed.values;

  const train = body.train;
  if (!isTrainResult(train) || !isPlainObject(train.history)) return fail('its run is incomplete or malformed.');
  const problem = historyProblem(train) ?? thetaProblem(train, settings.s);
  if (problem) return fail(`its run is inconsistent: ${problem}.`);
  if (body.l2s !== null && body.l2s !== undefined && !isL2s(body.l2s)) return fail('its L₂ₛ estimate is malformed.');
  if (body.sweep !== null && body.sweep !== undefined && !isSweep(body.sweep)) return fail('its sweep is malformed.');
  const sweepSettings = body.sweepSettings ?? null;
  if (sweepSettings !== null && typeof sweepSettings !== 'string') return fail('its sweep settings are malformed.');
  const dataName = isPlainObject(body.data) && typeof body.data.name === 'string' ? body.data.name : null;
  if (settings.data === 'csv' && dataName === null) return fail('it names no CSV file.');

  return { run: { settings, train, l2s: body.l2s ?? null, sweep: body.sweep ?? null, sweepSettings, dataName } };
}

/**
 * The file input and drop zone for run files: onText(text, name) with the
 * file's text, onError(message) for a file that cannot be read.
 */
export function watchRunInput({ input, dropZone, onText, onError }) {
  async function read(file) {
    if (!file) return;
    if (file.size > RUN_FILE_MAX_BYTES) {
      onError(`${file.name}: the file is larger than ${RUN_FILE_MAX_BYTES / 1e6} MB, more than any run the page saves. Nothing was changed.`);
      return;
    }
    try {
      onText(await file.text(), file.name);
    } catch (err) {
      onError(`${file.name} could not be read: ${err.message}`);
    }
  }
  watchFiles(input, dropZone, read);
}
