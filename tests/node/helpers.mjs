// Shared helpers of the Node test suite (not a test file: node --test only
// runs *.test.mjs here). Paths are resolved from this file, so the suite runs
// from any working directory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = join(ROOT, 'dist');
export const NATIVE_IHT = join(ROOT, 'build', 'native', 'iht');
export const NPM_CLI = join(DIST, 'cli.mjs');
export const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

export function requireBuilt() {
  for (const file of [NATIVE_IHT, join(DIST, 'index.mjs'), join(DIST, 'index.cjs'), NPM_CLI]) {
    assert.ok(existsSync(file), `${file} is missing: run 'bash scripts/build.sh' first`);
  }
}

/** Runs a command; returns { status, stdout, stderr } whatever the exit status. */
export function run(file, args, options = {}) {
  const r = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export const runNative = (args, options) => run(NATIVE_IHT, args, options);
export const runNpmCli = (args, options) => run(process.execPath, [NPM_CLI, ...args], options);

/** camelCase JS options → native command-line arguments. */
export function toArgs(options) {
  const args = [];
  for (const [name, value] of Object.entries(options)) {
    const flag = '--' + name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
    args.push(flag, Array.isArray(value) ? value.join(',') : String(value));
  }
  return args;
}

const isTyped = (v) => ArrayBuffer.isView(v) && !(v instanceof DataView);

export function closeNumbers(actual, expected, where, rel = 1e-9, abs = 1e-12) {
  assert.equal(typeof actual, 'number', `${where}: expected a number, got ${typeof actual}`);
  assert.equal(typeof expected, 'number', `${where}: expected a number, got ${typeof expected}`);
  if (Object.is(actual, expected)) return;
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) {
    assert.fail(`${where}: ${actual} != ${expected}`);
  }
  const diff = Math.abs(actual - expected);
  const scale = Math.max(Math.abs(actual), Math.abs(expected));
  assert.ok(diff <= abs || diff <= rel * scale,
    `${where}: ${actual} vs ${expected} (difference ${diff}, relative ${diff / scale})`);
}

/**
 * Compares a value parsed from the native --json output with the JS API's
 * value: numbers to `rel` relative (`abs` near zero), arrays (JS arrays or
 * typed arrays) element-wise, objects with equal key sets, recursively;
 * strings, booleans and null exactly. JSON has no NaN or infinities: the
 * native writer prints them as null, so a JSON null also matches a
 * non-finite JS number.
 */
export function assertParity(json, js, where = '$', tolerance = {}) {
  const { rel = 1e-9, abs = 1e-12 } = tolerance;
  if (json === null) {
    if (typeof js === 'number') {
      assert.ok(!Number.isFinite(js), `${where}: native null, JS ${js}`);
    } else {
      assert.equal(js, null, `${where}: native null, JS ${describe(js)}`);
    }
    return;
  }
  if (typeof json === 'number') return closeNumbers(js, json, where, rel, abs);
  if (typeof json === 'string' || typeof json === 'boolean') {
    assert.equal(js, json, `${where}`);
    return;
  }
  if (Array.isArray(json)) {
    assert.ok(Array.isArray(js) || isTyped(js), `${where}: native array, JS ${describe(js)}`);
    assert.equal(js.length, json.length, `${where}: length`);
    for (let i = 0; i < json.length; ++i) assertParity(json[i], js[i], `${where}[${i}]`, tolerance);
    return;
  }
  assert.ok(js !== null && typeof js === 'object' && !Array.isArray(js) && !isTyped(js),
    `${where}: native object, JS ${describe(js)}`);
  assert.deepEqual(Object.keys(js).sort(), Object.keys(json).sort(), `${where}: key sets differ`);
  for (const key of Object.keys(json)) assertParity(json[key], js[key], `${where}.${key}`, tolerance);
}

function describe(v) {
  if (v === null) return 'null';
  if (isTyped(v)) return v.constructor.name;
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/** Bitwise equality of two results (numbers with Object.is, typed arrays by type and content). */
export function assertIdentical(actual, expected, where = '$') {
  assert.deepStrictEqual(actual, expected, `${where}: not bit-identical`);
}

/** A small deterministic CSV data set: 3 features, 3 classes, 90 rows, label last. */
export function makeCsv() {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const rows = ['height,width,depth,kind'];
  const kinds = ['alpha', 'beta', 'gamma'];
  for (let i = 0; i < 90; ++i) {
    const c = i % 3;
    const f = [c + next() * 1.5, 2 - c * 0.5 + next(), next() * 3 + (c === 2 ? 1 : 0)];
    rows.push(`${f.map((v) => v.toFixed(4)).join(',')},${kinds[c]}`);
  }
  return rows.join('\n') + '\n';
}
