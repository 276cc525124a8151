// SPEC §5: bad options throw a JS Error whose message names the option. Also:
// a diverging run is a result, not an error; an error leaves the module
// working (and does not leak wasm memory).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import load from '../../dist/index.mjs';
import { assertIdentical, DIST } from './helpers.mjs';

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
      initScale: 0.2, firstPair: 3,
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

test('label with a data set object is an error, not silently ignored', () => {
  const dataset = iht.iris();
  assert.throws(() => iht.train({ data: dataset, label: 'species' }), (err) => {
    assert.match(err.message, /^sparse-iht train: option 'label': names a column of CSV data/);
    return true;
  });
  assert.throws(() => iht.train({ label: 'species' }), /^Error: label \(--label\): names a column of a CSV file/);
});
