// What JavaScript learns about the model from the package itself:
// describe(options), the θ layout of the network train(options) builds, and
// the latest support change in a trainer's state() (entered, left,
// changedAt). Each is checked against an independent account: the method's
// layout table (docs/method.md §1), the native command line's labels, and set
// differences of the supports the test reads one iteration at a time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import load from '../../dist/index.node.mjs';
import { isFromWorker } from '../../web/protocol.js';
import { DIST, TSC, makeCsv, requireBuilt, runNative } from './helpers.mjs';

requireBuilt();

let iht;
before(async () => { iht = await load(); });

const PARAMETER_KEYS = ['from', 'fromUnit', 'index', 'kind', 'label', 'layer', 'to', 'toUnit'];

describe('describe(options)', () => {
  test('hidden: [8] gives n = 67, with 67 labelled parameters in θ order', () => {
    const d = iht.describe({ hidden: [8] });
    assert.deepEqual(Object.keys(d).sort(), ['activation', 'defaultS', 'imageShape', 'n', 'parameters', 'sizes']);
    assert.equal(d.imageShape, null);
    assert.equal(d.defaultS, 5);
    assert.equal(d.n, 67);
    assert.deepEqual(d.sizes, [4, 8, 3]);
    assert.equal(d.activation, 'tanh');
    assert.equal(d.parameters.length, 67);
    const labels = new Set();
    d.parameters.forEach((p, k) => {
      assert.deepEqual(Object.keys(p).sort(), PARAMETER_KEYS, `parameter ${k}`);
      assert.equal(p.index, k);
      assert.match(p.label, /^(W[12]\[\d\]\[\d\]|b[12]\[\d\])$/);
      labels.add(p.label);
    });
    assert.equal(labels.size, 67, 'every label is different');
    // docs/method.md §1: W₁ at 0 … 31, b₁ at 32 … 39, W₂[o][i] at 40 + 8o + i, b₂ at 64 … 66.
    const kinds = d.parameters.map((p) => `${p.kind[0]}${p.layer}`);
    assert.deepEqual(kinds, [
      ...Array(32).fill('w1'), ...Array(8).fill('b1'), ...Array(24).fill('w2'), ...Array(3).fill('b2'),
    ]);
    const w = d.parameters[40 + 8 * 2 + 5];
    assert.deepEqual(
      { label: w.label, from: w.from, to: w.to, fromUnit: w.fromUnit, toUnit: w.toUnit },
      { label: 'W2[2][5]', from: 'h1[5]', to: 'Iris-virginica', fromUnit: 5, toUnit: 2 },
    );
    assert.deepEqual(
      { label: d.parameters[39].label, from: d.parameters[39].from, to: d.parameters[39].to },
      { label: 'b1[7]', from: null, to: 'h1[7]' },
      'b1[j] is the bias of hidden unit h1[j]',
    );
  });

  test("the paper's model: n = 15, W1[o][i] from feature i to class o, then the biases", () => {
    const iris = iht.iris();
    const d = iht.describe();
    assert.equal(d.n, 15);
    assert.deepEqual(d.sizes, [4, 3]);
    for (let o = 0; o < 3; o++) {
      for (let i = 0; i < 4; i++) {
        assert.deepEqual(d.parameters[4 * o + i], {
          index: 4 * o + i, layer: 1, kind: 'weight', from: iris.features[i], to: iris.classes[o],
          label: `W1[${o}][${i}]`, fromUnit: i, toUnit: o,
        });
      }
      assert.deepEqual(d.parameters[12 + o], {
        index: 12 + o, layer: 1, kind: 'bias', from: null, to: iris.classes[o], label: `b1[${o}]`,
        fromUnit: null, toUnit: o,
      });
    }
  });

  test('the labels are the native command line’s, for every entry of hidden models', () => {
    for (const hidden of [[8], [3, 2]]) {
      const d = iht.describe({ hidden, activation: 'relu' });
      // s = n: the θ table lists every entry.
      const r = runNative(['train', '--hidden', hidden.join(','), '--activation', 'relu', '--s', String(d.n), '--iters', '3']);
      assert.equal(r.status, 0, r.stderr);
      const rows = [...r.stdout.matchAll(/^ {2}θ\[(\d+)\] +(\S+) /gmu)].map((m) => [Number(m[1]), m[2]]);
      assert.equal(rows.length, d.n, `hidden ${hidden}: one row per entry`);
      for (const [k, label] of rows) assert.equal(d.parameters[k].label, label, `hidden ${hidden}: θ[${k}]`);
      assert.match(r.stdout, new RegExp(`n = ${d.n} parameters`));
    }
  });

  test('it is the network train() builds, on IRIS and on CSV data, with the data’s names', () => {
    const csv = makeCsv();
    // The label column first: the features are the other columns, in order.
    const labelFirst = csv.trim().split('\n').map((line) => {
      const cells = line.split(',');
      return [cells.at(-1), ...cells.slice(0, -1)].join(',');
    }).join('\n');
    for (const options of [
      { hidden: [5], activation: 'sigmoid', s: 7, iters: 5 },
      { data: { csv, name: 'shapes.csv' }, hidden: '4,2', s: 9, iters: 5 },
      { data: { csv: labelFirst }, label: 'kind', hidden: [2], s: 3, iters: 5 },
      { data: iht.parseCsv(csv), s: 3, iters: 5 },
    ]) {
      const d = iht.describe(options);
      const r = iht.train(options);
      assert.equal(d.n, r.n);
      assert.deepEqual(d.sizes, r.sizes);
      assert.equal(d.activation, r.activation);
      assert.equal(d.parameters.length, r.theta.length);
      const layers = r.sizes.length - 1;
      const inputs = d.parameters.filter((p) => p.layer === 1 && p.kind === 'weight');
      const outputs = d.parameters.filter((p) => p.layer === layers && p.kind === 'bias');
      assert.deepEqual(r.features.map((_, i) => inputs.find((p) => p.fromUnit === i).from), r.features);
      assert.deepEqual(outputs.map((p) => p.to), r.classes);
      assert.equal(r.features.includes('kind'), false);
    }
  });

  test('bad options and data throw as train() does; s and the step play no part', () => {
    const BAD = [
      { s: 0 }, { hidden: [0] }, { hidden: 'x' }, { activation: 'cosine' }, { testFraction: 1.5 },
      { seed: -1 }, { iters: 0 }, { step: -1 }, { iter: 5 }, { data: 'mnist' },
      { data: { csv: 'a,b,label\n1,2,x\n3,y\n' } }, { data: { csv: 'a,b\n1,x\n' }, label: 'nope' },
      { label: 'species' }, { data: { csv: 5 } }, [],
    ];
    for (const options of BAD) {
      const shown = JSON.stringify(options);
      let expected;
      assert.throws(() => iht.train(options), (e) => { expected = e.message; return e instanceof Error; }, shown);
      assert.throws(() => iht.describe(options), (e) => {
        assert.equal(e.message, expected.replace('sparse-iht train:', 'sparse-iht describe:'), shown);
        return true;
      }, shown);
    }
    // train() checks s against n; describe() answers n, whatever s is.
    assert.throws(() => iht.train({ s: 16 }), /16 is more than the 15 parameters/);
    assert.equal(iht.describe({ s: 16, step: 1e9 }).n, 15);
    // The module stays usable.
    assert.equal(iht.describe({ hidden: [2] }).n, 4 * 2 + 2 + 2 * 3 + 3);
  });
});

// The state's latest support change, against the change computed here from
// the supports before and after every single iteration.
function expectedChanges(options) {
  const trainer = iht.createTrainer(options);
  try {
    const start = trainer.state();
    assert.deepEqual([start.entered, start.left, start.changedAt], [new Int32Array(0), new Int32Array(0), null],
      'no change before the first iteration');
    let latest = { changedAt: null, entered: [], left: [] };
    const byIteration = [latest];
    let changes = 0;
    let before = start.support;
    while (!trainer.state().done) {
      trainer.advance(1);
      const state = trainer.state();
      if (state.iteration + 1 === byIteration.length) break; // no step taken
      const now = new Set(state.support);
      const was = new Set(before);
      const entered = [...now].filter((i) => !was.has(i)).sort((a, b) => a - b);
      const left = [...was].filter((i) => !now.has(i)).sort((a, b) => a - b);
      if (entered.length > 0 || left.length > 0) {
        latest = { changedAt: state.iteration, entered, left };
        changes += 1;
      }
      const where = `iteration ${state.iteration}`;
      assert.ok(state.entered instanceof Int32Array && state.left instanceof Int32Array, where);
      assert.deepEqual({ changedAt: state.changedAt, entered: [...state.entered], left: [...state.left] }, latest, where);
      byIteration.push(latest);
      before = state.support;
    }
    return { byIteration, changes };
  } finally {
    trainer.free();
  }
}

const CHANGE_CASES = [
  { name: "the paper's model, full batch", options: { s: 5, step: 0.5, iters: 120 } },
  { name: 'a hidden layer and mini-batches', options: { hidden: [4], s: 12, step: 0.5, iters: 150, batchSize: 16 } },
];

describe('trainer.state(): entered, left and changedAt', () => {
  for (const { name, options } of CHANGE_CASES) {
    test(`${name}: at every advance(1), the set differences of the supports`, () => {
      const { byIteration, changes } = expectedChanges(options);
      assert.equal(byIteration.length, options.iters + 1);
      assert.ok(changes >= 2, `the case holds ${changes} support changes`);
    });

    test(`${name}: advancing in chunks gives the same latest change`, () => {
      const { byIteration } = expectedChanges(options);
      const trainer = iht.createTrainer(options);
      try {
        let older = 0;
        for (const k of [1, 3, 7, 2, 17, 30, 5, 64, 40]) {
          trainer.advance(k);
          const state = trainer.state();
          const expected = byIteration[state.iteration];
          assert.deepEqual({ changedAt: state.changedAt, entered: [...state.entered], left: [...state.left] }, expected,
            `after iteration ${state.iteration}`);
          if (state.changedAt !== null && state.changedAt < state.iteration) older += 1;
        }
        assert.equal(trainer.state().done, true);
        if (options.batchSize === undefined) assert.ok(older > 0, 'some chunk ends after its latest change');
      } finally {
        trainer.free();
      }
    });
  }

  test('s = n: the biases, zero in θ_0, enter at iteration 1, and nothing changes after', () => {
    const trainer = iht.createTrainer({ s: 15, step: 0.5, iters: 30 });
    const start = trainer.state();
    trainer.advance(30);
    const state = trainer.state();
    trainer.free();
    assert.equal(start.support.length, 12);
    assert.equal(start.changedAt, null);
    assert.equal(state.iteration, 30);
    assert.equal(state.changedAt, 1);
    assert.deepEqual([...state.entered], [12, 13, 14]);
    assert.deepEqual([...state.left], []);
  });
});

// The page's worker forwards describe()'s parameters (train-started) and the
// trainer's state (progress); the page checks both before drawing with them.
describe('the worker protocol (web/protocol.js) for these fields', () => {
  const options = { hidden: [3], s: 6, step: 0.5, iters: 20 };
  const copy = (message, change) => {
    const out = structuredClone(message);
    change(out);
    return out;
  };

  test('train-started: describe()\'s parameters, one per entry of θ, joining units that exist', () => {
    const { n, sizes, parameters } = iht.describe(options);
    const trainer = iht.createTrainer(options);
    const state = trainer.state();
    trainer.free();
    const good = {
      type: 'train-started', id: 1, n, sizes, parameters, stepSize: state.stepSize, l2s: null, estimate: null, state,
    };
    assert.equal(isFromWorker(good), true);
    const weight = parameters.findIndex((p) => p.layer === 2 && p.kind === 'weight');
    const bias = parameters.findIndex((p) => p.kind === 'bias');
    const refused = {
      'no parameters': (m) => delete m.parameters,
      'one too few': (m) => m.parameters.pop(),
      'out of order': (m) => m.parameters.reverse(),
      'toUnit past its layer': (m) => { m.parameters[weight].toUnit = sizes[2]; },
      'fromUnit past its layer': (m) => { m.parameters[weight].fromUnit = sizes[1]; },
      'fromUnit negative': (m) => { m.parameters[weight].fromUnit = -1; },
      'a weight without from': (m) => { m.parameters[weight].from = null; },
      'a bias with from': (m) => { m.parameters[bias].from = 'x'; },
      'a bias with fromUnit': (m) => { m.parameters[bias].fromUnit = 0; },
      'layer 0': (m) => { m.parameters[bias].layer = 0; },
      'a layer past the output': (m) => { m.parameters[weight].layer = sizes.length; },
      'another kind': (m) => { m.parameters[bias].kind = 'neuron'; },
      'no label': (m) => { delete m.parameters[weight].label; },
      'to not a name': (m) => { m.parameters[weight].to = 2; },
    };
    for (const [what, change] of Object.entries(refused)) {
      assert.equal(isFromWorker(copy(good, change)), false, what);
    }
  });

  test('progress: the state carries entered, left and changedAt', () => {
    const trainer = iht.createTrainer(options);
    const before = trainer.state();
    trainer.advance(20);
    const after = trainer.state();
    const history = trainer.history(0);
    trainer.free();
    assert.notEqual(after.changedAt, null, 'the run changed its support');
    for (const state of [before, after]) {
      const good = { type: 'progress', id: 1, state, history: { ...history, from: 0 } };
      assert.equal(isFromWorker(good), true, `changedAt ${state.changedAt}`);
      const refused = {
        'no entered': (m) => delete m.state.entered,
        'no left': (m) => delete m.state.left,
        'no changedAt': (m) => delete m.state.changedAt,
        'entered not integers': (m) => { m.state.entered = [0.5]; },
        'left a string': (m) => { m.state.left = '1'; },
        'changedAt a string': (m) => { m.state.changedAt = '3'; },
        'changedAt fractional': (m) => { m.state.changedAt = 1.5; },
      };
      for (const [what, change] of Object.entries(refused)) {
        assert.equal(isFromWorker(copy(good, change)), false, what);
      }
    }
  });
});

describe('TypeScript declarations of describe() and the trainer state', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sparse-iht-describe-types-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  // The same checks through the ESM (.d.mts) and CommonJS (.d.cts) declarations.
  const source = (from) => `import type { ModelDescription, Parameter, SparseIht, TrainerState } from '${from}';

export function use(iht: SparseIht): number {
  const d: ModelDescription = iht.describe({ hidden: [8], s: 3, step: 'auto' });
  const p: Parameter = d.parameters[0];
  const kind: 'weight' | 'bias' = p.kind;
  const from: string | null = p.from;
  const fromUnit: number | null = p.fromUnit;
  const sizes: number[] = d.sizes;
  const state: TrainerState = iht.createTrainer({}).state();
  const entered: Int32Array = state.entered;
  const left: Int32Array = state.left;
  const at: number | null = state.changedAt;
  // CSV text may be bytes, in data and in parseCsv (issue #16).
  const bytes = new TextEncoder().encode('a,b\\n1,x\\n2,y\\n');
  const fromBytes = iht.train({ data: { csv: bytes, name: 'b.csv' }, s: 1 }).n + iht.parseCsv(bytes).features.length;
  // @ts-expect-error from is null for a bias
  const name: string = p.from;
  // @ts-expect-error changedAt is null before the first change
  const k: number = state.changedAt;
  // @ts-expect-error describe takes the options of train, and no others
  iht.describe({ speed: 3 });
  // @ts-expect-error kind is 'weight' or 'bias'
  const other: 'neuron' = p.kind;
  return d.n + p.index + p.layer + p.toUnit + p.to.length + p.label.length + kind.length + (from ?? '').length +
    (fromUnit ?? 0) + sizes.length + entered.length + left.length + (at ?? 0) + name.length + k + other.length +
    d.activation.length + fromBytes;
}
`;

  test('tsc --strict accepts the uses and rejects the misuses, in index.d.mts and index.d.cts', () => {
    writeFileSync(join(tmp, 'esm.mts'), source(join(DIST, 'index.mjs')));
    writeFileSync(join(tmp, 'cjs.cts'), source(join(DIST, 'index.cjs')));
    const r = spawnSync(process.execPath, [
      TSC, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2020',
      '--listFiles', join(tmp, 'esm.mts'), join(tmp, 'cjs.cts'),
    ], { encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /index\.d\.mts/, 'the ESM declarations were checked');
    assert.match(r.stdout, /index\.d\.cts/, 'the CommonJS declarations were checked');
  });
});
