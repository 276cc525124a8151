// Issue #5: every entry of tests/bad_inputs.json against the native command
// line (build/native/iht), the npm command line (node dist/cli.mjs) and the
// JavaScript API. The C++ API runs the same table in
// tests/core/test_bad_inputs.cpp.
//
// A bad input exits with status 2, prints nothing on stdout and exactly one
// line, "iht: " + the entry's error, on stderr; the JS API throws an Error
// whose message contains the error (with "--name:" rewritten as
// "name (--name):"). An accepted input succeeds, and a diverging run keeps a
// finite θ.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';

import load from '../../dist/index.node.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NATIVE_IHT = join(ROOT, 'build', 'native', 'iht');
const NPM_CLI = join(ROOT, 'dist', 'cli.mjs');
for (const file of [NATIVE_IHT, NPM_CLI]) {
  assert.ok(existsSync(file), `${file} is missing: run 'bash scripts/build.sh' first`);
}

const TABLE = JSON.parse(readFileSync(join(ROOT, 'tests', 'bad_inputs.json'), 'utf8'));
const ENTRIES = TABLE.entries;
const tmp = mkdtempSync(join(tmpdir(), 'sparse-iht-bad-inputs-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const kebab = (name) => name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
// The JS layer's rewrite of the core's messages (wasm/js/api.js).
const jsMessage = (message) =>
  message.replace(/^--([a-z][a-z0-9-]*)/, (flag, name) => `${camel(name)} (${flag})`);

/** The generated CSV texts; tests/core/test_bad_inputs.cpp builds the same bytes. */
export function generateCsv({ kind, count, bytes }) {
  if (kind === 'rows') {
    const names = ['alpha', 'beta', 'gamma'];
    const parts = ['x1,x2,x3,label\n'];
    for (let i = 0; i < count; ++i) {
      parts.push(`${i % 1000},${i % 97}.5,-${i % 13}.25,${names[i % 3]}\n`);
    }
    return parts.join('');
  }
  if (kind === 'long-line') return 'a,label\n1,x\n2,y\n' + '7'.repeat(bytes) + ',x\n';
  throw new Error(`unknown generator ${kind}`);
}

const texts = new Map();
/** The entry's CSV as a string (UTF-8) or a Buffer (exact bytes); undefined for IRIS. */
function csvOf(entry) {
  if (entry.generate) {
    if (!texts.has(entry.id)) texts.set(entry.id, generateCsv(entry.generate));
    return texts.get(entry.id);
  }
  if (entry.csv === undefined) return undefined;
  return entry.csvEncoding === 'latin1' ? Buffer.from(entry.csv, 'latin1') : entry.csv;
}
const nameOf = (entry) => entry.name ?? 'bad.csv';
const commandOf = (entry) => entry.command ?? 'train';

function cliArgs(entry, json) {
  const args = [commandOf(entry)];
  for (const [name, value] of Object.entries(entry.options ?? {})) {
    args.push(`--${kebab(name)}`, Array.isArray(value) ? value.join(',') : String(value));
  }
  if (entry.csv !== undefined || entry.generate) args.push('--data', nameOf(entry));
  if (json) args.push('--json');
  return args;
}

function jsOptions(entry) {
  const options = {};
  for (const [name, value] of Object.entries(entry.options ?? {})) {
    options[name] = value === 'NaN' || value === 'Infinity' ? Number(value) : value;
  }
  const csv = csvOf(entry);
  if (csv !== undefined) {
    options.data = { csv: Buffer.isBuffer(csv) ? new Uint8Array(csv) : csv, name: nameOf(entry) };
  }
  return options;
}

function runProcess(file, args, { cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: { ...process.env, ...env } });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({
      status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'),
    }));
  });
}

// Writes peak memory to $SPARSE_IHT_RSS_FILE when the npm command exits.
const RSS_HOOK = 'data:text/javascript,' + encodeURIComponent(
  'import { writeFileSync } from "node:fs";' +
  'process.on("exit", () => { if (process.env.SPARSE_IHT_RSS_FILE) ' +
  'writeFileSync(process.env.SPARSE_IHT_RSS_FILE, String(process.resourceUsage().maxRSS)); });');

/** Runs both command lines on the entry; returns [native, npm] results. */
async function runBoth(entry, json) {
  const dir = mkdtempSync(join(tmp, `${entry.id}-`));
  const csv = csvOf(entry);
  if (csv !== undefined) writeFileSync(join(dir, nameOf(entry)), csv);
  const args = cliArgs(entry, json);
  let native;
  let npm;
  if (entry.maxRssMb) {
    // Native: under a virtual-memory limit, so a run that tries to use more fails.
    const limitKb = entry.maxRssMb * 1024;
    const rssFile = join(dir, 'npm-rss');
    [native, npm] = await Promise.all([
      runProcess('bash', ['-c', `ulimit -v ${limitKb} && exec "$0" "$@"`, NATIVE_IHT, ...args], { cwd: dir }),
      runProcess(process.execPath, ['--import', RSS_HOOK, NPM_CLI, ...args],
        { cwd: dir, env: { SPARSE_IHT_RSS_FILE: rssFile } }),
    ]);
    const rssKb = Number(readFileSync(rssFile, 'utf8'));
    assert.ok(rssKb <= limitKb, `npm command line: peak RSS ${Math.round(rssKb / 1024)} MB > ${entry.maxRssMb} MB`);
  } else {
    [native, npm] = await Promise.all([
      runProcess(NATIVE_IHT, args, { cwd: dir }),
      runProcess(process.execPath, [NPM_CLI, ...args], { cwd: dir }),
    ]);
  }
  rmSync(dir, { recursive: true, force: true });
  return [['native iht', native], ['npm sparse-iht', npm]];
}

const allFinite = (values, where) => {
  for (const [i, v] of Array.from(values).entries()) {
    assert.ok(Number.isFinite(v), `${where}[${i}] = ${v} is not finite`);
  }
};

// A train result (JS object or parsed --json) or a sweep's dense run and points.
function checkAccepted(entry, result, where) {
  const { accept } = entry;
  const train = commandOf(entry) === 'sweep' ? result.dense : result;
  allFinite(train.theta, `${where}: theta`);
  assert.ok(Number.isFinite(train.trainLoss), `${where}: trainLoss ${train.trainLoss}`);
  allFinite(train.history.loss, `${where}: history.loss`);
  if (accept.status) assert.equal(train.status, accept.status, `${where}: status`);
  if (accept.minIterations !== undefined) {
    assert.ok(train.iterations >= accept.minIterations, `${where}: ${train.iterations} iterations`);
  }
  // The reported state is the last recorded (finite) iterate, also after a divergence.
  assert.equal(train.history.loss.length, train.iterations + 1, `${where}: history length`);
  assert.equal(train.trainLoss, train.history.loss[train.iterations], `${where}: trainLoss is the last history loss`);
  if (accept.features) assert.deepEqual(train.features, accept.features, `${where}: features`);
  if (accept.classes) assert.deepEqual(train.classes, accept.classes, `${where}: classes`);
  if (commandOf(entry) === 'sweep') {
    for (const p of result.points) {
      allFinite(p.theta, `${where}: points[s=${p.s}].theta`);
      assert.ok(Number.isFinite(p.trainLoss), `${where}: points[s=${p.s}].trainLoss`);
    }
  }
}

// θ of accepted runs by surface and id, for "sameAs". Tests may run at the
// same time, so each is a promise that settles when its run is done (with
// null if it failed).
const thetas = new Map();
function thetaOf(surface, id) {
  const key = `${surface} ${id}`;
  if (!thetas.has(key)) {
    let resolve;
    const promise = new Promise((r) => { resolve = r; });
    thetas.set(key, { promise, resolve });
  }
  return thetas.get(key);
}
async function checkSameAs(entry, surface, theta) {
  thetaOf(surface, entry.id).resolve(Array.from(theta));
  const other = entry.accept?.sameAs;
  if (!other) return;
  assert.ok(ENTRIES.some((e) => e.id === other), `${entry.id}: sameAs names no entry`);
  const expected = await thetaOf(surface, other).promise;
  assert.ok(expected, `${surface}: ${other} failed, so ${entry.id} cannot be compared with it`);
  assert.deepEqual(Array.from(theta), expected, `${surface}: ${entry.id} differs from ${other}`);
}
const settle = (surfaces, id) => { for (const surface of surfaces) thetaOf(surface, id).resolve(null); };

test('the table is well formed', () => {
  const ids = new Set();
  for (const e of ENTRIES) {
    assert.match(e.id, /^[a-z0-9-]+$/, `id ${e.id}`);
    assert.ok(!ids.has(e.id), `duplicate id ${e.id}`);
    ids.add(e.id);
    assert.ok(Array.isArray(e.surface) && e.surface.length > 0, `${e.id}: surface`);
    assert.ok((e.error === undefined) !== (e.accept === undefined), `${e.id}: error or accept, not both`);
    assert.ok(['train', 'sweep', 'lipschitz'].includes(commandOf(e)), `${e.id}: command`);
    const other = e.accept?.sameAs && ENTRIES.find((o) => o.id === e.accept.sameAs);
    if (e.accept?.sameAs) {
      assert.ok(other && ids.has(other.id), `${e.id}: sameAs must name an earlier entry`);
      assert.ok(e.surface.every((s) => other.surface.includes(s)), `${e.id}: sameAs ${other.id} on fewer surfaces`);
    }
  }
  // The minimum the issue asks for.
  for (const id of ['csv-empty', 'csv-header-only', 'csv-ragged-short-row', 'csv-non-numeric-cell', 'csv-nan',
    'csv-inf', 'csv-single-class', 'csv-one-sample-per-class', 'csv-label-column-missing', 'csv-million-rows',
    'csv-100mb-line', 'csv-invalid-utf8-cell', 'csv-bom-crlf', 's-zero', 's-above-n', 's-negative',
    's-fractional', 'step-zero', 'step-negative', 'step-nan', 'iters-zero', 'iters-billion', 'unknown-option',
    'hidden-zero', 'step-diverges']) {
    assert.ok(ids.has(id), `missing entry ${id}`);
  }
});

describe('command line: native iht and npm sparse-iht', { concurrency: 2 }, () => {
  for (const entry of ENTRIES.filter((e) => e.surface.includes('cli'))) {
    test(entry.id, async () => {
      try {
        await cliEntry(entry);
      } finally {
        settle(['native iht', 'npm sparse-iht'], entry.id);
      }
    });
  }
});

async function cliEntry(entry) {
  const runs = await runBoth(entry, entry.accept !== undefined);
  for (const [where, r] of runs) {
    const context = `${where} ${cliArgs(entry, entry.accept !== undefined).join(' ')}`;
    assert.equal(r.signal, null, `${context}: killed by ${r.signal}`);
    if (entry.error !== undefined) {
      assert.equal(r.stderr, `iht: ${entry.error}\n`, `${context}: stderr`);
      assert.equal(r.status, 2, `${context}: exit status`);
      assert.equal(r.stdout, '', `${context}: stdout`);
    } else {
      assert.equal(r.stderr, '', `${context}: stderr`);
      assert.equal(r.status, 0, `${context}: exit status`);
      const result = JSON.parse(r.stdout);
      checkAccepted(entry, result, context);
      await checkSameAs(entry, where, (commandOf(entry) === 'sweep' ? result.dense : result).theta);
    }
  }
}

describe('JavaScript API', async () => {
  // The module's WebAssembly.Memory (not part of the API), caught as it is
  // instantiated, to check entries with a memory bound.
  let memory = null;
  const { instantiate } = WebAssembly;
  WebAssembly.instantiate = async function patched(...args) {
    const result = await instantiate.apply(this, args);
    const exports = (result.instance ?? result).exports ?? {};
    memory ??= Object.values(exports).find((e) => e instanceof WebAssembly.Memory) ?? null;
    return result;
  };
  const iht = await load();
  WebAssembly.instantiate = instantiate;
  const call = {
    train: (o) => iht.train(o),
    sweep: (o) => iht.sweep(o),
    lipschitz: (o) => iht.estimateL2s(o),
  };
  for (const entry of ENTRIES.filter((e) => e.surface.includes('js'))) {
    test(entry.id, async () => {
      try {
        await jsEntry(entry);
      } finally {
        settle(['js'], entry.id);
      }
    });
  }

  async function jsEntry(entry) {
    const options = jsOptions(entry);
    const run = () => call[commandOf(entry)](options);
    if (entry.error !== undefined) {
      const expected = entry.jsError ?? jsMessage(entry.error);
      assert.throws(run, (error) => {
        assert.ok(error instanceof Error, `not an Error: ${error}`);
        assert.ok(error.message.includes(expected), `message: ${error.message}\nexpected: ${expected}`);
        return true;
      });
      if (entry.maxRssMb) {
        assert.ok(memory, 'the WebAssembly.Memory of the module was not found');
        const mb = memory.buffer.byteLength / 2 ** 20;
        assert.ok(mb <= entry.maxRssMb, `the wasm memory grew to ${mb} MB (at most ${entry.maxRssMb})`);
      }
      return;
    }
    const result = run();
    checkAccepted(entry, result, 'js');
    if (entry.accept.samples !== undefined) {
      const data = iht.parseCsv(options.data.csv, { label: options.label });
      assert.equal(data.numSamples, entry.accept.samples, 'samples');
    }
    await checkSameAs(entry, 'js', (commandOf(entry) === 'sweep' ? result.dense : result).theta);
  }
});
