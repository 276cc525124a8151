// README, JavaScript API: bad options throw a JS Error whose message names the option. Also:
// a diverging run is a result, not an error; an error leaves the module
// working (and does not leak wasm memory).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import load from '../../dist/index.node.mjs';
import { assertIdentical, DIST, ROOT } from './helpers.mjs';

let iht;
let reference;
const REFERENCE_OPTIONS = { s: 3, step: 0.5, iters: 30, seed: 4 };

before(async () => {
  iht = await load();
  reference = iht.train(REFERENCE_OPTIONS);
});

// The option named as an option: "s (--s): …", "option 'data': …", "data: …",
// "unknown option 'speed'" — not just the word somewhere ("no data rows").
const named = (name) => new RegExp(`(^|[\\s'"(])${name}(['")]|:| \\(--)`);

/**
 * fn must throw a readable Error naming `option`: a real Error (not a number,
 * string or wasm pointer), one line, no "undefined" or "[object …]", and,
 * unless `unknown` is set, not the unknown-option message (which lists every
 * option name and so would "name" any of them).
 */
function expectOptionError(fn, option, { shows, unknown = false, names = named(option) } = {}) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, `expected an error naming '${option}', but nothing was thrown`);
  assert.ok(error instanceof Error, `expected an Error, got ${typeof error}: ${String(error)}`);
  const { message } = error;
  assert.equal(typeof message, 'string');
  assert.ok(message.length > 10 && message.length < 400, `message length ${message.length}: ${message}`);
  assert.doesNotMatch(message, /\n/, 'one line');
  assert.doesNotMatch(message, /undefined|\[object |^\d+$/, message);
  assert.match(message, names, `the message names the option '${option}': ${message}`);
  if (unknown) assert.match(message, new RegExp(`unknown option '${option}'`), message);
  else assert.doesNotMatch(message, /unknown option/, message);
  if (shows !== undefined) assert.match(message, shows, message);
  // The module still works, with the same numbers as before the error.
  assertIdentical(iht.train(REFERENCE_OPTIONS), reference);
  return error;
}

const show = (v) => (typeof v === 'string' ? `'${v}'` : Array.isArray(v) || (v && typeof v === 'object')
  ? JSON.stringify(v) : String(v));

const BAD_OPTIONS = [
  ['s', 0, /'0'/],
  ['s', 16, /16/],
  ['s', -1, /-1/],
  ['s', 2.5, /2\.5/],
  ['s', 'abc', /abc/],
  ['s', NaN, /NaN/],
  ['step', 0],
  ['step', -1],
  ['step', NaN],
  ['step', Infinity],
  ['step', 'fast', /fast/],
  ['iters', 0],
  ['iters', 1.5, /1\.5/],
  ['hidden', [0]],
  ['hidden', [-1]],
  ['hidden', 'a,b', /a,b/],
  ['activation', 'swish', /swish/],
  ['testFraction', 1],
  ['testFraction', -0.1],
  ['standardize', 'maybe', /maybe/],
  ['samples', 0],
  ['seed', -1],
  ['seed', 2 ** 53],
  ['stepFactor', 1.5],
  ['hidden', { width: 3 }],
  ['s', null],
];

describe('train: every bad option throws an Error naming it', () => {
  for (const [option, value, shows] of BAD_OPTIONS) {
    test(`${option}: ${show(value)}`, () => {
      expectOptionError(() => iht.train({ [option]: value }), option, { shows });
    });
  }

  test('unknown option', () => {
    expectOptionError(() => iht.train({ speed: 3 }), 'speed', { unknown: true });
  });

  test('options not an object', () => {
    for (const options of ['fast', 5, true, [1, 2]]) {
      expectOptionError(() => iht.train(options), 'options', { names: /options must be an object/ });
    }
  });

  test('the options each command lists are declared in the types and accepted', () => {
    // The unknown-option message tells users what they may pass: each name in
    // it must be declared in the shipped types and work with a valid value.
    const declared = declaredOptions();
    const VALID = {
      s: 3, hidden: [2], activation: 'relu', seed: 2, data: 'iris', label: 'species',
      testFraction: 0.3, standardize: false, samples: 20, scale: 0.5, step: 0.5,
      stepFactor: 0.5, iters: 5, batchSize: 10, tolerance: 1e-6, htTolerance: 1e-3,
      initScale: 0.2, firstPair: 3, ridge: 0.01, refine: true, stopWhenStable: true,
      sGrid: [1, 2], cv: 2, warm: false, baselines: false, exact: true, swaps: true,
      // The WebAssembly build has one thread: 0 (one per core) and 1 are what it takes.
      threads: 0,
    };
    // Options that only make sense with others: label names a column of CSV data.
    const LABELLED = 'species,a,b\n' +
      Array.from({ length: 10 }, (_, i) => `${i % 2 ? 'x' : 'y'},${i},${(i * 7) % 5}`).join('\n');
    const TOGETHER = { label: { data: { csv: LABELLED } } };
    const commands = [
      ['train', (o) => iht.train(o), declared.Options],
      ['sweep', (o) => iht.sweep({ iters: 3, step: 0.5, ...o }), declared.SweepOptions],
      ['lipschitz', (o) => iht.estimateL2s({ samples: 5, ...o }), declared.L2sOptions],
    ];
    for (const [command, call, types] of commands) {
      let message;
      try {
        call({ nonsense: 1 });
      } catch (e) {
        message = e.message;
      }
      const listed = /\(options: ([^)]*)\)/.exec(message ?? '');
      assert.ok(listed, `${command}: the unknown-option message lists the options: ${message}`);
      const names = listed[1].split(', ');
      // The types declare exactly what the command accepts, no more.
      assert.deepEqual([...names].sort(), [...types].sort(), `${command}: accepted options against the types`);
      for (const name of names) {
        assert.ok(types.includes(name), `${command} lists '${name}', which the types do not declare`);
        assert.ok(name in VALID, `no valid value for '${name}' in this test`);
        assert.doesNotThrow(() => call({ ...TOGETHER[name], [name]: VALID[name] }),
          `${command} lists '${name}' but rejects it`);
      }
    }
  });
});

// Property names of the option interfaces in the shipped types, inherited ones included.
function declaredOptions() {
  const text = readFileSync(join(DIST, 'index.d.mts'), 'utf8');
  // An interface's own members and those of the interface it extends.
  const body = (name) => {
    const m = new RegExp(`interface ${name}\\b(?: extends (\\w+))?[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(text);
    assert.ok(m, `interface ${name} in index.d.mts`);
    const own = [...m[2].matchAll(/^\s*([A-Za-z]\w*)\??:/gm)].map((x) => x[1]);
    return m[1] ? [...body(m[1]), ...own] : own;
  };
  return { Options: body('Options'), SweepOptions: body('SweepOptions'), L2sOptions: body('L2sOptions') };
}

describe('data: bad data throws an Error naming the option', () => {
  const CSV_CASES = [
    ['empty text', ''],
    ['header only', 'a,b\n'],
    ['ragged rows', 'a,b,label\n1,2,x\n3,y\n4,5,y\n'],
    ['a non-numeric cell', 'a,b,label\n1,2,x\n3,four,y\n4,5,y\n', /four/],
    ['a NaN cell', 'a,b,label\n1,2,x\n3,NaN,y\n4,5,y\n', /NaN/],
    ['a single class', 'a,b,label\n1,2,x\n3,4,x\n4,5,x\n'],
  ];

  test("data: 'missing.csv' (a path: the API takes CSV text, not files)", () => {
    expectOptionError(() => iht.train({ data: 'missing.csv' }), 'data', { shows: /missing\.csv/ });
  });

  for (const [name, csv, shows] of CSV_CASES) {
    test(`data: { csv } with ${name}`, () => {
      expectOptionError(() => iht.train({ data: { csv } }), 'data', { shows });
    });
  }

  test('label: a column the CSV does not have', () => {
    const csv = 'a,b,kind\n1,2,x\n3,4,y\n5,6,y\n';
    expectOptionError(() => iht.train({ data: { csv }, label: 'nope' }), 'label', { shows: /nope/ });
  });

  test('data: a data set whose x does not match its features', () => {
    const bad = { features: ['a', 'b'], classes: ['x', 'y'], x: new Float64Array(3), y: new Int32Array(2) };
    expectOptionError(() => iht.train({ data: bad }), 'data');
  });

  test('data: every entry point names the option for a bad CSV', () => {
    const data = { csv: 'a,b\n' };
    expectOptionError(() => iht.sweep({ data }), 'data');
    expectOptionError(() => iht.estimateL2s({ data }), 'data');
    expectOptionError(() => iht.createTrainer({ data }), 'data');
  });
});

describe('other entry points', () => {
  test('sweep takes no s', () => {
    expectOptionError(() => iht.sweep({ s: 3 }), 's', { unknown: true });
  });
  test('estimateL2s: samples 0, s 16, firstPair -1', () => {
    expectOptionError(() => iht.estimateL2s({ samples: 0 }), 'samples');
    expectOptionError(() => iht.estimateL2s({ s: 16 }), 's', { shows: /16/ });
    expectOptionError(() => iht.estimateL2s({ firstPair: -1 }), 'firstPair');
  });
  test('createTrainer: s 0, activation swish', () => {
    expectOptionError(() => iht.createTrainer({ s: 0 }), 's');
    expectOptionError(() => iht.createTrainer({ activation: 'swish' }), 'activation');
    assert.equal(iht.liveTrainers, 0, 'a failed createTrainer leaves no live trainer');
  });
});

test('a diverging step is a result with status diverged, not an error', () => {
  const r = iht.train({ step: 1e6 });
  assert.equal(r.status, 'diverged');
  assert.ok(r.theta.length === 15 && r.theta.every(Number.isFinite), 'theta is the last finite iterate');
  assert.ok(Number.isFinite(r.trainLoss), `trainLoss ${r.trainLoss}`);
  assert.ok(Number.isFinite(r.testLoss), `testLoss ${r.testLoss}`);
  assert.ok(r.history.loss.every(Number.isFinite), 'the history holds finite iterates only');
  assert.ok(r.iterations < 1000, 'it stopped early');
  assert.equal(r.stepSize, 1e6);
  assertIdentical(iht.train(REFERENCE_OPTIONS), reference);
});

test('errors do not leak wasm memory', () => {
  const failing = [
    () => iht.train({ s: 0 }),
    () => iht.train({ s: 16 }),
    () => iht.train({ data: { csv: 'a,b\n' } }),
    () => iht.sweep({ step: -1 }),
    () => iht.estimateL2s({ samples: 0 }),
    () => iht.createTrainer({ s: 0 }),
  ];
  const fail = (f) => assert.throws(f, Error);
  for (const f of failing) for (let i = 0; i < 20; ++i) fail(f);
  const before = iht.heapInUse();
  for (const f of failing) for (let i = 0; i < 300; ++i) fail(f);
  const growth = iht.heapInUse() - before;
  assert.ok(growth < 16 * 1024,
    `1,800 failing calls grew the wasm heap by ${growth} bytes (${(growth / 1800).toFixed(1)} per error)`);
});

test('an engine without WebAssembly SIMD gets an Error naming SIMD, not a CompileError', async (t) => {
  // Node 20 cannot switch SIMD off, so the engine's answer is stubbed: load()
  // must consult WebAssembly.validate and say what is missing.
  const validate = WebAssembly.validate;
  let probed = null;
  t.mock.method(WebAssembly, 'validate', (bytes) => {
    probed = validate.call(WebAssembly, bytes);
    return false;
  });
  await assert.rejects(load(), (err) => {
    assert.ok(err instanceof Error && !(err instanceof WebAssembly.CompileError));
    assert.match(err.message, /^sparse-iht: .*lacks WebAssembly SIMD.*Safari 16\.4\+/);
    return true;
  });
  assert.equal(probed, true, 'the SIMD probe is a valid module for a SIMD engine (this Node)');
  t.mock.restoreAll();
  const again = await load();
  assertIdentical(again.train(REFERENCE_OPTIONS), reference);
});

test('an engine with SIMD but without exception handling gets an Error naming it', async (t) => {
  // The second probe (a tag, try, throw, catch) is refused; the first passes.
  const validate = WebAssembly.validate;
  const answers = [];
  t.mock.method(WebAssembly, 'validate', (bytes) => {
    const valid = validate.call(WebAssembly, bytes);
    answers.push(valid);
    return answers.length === 1 ? valid : false;
  });
  await assert.rejects(load(), (err) => {
    assert.ok(err instanceof Error && !(err instanceof WebAssembly.CompileError));
    assert.match(err.message, /^sparse-iht: .*lacks WebAssembly exception handling.*Chrome\/Edge 95\+/);
    return true;
  });
  assert.deepEqual(answers, [true, true], 'both probes are valid modules for this Node');
  t.mock.restoreAll();
});

test('label with a data set object is an error, not silently ignored', () => {
  const dataset = iht.iris();
  assert.throws(() => iht.train({ data: dataset, label: 'species' }), (err) => {
    assert.match(err.message, /^sparse-iht train: option 'label': names a column of CSV data/);
    return true;
  });
  assert.throws(() => iht.train({ label: 'species' }), /^SparseIhtError: label \(--label\): names a column of a CSV file/);
});

// The checks the JavaScript layer (wasm/js/api.js) makes itself, before or
// around the core: each message exactly, since a JS user reads it, and each
// accepted form giving the same numbers as its canonical form.
describe("the JavaScript layer's own checks", () => {
  const QUICK = { s: 3, step: 0.5, iters: 20 };
  // Cold starts only: one training per s, so onProgress is called 15 times.
  const QUICK_SWEEP = { step: 0.5, iters: 2, warm: false, baselines: false };
  const BAD_CSV = 'a,b,label\n1,2,x\n3,four,y\n4,5,y\n';
  const GOOD_CSV = 'a,b,label\n1,2,x\n3,4,y\n4,5,y\n5,1,x\n';
  const throwsExactly = (fn, message) => assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, `an Error, got ${typeof e}`);
    assert.equal(e.message, message);
    return true;
  });

  test('version is the package version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(iht.version, pkg.version);
  });

  test('options undefined or null mean no options; an option set to undefined is left out', () => {
    assertIdentical(iht.estimateL2s(), iht.estimateL2s({}));
    assertIdentical(iht.estimateL2s(undefined), iht.estimateL2s({}));
    assertIdentical(iht.estimateL2s(null), iht.estimateL2s({}));
    assertIdentical(iht.train(null), iht.train({}));
    assertIdentical(iht.train({ ...QUICK, s: undefined, seed: undefined }), iht.train({ ...QUICK, s: 5 }));
  });

  test('a value of the wrong type: the message names the option and what it got', () => {
    const CASES = [
      [{ s: [1] }, "sparse-iht train: option 's': expected a number, got an array"],
      [{ s: null }, "sparse-iht train: option 's': expected a number, got null"],
      [{ s: true }, "sparse-iht train: option 's': expected a number, got boolean"],
      [{ seed: {} }, "sparse-iht train: option 'seed': expected a number, got object"],
      [{ hidden: true }, "sparse-iht train: option 'hidden': expected a list of widths, got boolean"],
      [{ hidden: [3, '2'] }, `sparse-iht train: option 'hidden': expected an array of layer widths, got [3,"2"]`],
      [{ hidden: ['a'] }, `sparse-iht train: option 'hidden': expected an array of layer widths, got ["a"]`],
      [{ data: null }, "sparse-iht train: option 'data': expected 'iris', 'digits', { csv: text } or a data set, got null"],
      [{ data: 5 }, "sparse-iht train: option 'data': expected 'iris', 'digits', { csv: text } or a data set, got number"],
      [{ data: { x: [1], y: [0] } },
        "sparse-iht train: option 'data': expected 'iris', 'digits', { csv: text } or a data set, got object"],
      [{ data: { csv: 5 } }, "sparse-iht train: option 'data': csv must be a string or a Uint8Array"],
      [{ data: { csv: ['a,b'] } }, "sparse-iht train: option 'data': csv must be a string or a Uint8Array"],
    ];
    for (const [options, message] of CASES) throwsExactly(() => iht.train(options), message);
    throwsExactly(() => iht.estimateL2s({ firstPair: 'x' }),
      "firstPair (--first-pair): expected an integer from 0 to 9007199254740991 (2^53 - 1), got 'x'");
    throwsExactly(() => iht.sweep({ seed: [2] }),
      "sparse-iht sweep: option 'seed': expected a number, got an array");
    assertIdentical(iht.train(REFERENCE_OPTIONS), reference);
  });

  test('equivalent forms give the same run: widths as array or text, numbers as text, standardize as boolean', () => {
    assertIdentical(iht.train({ ...QUICK, hidden: [3, 2] }), iht.train({ ...QUICK, hidden: '3,2' }));
    assertIdentical(iht.train({ ...QUICK, s: '3', step: '0.5' }), iht.train(QUICK));
    const on = iht.train({ ...QUICK, standardize: 'on' });
    const off = iht.train({ ...QUICK, standardize: 'off' });
    assert.notDeepEqual(Array.from(on.theta), Array.from(off.theta), 'standardising changes the run');
    assertIdentical(iht.train({ ...QUICK, standardize: true }), on);
    assertIdentical(iht.train({ ...QUICK, standardize: false }), off);
    assertIdentical(iht.train(QUICK), on, 'standardize is on by default');
  });

  test('data: CSV text or bytes, named in its errors; a data set object used as given', () => {
    const text = iht.train({ ...QUICK, s: 2, data: { csv: GOOD_CSV } });
    assertIdentical(iht.train({ ...QUICK, s: 2, data: { csv: new TextEncoder().encode(GOOD_CSV) } }), text);
    assertIdentical(iht.train({ ...QUICK, s: 2, data: { csv: GOOD_CSV, name: 'q.csv' } }), text);
    // The name labels the data in messages; an empty one is refused, not replaced.
    expectOptionError(() => iht.train({ data: { csv: GOOD_CSV, name: '' } }), 'data');
    // The core's message starts with the data's name: the one given, or <csv>.
    assert.throws(() => iht.train({ data: { csv: BAD_CSV, name: 'mine.csv' } }), /^SparseIhtError: data: mine\.csv: line 3\b/);
    assert.throws(() => iht.train({ data: { csv: BAD_CSV } }), /^SparseIhtError: data: <csv>: line 3\b/);
    assertIdentical(iht.train({ ...QUICK, data: iht.iris() }), iht.train({ ...QUICK, data: 'iris' }));
    assertIdentical(iht.train({ ...QUICK, data: 'iris' }), iht.train(QUICK));
  });

  test('only a flag that opens the message is renamed; one later in the text stays', () => {
    assert.throws(() => iht.estimateL2s({ scale: 1e308, samples: 5 }),
      /^SparseIhtError: L_2s estimate: the gradient is not finite at a sampled point \(pair 0\); try a smaller --scale$/);
    assert.throws(() => iht.train({ iters: 0 }), /^SparseIhtError: iters \(--iters\): expected an integer\b/);
    assert.throws(() => iht.train({ testFraction: 1 }), /^SparseIhtError: testFraction \(--test-fraction\): expected /);
  });

  test('sweep: onProgress is a function, called with (done, total); what it throws reaches the caller', () => {
    throwsExactly(() => iht.sweep(QUICK_SWEEP, 'x'), "sparse-iht sweep: onProgress must be a function, got 'x'");
    throwsExactly(() => iht.sweep(QUICK_SWEEP, null), 'sparse-iht sweep: onProgress must be a function, got null');
    const calls = [];
    const result = iht.sweep(QUICK_SWEEP, (done, total) => { calls.push([done, total]); });
    assert.deepEqual(calls, Array.from({ length: 15 }, (_, i) => [i + 1, 15]));
    assertIdentical(result, iht.sweep(QUICK_SWEEP));
    // A non-Error value is passed through untouched; an Error keeps its message.
    assert.throws(() => iht.sweep(QUICK_SWEEP, () => { throw 'halt'; }), (e) => e === 'halt');
    const haltAt2 = (done) => {
      if (done === 2) throw new Error('halt at 2');
    };
    throwsExactly(() => iht.sweep(QUICK_SWEEP, haltAt2), 'halt at 2');
    assertIdentical(iht.train(REFERENCE_OPTIONS), reference);
  });

  test('parseCsv: text or bytes, the label column, the name in its errors', () => {
    throwsExactly(() => iht.parseCsv(5), 'sparse-iht parseCsv: text must be a string or a Uint8Array, got number');
    throwsExactly(() => iht.parseCsv(null), 'sparse-iht parseCsv: text must be a string or a Uint8Array, got null');
    const last = iht.parseCsv(GOOD_CSV);
    assert.deepEqual(last.features, ['a', 'b'], 'the label is the last column by default');
    assert.deepEqual(last.classes, ['x', 'y']);
    assertIdentical(iht.parseCsv(new TextEncoder().encode(GOOD_CSV)), last);
    assertIdentical(iht.parseCsv(GOOD_CSV, {}), last);
    const first = iht.parseCsv('kind,b,c\nx,1,2\ny,3,4\ny,4,5\n', { label: 'kind' });
    assert.deepEqual(first.features, ['b', 'c']);
    assert.deepEqual(Array.from(first.y), [0, 1, 1]);
    assert.throws(() => iht.parseCsv(BAD_CSV), /^SparseIhtError: <csv>: line 3\b/);
    assert.throws(() => iht.parseCsv(BAD_CSV, { name: 'p.csv' }), /^SparseIhtError: p\.csv: line 3\b/);
  });

  test('runCli: arguments are strings; only the CommonJS build has it, and it passes the files on', async () => {
    throwsExactly(() => iht.runCli('train'), 'sparse-iht runCli: args must be an array of strings');
    throwsExactly(() => iht.runCli(['train', 5]), 'sparse-iht runCli: args must be an array of strings');
    assert.throws(() => iht.runCli(['train']), (e) => {
      assert.match(e.message, /^sparse-iht runCli: the command line is only in the CommonJS build \(require\(/);
      assert.match(e.message, /; the ES module build leaves it out to keep the browser download small$/);
      return true;
    });
    const cjs = await createRequire(import.meta.url)(join(DIST, 'index.cjs')).load();
    throwsExactly(() => cjs.runCli(['train', 5]), 'sparse-iht runCli: args must be an array of strings');
    const empty = cjs.runCli(['train', '--data', 'x.csv'], { 'x.csv': 'a,b\n' });
    assert.deepEqual({ ...empty, stderr: undefined }, { status: 2, stdout: '', stderr: undefined });
    assert.match(empty.stderr, /^iht: x\.csv: no data rows/, 'the file given was read');
    const ok = cjs.runCli(['train', '--s', '3', '--step', '0.5', '--iters', '20', '--json']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).trainLoss, iht.train(QUICK).trainLoss);
  });
});

describe('load()', () => {
  test('an engine without WebAssembly gets an Error saying so', async () => {
    const wasm = globalThis.WebAssembly;
    for (const missing of [undefined, null]) {
      globalThis.WebAssembly = missing;
      try {
        await assert.rejects(load(), (e) => {
          assert.ok(e instanceof Error);
          assert.equal(e.message, 'sparse-iht: this JavaScript engine has no WebAssembly ' +
            '(needs Node 18+, Chrome/Edge 95+, Firefox 100+ or Safari 16.4+)');
          return true;
        }, String(missing));
      } finally {
        globalThis.WebAssembly = wasm;
      }
    }
  });

  test('wasmBinary, when given, is the module that is instantiated', async (t) => {
    // Emscripten reports the failed compile on the console before rejecting.
    const printed = [];
    for (const name of ['warn', 'error', 'log']) {
      t.mock.method(console, name, (...args) => printed.push(args.join(' ')));
    }
    await assert.rejects(load({ wasmBinary: new Uint8Array([0, 1, 2, 3]) }), /CompileError/);
    t.mock.restoreAll();
    assert.ok(printed.some((line) => /CompileError/.test(line)), printed.join('\n'));
    assertIdentical((await load({})).train(REFERENCE_OPTIONS), reference);
  });
});
