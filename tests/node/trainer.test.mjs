// The stepwise trainer of the live pages (createTrainer): stepping in pieces
// is the same computation as train(), its state and history are consistent,
// freeing is safe, create/free cycles do not leak, and results stay valid
// when wasm memory grows.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import load from '../../dist/index.node.mjs';
import { assertIdentical } from './helpers.mjs';

let iht;
before(async () => { iht = await load(); });

const HISTORY_FIELDS = ['loss', 'trainAccuracy', 'testAccuracy', 'nnz', 'entered', 'left', 'thetaNorm', 'step'];

const CASES = [
  { name: 'defaults (auto step, max_iterations)', options: {}, status: 'max_iterations' },
  { name: 's 1, converges', options: { s: 1, iters: 5000 }, status: 'converged' },
  {
    name: 'hidden 3 sigmoid, fixed step',
    options: { hidden: [3], activation: 'sigmoid', s: 8, step: 0.5, iters: 300 },
    status: 'max_iterations',
  },
  { name: 'no test set, seed 3', options: { testFraction: 0, s: 4, seed: 3, iters: 250 }, status: 'max_iterations' },
  { name: 'diverging step', options: { step: 1e6 }, status: 'diverged' },
];

describe('advancing in pieces is bit-identical to train()', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const expected = iht.train(c.options);
      assert.equal(expected.status, c.status, 'the case covers the intended status');
      const trainer = iht.createTrainer(c.options);
      try {
        let previous = trainer.state().iteration;
        let calls = 0;
        while (!trainer.state().done) {
          const status = trainer.advance(7);
          const state = trainer.state();
          assert.equal(status, state.status, 'advance returns the status afterwards');
          assert.ok(state.iteration - previous <= 7 && state.iteration >= previous);
          if (!state.done) assert.equal(state.iteration - previous, 7, 'a full piece unless it stopped');
          previous = state.iteration;
          assert.ok(++calls <= 5000 / 7 + 2, 'terminates');
        }
        const state = trainer.state();
        assert.equal(state.status, expected.status);
        assert.equal(state.iteration, expected.iterations);
        assertIdentical(state.theta, expected.theta, 'state().theta');
        assertIdentical(state.support, expected.support, 'state().support');
        assertIdentical(trainer.history(), expected.history, 'history()');
        assertIdentical(trainer.result(), expected, 'result()');
        // Once done, advancing changes nothing.
        assert.equal(trainer.advance(7), expected.status);
        assert.equal(trainer.state().iteration, expected.iterations);
        assertIdentical(trainer.result(), expected, 'result() after a further advance');
      } finally {
        trainer.free();
      }
    });
  }

  test('uneven pieces (0, 1, 13, 2, 100, …) give the same result', () => {
    const options = { s: 3, seed: 11, iters: 400 };
    const expected = iht.train(options);
    const trainer = iht.createTrainer(options);
    const pieces = [0, 1, 13, 2, 100, 0, 5, 1000];
    for (const k of pieces) {
      const before = trainer.state().iteration;
      trainer.advance(k);
      assert.equal(trainer.state().iteration, Math.min(before + k, expected.iterations));
    }
    assertIdentical(trainer.result(), expected);
    trainer.free();
  });
});

describe('state(), history(from), l2sEstimate(), stop()', () => {
  test('state() fields at the start and after some iterations', () => {
    const options = { s: 4, seed: 5, step: 'estimate' };
    const expected = iht.train(options);
    const trainer = iht.createTrainer(options);
    const check = (state, k) => {
      assert.deepEqual(Object.keys(state).sort(),
        ['changedAt', 'done', 'entered', 'iteration', 'l2s', 'left', 'loss', 'nnz', 'status', 'stepCertified', 'stepRule',
          'stepSize', 'support', 'theta'].sort());
      assert.equal(state.stepRule, 'estimate');
      assert.equal(state.stepCertified, false);
      assert.equal(state.iteration, k);
      assert.equal(state.status, 'running');
      assert.equal(state.done, false);
      assert.ok(state.theta instanceof Float64Array);
      assert.ok(state.support instanceof Int32Array);
      assert.equal(state.theta.length, expected.n);
      assert.equal(state.nnz, state.support.length);
      assert.ok(state.nnz <= 4);
      // θ is zero off the support, and the support is sorted.
      for (let i = 1; i < state.support.length; ++i) assert.ok(state.support[i - 1] < state.support[i]);
      const onSupport = new Set(state.support);
      state.theta.forEach((v, i) => { if (!onSupport.has(i)) assert.equal(v, 0, `θ[${i}] off the support`); });
      assert.equal(state.loss, expected.history.loss[k], 'loss is f(θ_k) of the history');
      assert.equal(state.nnz, expected.history.nnz[k]);
      assert.equal(state.stepSize, expected.stepSize);
      assert.equal(state.l2s, expected.l2s);
      assert.equal(typeof state.l2s, 'number', 'estimate step: the estimate behind it');
    };
    check(trainer.state(), 0);
    trainer.advance(25);
    check(trainer.state(), 25);
    trainer.free();

    const fixed = iht.createTrainer({ step: 0.5 });
    assert.equal(fixed.state().stepRule, 'fixed');
    assert.equal(fixed.state().l2s, null);
    assert.equal(fixed.state().stepSize, 0.5);
    assert.equal(fixed.l2sEstimate(), null);
    fixed.free();
  });

  test('history(from) returns the tail from iteration `from`', () => {
    // Backtracking, so the history has its steps too.
    const options = { s: 6, seed: 2, iters: 100, step: 'backtracking' };
    const expected = iht.train(options);
    assert.equal(expected.history.step.length, 101);
    const trainer = iht.createTrainer(options);
    trainer.advance(40);
    assert.equal(trainer.state().stepSize, expected.history.step[40]);
    assert.equal(trainer.state().stepCertified, true);
    const full = trainer.history();
    assert.equal(full.loss.length, 41, 'θ_0 … θ_40');
    for (const from of [0, 1, 17, 40, 41, 1000]) {
      const tail = trainer.history(from);
      assert.deepEqual(Object.keys(tail).sort(), [...HISTORY_FIELDS].sort());
      for (const field of HISTORY_FIELDS) {
        assertIdentical(tail[field], expected.history[field].slice(from, 41), `history(${from}).${field}`);
      }
    }
    assertIdentical(trainer.history(0), trainer.history());
    for (const bad of [-1, 1.5, '3', NaN]) {
      assert.throws(() => trainer.history(bad), /from/);
    }
    for (const bad of [-1, 1.5, '3', NaN, Infinity]) {
      assert.throws(() => trainer.advance(bad), /\bk\b/);
    }
    assert.equal(trainer.state().iteration, 40, 'bad arguments change nothing');
    trainer.free();
  });

  test('advance() takes one step; k and from are integers from 0 to 2^31 − 1', () => {
    const options = { step: 0.5, iters: 30 };
    const trainer = iht.createTrainer(options);
    trainer.advance();
    assert.equal(trainer.state().iteration, 1, 'advance() is advance(1)');
    // The bounds are those of the wasm side's int: one above is refused
    // before it reaches it, the largest is a valid request.
    assert.throws(() => trainer.advance(2 ** 31), /^SparseIhtError: sparse-iht trainer\.advance: k must be an integer/);
    assert.throws(() => trainer.history(2 ** 31), /^SparseIhtError: sparse-iht trainer\.history: from must be an integer/);
    assert.throws(() => trainer.advance('2'),
      /^SparseIhtError: sparse-iht trainer\.advance: k must be an integer ≥ 0, got '2'$/);
    assert.equal(trainer.state().iteration, 1, 'refused arguments change nothing');
    for (const field of HISTORY_FIELDS) assert.equal(trainer.history(2 ** 31 - 1)[field].length, 0, field);
    assert.equal(trainer.advance(2 ** 31 - 1), 'max_iterations');
    assert.equal(trainer.state().iteration, 30);
    assertIdentical(trainer.result(), iht.train(options));
    trainer.free();
  });

  test("l2sEstimate() is the estimate behind the 'estimate' step", () => {
    const trainer = iht.createTrainer({ s: 4, seed: 2, samples: 300, step: 'estimate' });
    const estimate = trainer.l2sEstimate();
    assertIdentical(estimate, iht.estimateL2s({ s: 4, seed: 2, samples: 300 }));
    assert.equal(trainer.state().l2s, estimate.max);
    assert.equal(trainer.state().stepSize, 0.9 / estimate.max);
    trainer.free();
  });

  test('stop() ends the run with status stopped', () => {
    const trainer = iht.createTrainer({ step: 0.5 });
    trainer.advance(5);
    trainer.stop();
    assert.equal(trainer.state().status, 'stopped');
    assert.equal(trainer.state().done, true);
    assert.equal(trainer.advance(10), 'stopped');
    assert.equal(trainer.state().iteration, 5);
    const result = trainer.result();
    assert.equal(result.status, 'stopped');
    assert.equal(result.iterations, 5);
    assert.equal(result.history.loss.length, 6);
    trainer.free();
  });
});

describe('free()', () => {
  test('a freed trainer throws; free() twice is harmless; others are unaffected', () => {
    const live = iht.liveTrainers;
    const a = iht.createTrainer({ step: 0.5, iters: 50 });
    const b = iht.createTrainer({ step: 0.5, iters: 50 });
    assert.equal(iht.liveTrainers, live + 2);
    a.advance(3);
    assert.equal(a.freed, false);
    a.free();
    assert.equal(a.freed, true);
    assert.equal(b.freed, false);
    assert.equal(iht.liveTrainers, live + 1);
    for (const [name, use] of [['advance', () => a.advance(1)], ['state', () => a.state()],
      ['history', () => a.history()], ['result', () => a.result()],
      ['l2sEstimate', () => a.l2sEstimate()], ['stop', () => a.stop()]]) {
      assert.throws(use, (e) => e instanceof Error && /freed/.test(e.message), name);
    }
    assert.doesNotThrow(() => a.free());
    assert.doesNotThrow(() => a.free());
    assert.equal(iht.liveTrainers, live + 1);
    b.advance(60);
    assertIdentical(b.result(), iht.train({ step: 0.5, iters: 50 }));
    b.free();
    assert.equal(iht.liveTrainers, live);
  });
});

describe('memory', () => {
  test('10,000 create/free cycles do not leak', () => {
    // A fixed step keeps each cycle cheap (an auto step runs the 1,000-pair
    // Monte Carlo estimate on every create); every 20th cycle uses an auto
    // step with a small estimate and calls every method.
    const cycle = (i) => {
      if (i % 20 === 0) {
        const t = iht.createTrainer({ s: 3, samples: 10, seed: i, step: 'estimate' });
        t.advance(3);
        t.state();
        t.history(1);
        t.result();
        t.l2sEstimate();
        t.free();
      } else {
        iht.createTrainer({ step: 0.5, seed: i }).free();
      }
    };
    for (let i = 0; i < 200; ++i) cycle(i);
    const before = iht.heapInUse();
    assert.ok(before > 0, 'heapInUse() measures something');
    for (let i = 0; i < 10000; ++i) cycle(i);
    const growth = iht.heapInUse() - before;
    assert.ok(growth < 64 * 1024, `10,000 cycles grew the wasm heap by ${growth} bytes`);
    assert.equal(iht.liveTrainers, 0);

    // The measurement can see a leak: 50 trainers that are not freed.
    const kept = Array.from({ length: 50 }, () => iht.createTrainer({ step: 0.5 }));
    assert.ok(iht.heapInUse() - before > 64 * 1024, 'unfreed trainers show up in heapInUse()');
    for (const t of kept) t.free();
    assert.ok(iht.heapInUse() - before < 64 * 1024);
  });

  test('typed arrays stay valid after wasm memory grows', () => {
    const result = iht.train({ s: 3 });
    const trainer = iht.createTrainer({ s: 3 });
    trainer.advance(10);
    const state = trainer.state();
    const history = trainer.history();
    const copies = {
      theta: Array.from(result.theta), support: Array.from(result.support),
      loss: Array.from(result.history.loss), stateTheta: Array.from(state.theta),
      historyLoss: Array.from(history.loss),
    };

    // A big network needs far more than the initial 16 MiB of wasm memory.
    const big = iht.createTrainer({ hidden: [1000, 1000], step: 0.01, iters: 1 });
    assert.ok(iht.heapInUse() > 24 * 2 ** 20,
      `the big trainer holds ${iht.heapInUse()} bytes: memory must have grown`);
    big.advance(1);
    assert.equal(big.state().theta.length, 4 * 1000 + 1000 + 1000 * 1000 + 1000 + 1000 * 3 + 3);
    big.free();

    const same = (array, copy, name) => {
      assert.ok(array.buffer.byteLength > 0, `${name}: not detached`);
      assert.equal(array.length, copy.length, `${name}: length`);
      assert.deepEqual(Array.from(array), copy, `${name}: values`);
    };
    same(result.theta, copies.theta, 'train().theta');
    same(result.support, copies.support, 'train().support');
    same(result.history.loss, copies.loss, 'train().history.loss');
    same(state.theta, copies.stateTheta, 'state().theta');
    same(history.loss, copies.historyLoss, 'history().loss');

    // The old trainer carries on as if nothing happened.
    trainer.advance(1000);
    assertIdentical(trainer.result(), result);
    trainer.free();
  });
});
