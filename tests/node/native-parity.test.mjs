// docs/method.md §5: same seed, same options → the same numbers natively and in
// WebAssembly (to 1e-9 relative), the same JSON field names as the JS results,
// and an npm command (`sparse-iht`, dist/cli.mjs) that behaves like the
// native `iht`: same text output byte for byte, same exit status and stderr.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import load from '../../dist/index.node.mjs';
import {
  assertParity, makeCsv, requireBuilt, runNative, runNpmCli, toArgs,
} from './helpers.mjs';

requireBuilt();

const tmp = mkdtempSync(join(tmpdir(), 'sparse-iht-parity-'));
const csvText = makeCsv();
const csvPath = join(tmp, 'shapes.csv');
writeFileSync(csvPath, csvText);
const raggedPath = join(tmp, 'ragged.csv');
writeFileSync(raggedPath, 'a,b,label\n1,2,x\n3,y\n');
after(() => rmSync(tmp, { recursive: true, force: true }));

// Each case: a name, the JS options, and the native arguments for them.
// `s`, `step` and `iters` only go to the commands that take them.
const CASES = [
  { name: 'defaults', options: {} },
  { name: '--s 3 --seed 7', options: { s: 3, seed: 7 } },
  {
    name: '--hidden 5 --activation relu --s 12 --step 0.3 --iters 200',
    options: { hidden: [5], activation: 'relu', s: 12, step: 0.3, iters: 200 },
  },
  { name: '--test-fraction 0', options: { testFraction: 0 } },
  // Every step rule: the certified bound, and the Monte Carlo estimate by name.
  { name: '--step bound --s 4', options: { step: 'bound', s: 4 } },
  { name: '--step estimate --s 6 --seed 2', options: { step: 'estimate', s: 6, seed: 2 } },
  // The adaptive rules (auto backtracks with a hidden layer), the refinement
  // and the stopping rule.
  { name: '--hidden 3 --iters 100', options: { hidden: [3], iters: 100 } },
  { name: '--step normalized --iters 300', options: { step: 'normalized', iters: 300 } },
  { name: '--step backtracking --s 3', options: { step: 'backtracking', s: 3 } },
  // (A fixed step: the bound's eigenvalue differs natively and in WebAssembly in
  // its last bits, and on the sweep's dense point, where IRIS is separable and
  // the loss has no minimiser, Newton's steps towards infinity magnify that to
  // 1e-5. With the same γ the runs agree.)
  { name: '--refine on --s 4 --iters 50 --step 0.5', options: { refine: true, s: 4, iters: 50, step: 0.5 } },
  { name: '--ridge 0.01 --stop-when-stable on', options: { ridge: 0.01, stopWhenStable: true } },
  { name: 'CSV file', options: { s: 4 }, csv: true },
];

const TAKES = {
  train: () => true,
  sweep: (name) => name !== 's',
  lipschitz: (name) => !['step', 'iters', 'stepFactor', 'batchSize', 'tolerance', 'refine', 'stopWhenStable'].includes(name),
};

function optionsFor(command, c) {
  const options = Object.fromEntries(Object.entries(c.options).filter(([k]) => TAKES[command](k)));
  const args = toArgs(options);
  if (c.csv) {
    options.data = { csv: csvText };
    args.push('--data', csvPath);
  }
  return { options, args };
}

function nativeJson(command, args) {
  const r = runNative([command, ...args, '--json']);
  assert.equal(r.status, 0, `iht ${command} ${args.join(' ')} --json: ${r.stderr}`);
  assert.equal(r.stderr, '');
  assert.ok(r.stdout.endsWith('}\n'), 'one JSON document and a newline');
  return JSON.parse(r.stdout);
}

let iht;
before(async () => { iht = await load(); });

test('the comparison itself catches differences', () => {
  const base = { a: 1, b: [1, 2], c: { d: 'x', e: true, f: null } };
  assertParity(base, { a: 1 + 1e-12, b: new Float64Array([1, 2]), c: { d: 'x', e: true, f: null } });
  assertParity({ x: null }, { x: NaN });
  assert.throws(() => assertParity(base, { ...base, a: 1 + 1e-8 }), /relative/);
  assert.throws(() => assertParity(base, { ...base, b: [1, 2, 3] }), /length/);
  assert.throws(() => assertParity(base, { ...base, extra: 1 }), /key sets differ/);
  assert.throws(() => assertParity(base, { ...base, c: { d: 'x', e: false, f: null } }));
  assert.throws(() => assertParity(base, { ...base, c: { d: 'x', e: true, f: 0 } }));
  assert.throws(() => assertParity({ x: 0 }, { x: 1e-11 }));
});

describe('train: JS API vs native --json', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const { options, args } = optionsFor('train', c);
      const native = nativeJson('train', args);
      const js = iht.train(options);
      assertParity(native, js);
      // The comparison above is only as good as what it compares.
      assert.ok(js.theta instanceof Float64Array && js.theta.length === js.n);
      assert.ok(js.history.loss.length > 1);
      assert.equal(js.support.length, Math.min(js.s, js.n));
      if (c.options.testFraction === 0) {
        assert.equal(native.testLoss, null);
        assert.equal(native.testAccuracy, null);
        assert.equal(js.testLoss, null);
        assert.equal(js.testAccuracy, null);
        assert.equal(js.confusionOn, 'train');
      } else {
        assert.equal(typeof js.testLoss, 'number');
      }
      if (c.csv) {
        assert.deepEqual(js.features, ['height', 'width', 'depth']);
        assert.deepEqual(js.classes, ['alpha', 'beta', 'gamma']);
      }
    });
  }
});

describe('sweep: JS API vs native --json', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const { options, args } = optionsFor('sweep', c);
      const native = nativeJson('sweep', args);
      const js = iht.sweep(options);
      assertParity(native, js);
      assert.equal(js.points.length, js.dense.n, 'one point for every s from 1 to n');
      assert.deepEqual(js.points.map((p) => p.s), Array.from({ length: js.dense.n }, (_, i) => i + 1));
    });
  }
});

describe('lipschitz: estimateL2s vs native --json', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const { options, args } = optionsFor('lipschitz', c);
      const native = nativeJson('lipschitz', args);
      const js = iht.estimateL2s(options);
      assertParity(native, js);
      assert.equal(js.ratios.length, 1000);
      assert.equal(js.max, Math.max(...js.ratios));
    });
  }
});

describe('npm command (dist/cli.mjs) vs native iht', () => {
  test('train --json parses to the same numbers', () => {
    for (const args of [['train', '--json'], ['train', '--s', '3', '--seed', '7', '--json']]) {
      const npm = runNpmCli(args);
      const native = runNative(args);
      assert.equal(npm.status, 0, npm.stderr);
      assert.equal(native.status, 0, native.stderr);
      assertParity(JSON.parse(native.stdout), JSON.parse(npm.stdout));
    }
  });

  const TEXT_CASES = [
    ['train'],
    ['train', '--s', '3', '--seed', '7'],
    ['train', '--hidden', '5', '--activation', 'relu', '--s', '12', '--step', '0.3', '--iters', '200'],
    ['train', '--test-fraction', '0'],
    ['sweep'],
    ['sweep', '--test-fraction', '0', '--seed', '7'],
    ['lipschitz'],
    ['lipschitz', '--s', '3', '--samples', '200', '--seed', '9'],
  ];
  for (const args of TEXT_CASES) {
    test(`text output is byte-identical: ${args.join(' ')}`, () => {
      const native = runNative(args);
      const npm = runNpmCli(args);
      assert.equal(native.status, 0, native.stderr);
      assert.equal(npm.status, 0, npm.stderr);
      assert.ok(native.stdout.length > 100);
      assert.equal(npm.stdout, native.stdout);
      assert.equal(npm.stderr, '');
    });
  }

  test('text output is byte-identical with a CSV file', () => {
    for (const command of ['train', 'sweep', 'lipschitz']) {
      const args = [command, '--data', csvPath];
      const native = runNative(args);
      const npm = runNpmCli(args);
      assert.equal(native.status, 0, native.stderr);
      assert.equal(npm.status, 0, npm.stderr);
      assert.match(native.stdout, /3 features, 3 classes/);
      assert.equal(npm.stdout, native.stdout, command);
    }
  });

  const BAD = [
    ['train', '--s', '0'],
    ['train', '--s', '16'],
    ['train', '--step', 'fast'],
    ['train', '--iters'],
    ['train', '--bogus', '1'],
    ['train', 'extra'],
    ['sweep', '--s', '3'],
    ['lipschitz', '--samples', '0'],
    ['lipschitz', '--step', '0.1'],
    ['frobnicate'],
    [],
    ['train', '--data', raggedPath],
    ['train', '--data', join(tmp, 'missing.csv')],
    ['train', '--data', tmp], // a directory
  ];
  for (const args of BAD) {
    test(`bad input: exit 2 and the native stderr line: ${args.join(' ') || '(no arguments)'}`, () => {
      const native = runNative(args);
      const npm = runNpmCli(args);
      assert.equal(native.status, 2, `native status (stderr ${native.stderr})`);
      assert.match(native.stderr, /^iht: [^\n]+\n$/, 'native: one line on stderr');
      assert.equal(native.stdout, '');
      assert.equal(npm.status, 2, `npm status (stderr ${npm.stderr})`);
      assert.equal(npm.stdout, '');
      assert.equal(npm.stderr, native.stderr);
    });
  }
});
