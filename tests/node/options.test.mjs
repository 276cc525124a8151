// Issue #11: one option table and structured errors. The package lists the
// core's table with iht.options(); its types, the demo page's option module
// and the name checks derive from it; every error is a SparseIhtError whose
// code, option, line and column say what it is about.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import load, { SparseIhtError } from '../../dist/index.node.mjs';
import { OPTIONS } from '../../dist/options.mjs';
import { DIST } from './helpers.mjs';

let iht;
before(async () => {
  iht = await load();
});

/** The SparseIhtError fn throws (fails when it throws nothing or something else). */
function errorOf(fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SparseIhtError, `a SparseIhtError, got ${error}`);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'SparseIhtError');
    return error;
  }
  assert.fail('nothing was thrown');
}

describe('iht.options()', () => {
  test('lists s, step and iters with their defaults, and every field of each entry', () => {
    const table = iht.options();
    const byName = new Map(table.map((o) => [o.name, o]));
    assert.equal(byName.get('s').default, 5);
    assert.equal(byName.get('step').default, 'auto');
    assert.equal(byName.get('iters').default, 1000);
    assert.deepEqual(byName.get('hidden').default, []);
    assert.equal(byName.get('standardize').default, true);
    assert.equal(byName.get('label').default, null);
    assert.deepEqual(byName.get('activation').choices, ['tanh', 'relu', 'sigmoid']);
    assert.deepEqual(byName.get('step').choices, ['auto', 'bound', 'backtracking', 'normalized', 'estimate']);
    assert.equal(byName.get('testFraction').flag, '--test-fraction');
    assert.deepEqual(byName.get('s').commands, ['train', 'lipschitz']);
    assert.ok(!byName.has('json'), "the command line's --json is not a package option");
    for (const o of table) {
      assert.deepEqual(Object.keys(o).sort(), ['choices', 'commands', 'default', 'defaultHelp', 'expected', 'flag',
        'help', 'max', 'maxExclusive', 'maxItems', 'min', 'minExclusive', 'name', 'type'], o.name);
      assert.match(o.type, /^(integer|number|boolean|choice|string|integer-list)$/, o.name);
      assert.equal(o.flag, `--${o.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    }
  });

  test('is a copy: changing it changes nothing in the package', () => {
    const table = iht.options();
    table[0].default = 99;
    table.find((o) => o.name === 'activation').choices.push('swish');
    assert.equal(iht.options()[0].default, 5);
    assert.throws(() => iht.train({ activation: 'swish' }), SparseIhtError);
  });

  test('the page\'s dist/options.mjs is the same table', () => {
    assert.deepEqual(OPTIONS, iht.options());
  });

  test('each call takes exactly the options its commands list', () => {
    const table = iht.options();
    const calls = [
      ['train', (o) => iht.describe(o)],
      ['sweep', (o) => iht.sweep({ iters: 1, step: 0.5, hidden: [], ...o })],
      ['lipschitz', (o) => iht.estimateL2s({ samples: 1, ...o })],
    ];
    for (const [command, run] of calls) {
      for (const o of table) {
        // An out-of-range value reaches the core only when the name is taken.
        const bad = o.type === 'choice' ? 'nonsense' : o.type === 'boolean' ? 'maybe' : o.type === 'string' ? undefined : 'x';
        if (bad === undefined) continue;
        const error = errorOf(() => run({ [o.name]: bad }));
        if (o.commands.includes(command)) {
          assert.equal(error.code, 'bad-option', `${command} ${o.name}: ${error.message}`);
          assert.equal(error.option, o.name);
          assert.ok(error.message.includes(o.expected), error.message);
        } else {
          assert.equal(error.code, 'unknown-option', `${command} ${o.name}`);
          assert.equal(error.option, o.name);
        }
      }
    }
  });

  test('the shipped types declare exactly the options of each call', () => {
    const text = readFileSync(join(DIST, 'index.d.mts'), 'utf8');
    const members = (name) => {
      const m = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(text);
      assert.ok(m, `interface ${name}`);
      return [...m[1].matchAll(/^ {2}([A-Za-z]\w*)\?:/gm)].map((x) => x[1]).sort();
    };
    const table = iht.options();
    const of = (command) => table.filter((o) => o.commands.includes(command)).map((o) => o.name).sort();
    assert.deepEqual(members('Options'), of('train'));
    assert.deepEqual(members('SweepOptions'), of('sweep'));
    assert.deepEqual(members('L2sOptions'), of('lipschitz'));
    assert.deepEqual(members('DataOptions'),
      table.filter((o) => ['train', 'sweep', 'lipschitz'].every((c) => o.commands.includes(c))).map((o) => o.name).sort());
    assert.match(text, /activation\?: 'tanh' \| 'relu' \| 'sigmoid';/);
    assert.match(text, /step\?: number \| 'auto' \| 'bound' \| 'backtracking' \| 'normalized' \| 'estimate';/);
  });
});

describe('SparseIhtError', () => {
  test("train({ s: 0 }): bad-option, option 's'", () => {
    const e = errorOf(() => iht.train({ s: 0 }));
    assert.equal(e.code, 'bad-option');
    assert.equal(e.option, 's');
    assert.equal(e.message, "s (--s): expected an integer ≥ 1, got '0'");
    assert.equal(e.line, null);
    assert.equal(e.column, null);
  });

  test("train({ iter: 5 }): unknown-option, option 'iter'", () => {
    const e = errorOf(() => iht.train({ iter: 5 }));
    assert.equal(e.code, 'unknown-option');
    assert.equal(e.option, 'iter');
  });

  test('s larger than n: bad-option s; a camelCase option by its package name', () => {
    assert.equal(errorOf(() => iht.train({ s: 16 })).option, 's');
    const e = errorOf(() => iht.train({ testFraction: 1 }));
    assert.equal(e.option, 'testFraction');
    assert.equal(e.code, 'bad-option');
    assert.equal(errorOf(() => iht.train({ hidden: [1, 'x'] })).option, 'hidden');
  });

  test('a ragged CSV line: bad-data with its line; a bad cell with its line and column', () => {
    const ragged = errorOf(() => iht.train({ data: { csv: 'a,b,label\n1,2,x\n3,4,y\n5,6\n7,8,x\n' } }));
    assert.equal(ragged.code, 'bad-data');
    assert.equal(ragged.option, 'data');
    assert.equal(ragged.line, 4);
    assert.equal(ragged.column, null);
    const cell = errorOf(() => iht.parseCsv('a,b,label\n1,2,x\n3,four,y\n'));
    assert.equal(cell.code, 'bad-data');
    assert.equal(cell.option, null, 'parseCsv takes no options: the error is about its text');
    assert.equal(cell.line, 3);
    assert.equal(cell.column, 2);
  });

  test('a label column that is not there: bad-option label', () => {
    const e = errorOf(() => iht.train({ data: { csv: 'a,b\n1,x\n2,y\n' }, label: 'species' }));
    assert.equal(e.code, 'bad-option');
    assert.equal(e.option, 'label');
    const iris = errorOf(() => iht.train({ label: 'species' }));
    assert.equal(iris.option, 'label');
  });

  test('a freed trainer: bad-state', () => {
    const trainer = iht.createTrainer({ iters: 5 });
    trainer.free();
    const e = errorOf(() => trainer.state());
    assert.equal(e.code, 'bad-state');
    assert.equal(e.option, null);
  });

  test('the CommonJS build exports the same class', () => {
    const cjs = createRequire(import.meta.url)('../../dist/index.cjs');
    assert.equal(typeof cjs.SparseIhtError, 'function');
    assert.equal(new cjs.SparseIhtError('m', { code: 'bad-data' }).code, 'bad-data');
  });
});

describe('step rules', () => {
  test("step 'bound' is c / upper and certified, and the default on IRIS; the estimate is not certified", () => {
    const bound = iht.train({ step: 'bound', iters: 50 });
    const l2s = iht.estimateL2s({ samples: 10 });
    assert.equal(bound.stepRule, 'bound');
    assert.equal(bound.stepCertified, true);
    assert.ok(Math.abs(bound.stepSize - 0.9 / l2s.upper) < 1e-12 * bound.stepSize);
    const auto = iht.train({ iters: 50 });
    assert.equal(auto.stepRule, 'bound');
    assert.equal(auto.stepSize, bound.stepSize);
    const estimate = iht.train({ step: 'estimate', iters: 50 });
    assert.equal(estimate.stepRule, 'estimate');
    assert.equal(estimate.stepCertified, false);
    assert.ok(estimate.stepSize > 1 / l2s.upper);
    const fixed = iht.train({ step: 0.5, iters: 5 });
    assert.equal(fixed.stepRule, 'fixed');
    assert.equal(fixed.stepCertified, true);
  });

  test('auto with a hidden layer backtracks: every step certified, the loss never rises', () => {
    const r = iht.train({ hidden: [8], iters: 200 });
    assert.equal(r.stepRule, 'backtracking');
    assert.equal(r.stepCertified, true);
    assert.equal(r.history.step.length, r.history.loss.length);
    for (let k = 1; k < r.history.loss.length; k++) assert.ok(r.history.loss[k] <= r.history.loss[k - 1], `k = ${k}`);
    assert.equal(r.stepSize, r.history.step.at(-1));
  });

  test('ridge 1e-2 settles the verdict, and the reason says why', () => {
    const r = iht.train({ ridge: 1e-2 });
    assert.equal(r.htStable.stable, true);
    assert.match(r.htStable.reason, /^Stable: /);
    const plain = iht.train({});
    assert.equal(plain.htStable.stable, false);
    assert.match(plain.htStable.reason, /no finite minimiser: class 'Iris-setosa' is separable/);
    const early = iht.train({ ridge: 1e-2, stopWhenStable: true });
    assert.equal(early.status, 'stable');
    assert.ok(early.iterations < r.iterations);
  });

  test("'bound' with a hidden layer is an error of the step option", () => {
    assert.throws(() => iht.train({ step: 'bound', hidden: [4] }),
      (e) => e instanceof SparseIhtError && e.code === 'bad-option' && e.option === 'step' && /hidden layers/.test(e.message));
  });
});
