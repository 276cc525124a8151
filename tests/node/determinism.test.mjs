// Same seed, same numbers: across two loads of the module, across module
// instances re-imported from disk, and between the ESM and CommonJS builds.
// A different seed gives different numbers, and an L̂_2s estimate split into
// ranges of pairs (firstPair) is the same as one run.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, test } from 'node:test';

import loadEsm from '../../dist/index.node.mjs';
import { assertIdentical, DIST } from './helpers.mjs';

const require = createRequire(import.meta.url);

// Small enough to keep the suite fast, and covering every kind of result.
const TRAIN = { s: 4, seed: 7, hidden: [4], iters: 300 };
const SWEEP = { seed: 7, iters: 150 };
const L2S = { s: 5, seed: 7, samples: 400 };

const everything = (iht) => ({
  train: iht.train(TRAIN),
  sweep: iht.sweep(SWEEP),
  l2s: iht.estimateL2s(L2S),
  iris: iht.iris(),
});

let esm;
let reference;
before(async () => {
  esm = await loadEsm();
  reference = everything(esm);
});

describe('same seed, same numbers', () => {
  test('two loads of the ESM module (two wasm instances)', async () => {
    const second = await loadEsm();
    assert.notEqual(second, esm, 'a second, independent instance');
    assertIdentical(everything(second), reference);
  });

  test('the module re-imported from disk (a fresh module record)', async () => {
    const url = pathToFileURL(join(DIST, 'index.node.mjs'));
    url.search = '?fresh=1';
    const fresh = await import(url.href);
    assert.notEqual(fresh.load, loadEsm);
    assertIdentical(everything(await fresh.load()), reference);
  });

  test('the CommonJS build (createRequire of dist/index.cjs)', async () => {
    const cjs = require(join(DIST, 'index.cjs'));
    assert.equal(typeof cjs.load, 'function');
    assert.equal(cjs.default, cjs.load);
    assert.notEqual(cjs.load, loadEsm, 'really the other build');
    const iht = await cjs.load();
    assertIdentical(everything(iht), reference);
  });

  test('the same call twice in one instance', () => {
    assertIdentical(esm.train(TRAIN), reference.train);
    assertIdentical(esm.estimateL2s(L2S), reference.l2s);
  });
});

describe('different seed, different numbers', () => {
  test('train: other split, other θ_0, other result', () => {
    const other = esm.train({ ...TRAIN, seed: 8 });
    assert.notDeepEqual(Array.from(other.theta), Array.from(reference.train.theta));
    assert.notEqual(other.history.loss[0], reference.train.history.loss[0], 'θ_0 or the split differs');
    assert.notEqual(other.trainLoss, reference.train.trainLoss);
  });

  test('estimateL2s: other Monte Carlo pairs', () => {
    const other = esm.estimateL2s({ ...L2S, seed: 8 });
    assert.equal(other.ratios.length, reference.l2s.ratios.length);
    const equal = other.ratios.filter((r, i) => r === reference.l2s.ratios[i]).length;
    assert.equal(equal, 0, `${equal} of ${other.ratios.length} ratios coincide`);
    assert.notEqual(other.max, reference.l2s.max);
  });

  test('sweep: other numbers', () => {
    const other = esm.sweep({ ...SWEEP, seed: 8 });
    assert.notEqual(other.dense.trainLoss, reference.sweep.dense.trainLoss);
    assert.notDeepEqual(other.points.map((p) => p.trainLoss), reference.sweep.points.map((p) => p.trainLoss));
  });
});

describe('estimateL2s split into ranges of pairs', () => {
  const whole = () => esm.estimateL2s({ s: 3, seed: 21, samples: 1000 });

  for (const cut of [1, 400, 999]) {
    test(`pairs [0, ${cut}) + [${cut}, 1000) equal one run of 1000`, () => {
      const one = whole();
      const a = esm.estimateL2s({ s: 3, seed: 21, samples: cut, firstPair: 0 });
      const b = esm.estimateL2s({ s: 3, seed: 21, samples: 1000 - cut, firstPair: cut });
      const joined = new Float64Array([...a.ratios, ...b.ratios]);
      assertIdentical(joined, one.ratios);
      assert.equal(Math.max(a.max, b.max), one.max);
    });
  }

  test('three workers (0–299, 300–649, 650–999)', () => {
    const one = whole();
    const parts = [[0, 300], [300, 350], [650, 350]]
      .map(([firstPair, samples]) => esm.estimateL2s({ s: 3, seed: 21, samples, firstPair }));
    assertIdentical(new Float64Array(parts.flatMap((p) => [...p.ratios])), one.ratios);
  });

  test('firstPair shifts the pairs (it is not ignored)', () => {
    const a = esm.estimateL2s({ s: 3, seed: 21, samples: 10, firstPair: 0 });
    const b = esm.estimateL2s({ s: 3, seed: 21, samples: 10, firstPair: 10 });
    assert.notDeepEqual(Array.from(a.ratios), Array.from(b.ratios));
  });
});
