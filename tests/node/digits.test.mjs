// The built-in digits data set (issue #17): its table against the CSV it was
// made from, the same data on every surface (native, the CommonJS build with
// the table compiled in, the ES module build with the data module: Node's
// entry passes it, the browser's asks for it), its default network,
// imageShape, and the browser module's download without it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';

import load from '../../dist/index.node.mjs';
import loadEntry from '../../dist/index.mjs';
import digitsModule from '../../dist/digits.mjs';
import { tableText } from '../../scripts/digits-table.mjs';
import { DIST, ROOT, assertParity, requireBuilt, run, runNative } from './helpers.mjs';

requireBuilt();
const require = createRequire(import.meta.url);
const CSV = readFileSync(join(ROOT, 'tests/data/real/digits.csv'), 'utf8');

let iht;
let cjs;
before(async () => {
  iht = await load();
  cjs = await require('../../dist/index.cjs').load();
});

/** The WebAssembly a build embeds, as bytes. */
function embeddedWasm(file) {
  const text = readFileSync(join(DIST, file), 'utf8');
  return Buffer.from(text.match(/data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/)[1], 'base64');
}

// The browser entry (dist/index.mjs) under Node: its WebAssembly is a
// separate file, which Node's fetch cannot read, so it is passed as a page
// never needs to.
const browserWasm = readFileSync(join(DIST, 'sparse-iht-core.wasm'));
const loadBrowser = (options = {}) => loadEntry({ wasmBinary: browserWasm, ...options });

describe('the digits table', () => {
  test('core/src/digits_table.cpp is what scripts/digits-table.mjs makes of tests/data/real/digits.csv', () => {
    const r = run(process.execPath, [join(ROOT, 'scripts/digits-table.mjs'), '--check']);
    assert.equal(r.status, 0, r.stderr);
  });

  test('the data module carries the same text, and its attribution', () => {
    const source = readFileSync(join(ROOT, 'core/src/digits_table.cpp'), 'utf8');
    assert.equal(digitsModule.text, tableText(source));
    assert.equal(digitsModule.text.length, 1797 * 65);
    assert.equal(digitsModule.format, 'sparse-iht-digits');
    assert.deepEqual(digitsModule.imageShape, [8, 8]);
    assert.equal(digitsModule.license, 'CC BY 4.0');
    assert.match(digitsModule.source, /Alpaydin and C\. Kaynak/);
    assert.ok(Object.isFrozen(digitsModule));
    const cjsModule = require('../../dist/digits.cjs');
    assert.equal(cjsModule.default.text, digitsModule.text);
  });

  test('iht.digits() holds the CSV\'s values and labels', () => {
    const built = iht.digits();
    const csv = iht.parseCsv(CSV);
    assert.equal(built.numSamples, 1797);
    assert.equal(built.numFeatures, 64);
    assert.deepEqual(built.imageShape, [8, 8]);
    assert.equal(csv.imageShape, null);
    assert.deepEqual(built.features, csv.features);
    assert.deepEqual(built.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(csv.classes.map((c) => c.slice(1)), built.classes);
    assert.deepEqual(built.x, csv.x);
    assert.deepEqual(built.y, csv.y);
    assert.deepEqual(cjs.digits().x, built.x);
  });
});

describe("data: 'digits'", () => {
  test('describe(): 64 → 32 → 10, n = 2,410, defaultS 241, imageShape [8, 8]; explicit options win', () => {
    const d = iht.describe({ data: 'digits' });
    assert.deepEqual(d.sizes, [64, 32, 10]);
    assert.equal(d.n, 2410);
    assert.equal(d.defaultS, 241);
    assert.deepEqual(d.imageShape, [8, 8]);
    assert.equal(d.parameters[9].from, 'p1_1');
    assert.equal(d.parameters[9].label, 'W1[0][9]');
    const plain = iht.describe({ data: 'digits', hidden: [] });
    assert.deepEqual(plain.sizes, [64, 10]);
    assert.equal(plain.defaultS, 65);
    assert.deepEqual(iht.describe({ data: 'digits', hidden: [16] }).sizes, [64, 16, 10]);
    // IRIS keeps the paper's network and s = 5.
    assert.deepEqual(iht.describe({}).sizes, [4, 3]);
    assert.equal(iht.describe({}).defaultS, 5);
    assert.equal(iht.train({ iters: 5 }).s, 5);
  });

  test('the same θ natively, in both builds, from the data module and from the CSV', () => {
    const options = { data: 'digits', iters: 20 };
    const esm = iht.train(options);
    assert.equal(esm.s, 241);
    assert.deepEqual(esm.sizes, [64, 32, 10]);
    assert.deepEqual(cjs.train(options).theta, esm.theta);
    assert.deepEqual(iht.train({ ...options, data: digitsModule }).theta, esm.theta);
    const fromCsv = iht.train({ ...options, data: { csv: CSV, name: 'digits.csv' }, hidden: [32], s: 241 });
    assert.deepEqual(fromCsv.theta, esm.theta);
    const native = runNative(['train', '--data', 'digits', '--iters', '20', '--json']);
    assert.equal(native.status, 0, native.stderr);
    // Native and WebAssembly agree to 1e-9 relative (README, Reproducibility).
    assertParity(JSON.parse(native.stdout).theta, esm.theta, 'theta');
    const trainer = iht.createTrainer(options);
    trainer.advance(20);
    assert.deepEqual(trainer.result().theta, esm.theta);
    trainer.free();
  });

  test('loadData: a handle with imageShape; the handle, the name and the module train alike', () => {
    for (const source of ['digits', digitsModule]) {
      const handle = iht.loadData(source);
      assert.equal(handle.name, 'digits');
      assert.deepEqual(handle.imageShape, [8, 8]);
      assert.deepEqual(handle.classCounts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
      assert.deepEqual(iht.train({ data: handle, iters: 3 }).theta, iht.train({ data: 'digits', iters: 3 }).theta);
      handle.free();
    }
    const iris = iht.loadData('iris');
    assert.equal(iris.imageShape, null);
    iris.free();
    assert.equal(iht.liveDatasets, 0);
  });

  test('its labels are fixed: label is an error; a run leaves no data set behind', () => {
    const heap = iht.heapInUse();
    for (const call of [() => iht.train({ data: 'digits', label: 'digit' }), () => iht.loadData('digits', { label: 'digit' })]) {
      assert.throws(call, (e) => e.code === 'bad-option' && e.option === 'label' && /the digit/.test(e.message));
    }
    iht.sweep({ data: 'digits', sGrid: [50], iters: 2, baselines: false, warm: false });
    iht.estimateL2s({ data: 'digits', samples: 2 });
    assert.equal(iht.heapInUse(), heap, 'the digits data set of each call is freed');
  });

  test("the browser's ES module entry asks for the data module; given it, it trains alike", async () => {
    const browser = await loadBrowser();
    assert.throws(() => browser.train({ data: 'digits', iters: 1 }), (e) =>
      e.code === 'bad-option' && e.option === 'data' && /import digits from 'sparse-iht\/digits'/.test(e.message));
    assert.throws(() => browser.loadData('digits'), (e) => e.option === 'data');
    assert.deepEqual(browser.train({ data: digitsModule, iters: 2 }).theta, iht.train({ data: 'digits', iters: 2 }).theta);
    const given = await loadBrowser({ digits: digitsModule });
    assert.equal(given.describe({ data: 'digits' }).defaultS, 241);
    await assert.rejects(loadBrowser({ digits: {} }), /digits must be the package's digits data module/);
    // index.mjs names no data module, so a bundler neither ships nor splits for it.
    const entry = readFileSync(join(DIST, 'index.mjs'), 'utf8');
    assert.doesNotMatch(entry, /^import .*digits/m);
    assert.doesNotMatch(entry, /\bimport\s*\(/, 'no dynamic import');
    assert.match(readFileSync(join(DIST, 'index.node.mjs'), 'utf8'), /^import digits from '\.\/digits\.mjs';$/m);
  });
});

describe('a file named digits', () => {
  test('--data digits is the built-in set even beside a file of that name; ./digits reads the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparse-iht-named-'));
    try {
      const rows = Array.from({ length: 20 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2 ? 'odd' : 'even'}`);
      writeFileSync(join(dir, 'digits'), ['a,b,label', ...rows].join('\n') + '\n');
      const builtIn = runNative(['train', '--data', 'digits', '--iters', '1', '--json'], { cwd: dir });
      assert.equal(builtIn.status, 0, builtIn.stderr);
      assert.equal(JSON.parse(builtIn.stdout).features.length, 64);
      const file = runNative(['train', '--data', './digits', '--iters', '1', '--json'], { cwd: dir });
      assert.equal(file.status, 0, file.stderr);
      const r = JSON.parse(file.stdout);
      assert.deepEqual(r.features, ['a', 'b']);
      assert.deepEqual(r.classes, ['even', 'odd']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the default digits run (issue #17, "How it will be checked")', () => {
  test('iht train --data digits --json: 64 → 32 → 10, s = 241, certified steps, a reason; against dense', () => {
    const sparse = JSON.parse(runNative(['train', '--data', 'digits', '--json']).stdout);
    assert.deepEqual(sparse.sizes, [64, 32, 10]);
    assert.equal(sparse.s, 241);
    assert.equal(sparse.stepRule, 'backtracking');
    assert.equal(sparse.stepCertified, true);
    assert.equal(sparse.htStable.stable, false);
    assert.match(sparse.htStable.reason, /no finite minimiser: class '0' is separable.*A ridge/);
    const dense = JSON.parse(runNative(['train', '--data', 'digits', '--s', '2410', '--json']).stdout);
    assert.equal(dense.stepCertified, true);
    // The issue asks for sparse within 1 point of dense. With certified steps it
    // is not: 342 of the 359 test images against 346, 1.11 points (README,
    // "Beyond the paper: deeper networks", says why and what other seeds give).
    assert.equal(Math.round(sparse.testAccuracy * 359), 342);
    assert.equal(Math.round(dense.testAccuracy * 359), 346);
  });
});

describe('the browser download', () => {
  test('the ES module build leaves the table out; the CommonJS build has it', () => {
    const row = Buffer.from(digitsModule.text.slice(0, 65));
    assert.equal(browserWasm.includes(row), false);
    assert.equal(embeddedWasm('sparse-iht-core-node.cjs').includes(row), true);
    // What a page downloads for data=digits, beside the package: its data module.
    const gz = gzipSync(readFileSync(join(DIST, 'digits.mjs')), { level: 9 }).length;
    assert.ok(gz > 40000 && gz < 50000, `dist/digits.mjs is ${gz} bytes gzipped`);
  });
});
