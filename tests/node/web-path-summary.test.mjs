// The sentences of view 6 (web/path-summary.js) are computed from the sweep's
// numbers: a made-up path with known wins and losses gives known sentences,
// and changing one number changes them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { cvSummary, pathFigures, pathSummary, pinnedPathSummary, reachesOptimum, sRanges, smallestMatchingS, supportCount } from '../../web/path-summary.js';

const HT = { stable: true, margin: 1, supportGradInf: 0, reason: 'stable' };
const run = (loss, accuracy) => ({ trainLoss: loss, objective: loss, testLoss: loss, trainAccuracy: accuracy, testAccuracy: accuracy });

// Four points of s = 1, 2, 4, 15 (n = 15). Warm starts win at s = 1 and 2; magnitude
// pruning beats IHT at s = 4 by 0.02; L1 is worse everywhere; the optimum is missed at s = 2.
function path() {
  const point = (s, loss, cold, magnitude, l1, gap) => ({
    s, start: loss < cold ? 'up' : 'cold', ...run(loss, 0.9), htStable: HT, status: 'converged',
    cold: run(cold, 0.8),
    baselines: { magnitude: run(magnitude, 0.9), l1: run(l1, 0.85) },
    exact: { objective: loss - gap, trainLoss: loss - gap, support: [] }, exactGap: gap,
  });
  return {
    dense: { n: 15, ...run(0.05, 0.95), htStable: HT },
    points: [point(1, 0.5, 0.7, 0.6, 0.8, 0), point(2, 0.3, 0.35, 0.3, 0.4, 0.01), point(4, 0.1, 0.1, 0.08, 0.2, 0), point(15, 0.05, 0.05, 0.05, 0.06, 0)],
    grid: [1, 2, 4, 15],
    cv: null,
    supportFrequency: [],
    exactNote: null,
    complete: true,
  };
}

describe('path-summary', () => {
  test('sRanges joins neighbouring grid points, not neighbouring integers', () => {
    assert.equal(sRanges([1, 2, 3, 4, 5], [1, 2, 3, 5]), 's = 1–3, 5');
    assert.equal(sRanges([1, 2, 4, 8, 15], [2, 4, 8]), 's = 2–8');
    assert.equal(sRanges([1, 2, 3], [2]), 's = 2');
  });

  test('supportCount is C(n, s)', () => {
    assert.equal(supportCount(15, 5), 3003);
    assert.equal(supportCount(15, 15), 1);
    assert.equal(supportCount(15, 1), 15);
  });

  test('the sentences state the wins and losses of the numbers given', () => {
    const text = pathSummary(path());
    assert.match(text, /Warm starts from a neighbouring s beat the cold start at 2 of 4 values of s \(s = 1–2\), lowering the train loss by up to 0\.2 \(at s = 1\)/);
    assert.match(text, /never rises as s grows/);
    assert.match(text, /IHT's train loss is lower than magnitude pruning's at 1 of 4 values of s and higher at s = 4 \(by up to 0\.02 at s = 4\)/);
    assert.match(text, /IHT's train loss is at or below L1's at every s \(lower at 4 of 4 values of s\); its test accuracy is higher at s = 1–15\./);
    assert.match(text, /\(by up to 0\.02 at s = 4\); its test accuracy is the same at every s\./);
    assert.match(text, /reaches it at 3 of 4 values of s and misses it at s = 2, by up to 0\.01 in the objective \(s = 2, the best of 105 supports\)/);
    assert.doesNotMatch(text, /Partial/);
  });

  test('a changed number changes the sentences', () => {
    const changed = path();
    changed.points[2].baselines.magnitude = run(0.12, 0.9);
    changed.points[1].trainLoss = changed.points[1].objective = 0.6;
    changed.points[0].baselines.l1.testAccuracy = 0.95;
    const text = pathSummary(changed);
    // Where the accuracy is higher and lower, as values of s (it once gave bare counts: "higher at 3 and lower at 1").
    assert.match(text, /its test accuracy is higher at s = 2–15 and lower at s = 1\./);
    assert.match(text, /lower than magnitude pruning's at 2 of 4 values of s and higher at s = 2 \(by up to 0\.3 at s = 2\)/);
    assert.match(text, /still rises with s at s = 2/);
    assert.match(text, /beat the cold start at 1 of 4 values of s \(s = 1\)/);
  });

  test('a stopped sweep says it is partial; an unreached optimum is not optimal', () => {
    const stopped = { ...path(), complete: false, points: path().points.slice(0, 2) };
    assert.match(pathSummary(stopped), /^Partial path: the sweep was stopped before it finished \(2 of 4 values of s have a point\)/);
    assert.equal(reachesOptimum(path().points[1]), false);
    assert.equal(reachesOptimum(path().points[0]), true);
    assert.equal(reachesOptimum({ ...path().points[0], exact: null, exactGap: null }), false);
  });

  test('cross-validation: the choices, and that the test split chose nothing', () => {
    assert.equal(cvSummary(path()), null);
    const result = {
      ...path(),
      cv: { folds: 5, s: [1, 2, 4, 15], minS: 4, chosenS: 2, criterion: { name: 'EBIC', gamma: 0.5, chosenS: 4 } },
    };
    assert.equal(
      cvSummary(result),
      '5-fold cross-validation inside the training split chooses s = 2 by the one-standard-error rule (the smallest s ' +
        'whose mean validation loss is within one standard error of the lowest, at s = 4). EBIC (γ = 0.5) chooses s = 4. ' +
        "The test split was not used to choose s. At s = 2 the path's test accuracy is 90.0 %, reported only now that s is chosen.",
    );
  });
});

// Run A's path beside path() as B: A is lower in train loss at s = 1, higher at s = 4,
// equal at s = 2 and 15; more accurate at s = 2 and 15, less at s = 4.
function pathA() {
  const a = path();
  a.points[0].trainLoss = 0.4;
  a.points[2].trainLoss = 0.15;
  a.points[1].testAccuracy = 0.95;
  a.points[2].testAccuracy = 0.85;
  a.points[3].testAccuracy = 0.97;
  a.dense.testAccuracy = 0.9;
  return a;
}

describe('run A beside B (A/B)', () => {
  test('smallestMatchingS: the first s as accurate as the dense network, test accuracy first', () => {
    assert.equal(smallestMatchingS(path()), null, 'no point reaches 95 %');
    assert.equal(smallestMatchingS(pathA()), 1, 'every point of A reaches its dense 90 %');
    const noTest = path();
    noTest.dense.testAccuracy = null;
    noTest.dense.trainAccuracy = 0.9;
    assert.equal(smallestMatchingS(noTest), 1, 'without a test split, the train accuracy');
    assert.match(pathSummary(pathA()), /The smallest s that matches it is s = 1\./);
    assert.match(pathSummary(path()), /No sparse network matches it\./);
  });

  test('pathFigures: matching s, the s CV chose, and the accuracy at a given s', () => {
    assert.deepEqual(pathFigures(pathA(), 2), { matchS: 1, cvS: null, accuracy: 'test', accuracyAt: 0.95 });
    assert.deepEqual(pathFigures(path(), 3), { matchS: null, cvS: null, accuracy: 'test', accuracyAt: null }, 's = 3 is not on the grid');
    const withCv = { ...path(), cv: { folds: 3, s: [1, 2, 4, 15], minS: 4, chosenS: 2 } };
    assert.equal(pathFigures(withCv, 4).cvS, 2);
    const noTest = path();
    noTest.dense.testAccuracy = null;
    noTest.points[2].trainAccuracy = 0.7;
    assert.deepEqual(pathFigures(noTest, 4), { matchS: null, cvS: null, accuracy: 'train', accuracyAt: 0.7 });
  });

  test('pinnedPathSummary counts where A is above and below B, point by point at the shared s', () => {
    const text = pinnedPathSummary(pathA(), path());
    assert.equal(
      text,
      "Run A's path: the dense network's test accuracy is 90.0 %, and the smallest s that matches it is s = 1. " +
        "At the 4 values of s both paths have, A's train loss is below B's at 1, above B's at 1 and level with B's at 2; its test accuracy is above B's at 2, below B's at 1 and level with B's at 1.",
    );
    // A changed number changes the counts.
    const a = pathA();
    a.points[3].trainLoss = 0.01;
    assert.match(pinnedPathSummary(a, path()), /below B's at 2, above B's at 1 and level with B's at 1/);
    // One word for all of them.
    assert.match(pinnedPathSummary(path(), path()), /A's train loss is level with B's at all 4; its test accuracy is level with B's at all 4\./);
    const allBelow = path();
    for (const p of allBelow.points) p.trainLoss -= 0.001;
    assert.match(pinnedPathSummary(allBelow, path()), /A's train loss is below B's at all 4;/);
  });

  test('pinnedPathSummary: no path yet, the same sweep, a partial path, grids without a common s, CV', () => {
    assert.match(pinnedPathSummary(null, path()), /^Run A is pinned but has no path yet: press Sweep/);
    assert.match(pinnedPathSummary(path(), path(), { sameSweep: true }), /differ from B's only in s, .*A's path is B's/);
    const partial = { ...pathA(), complete: false, points: pathA().points.slice(0, 2) };
    assert.match(pinnedPathSummary(partial, path()), /A's path is partial \(2 of 4 values of s\)\. At the 2 values of s both paths have/);
    const apart = { ...pathA(), points: pathA().points.map((p) => ({ ...p, s: p.s + 100 })) };
    assert.match(pinnedPathSummary(apart, path()), /no value of s in common/);
    const cv = (chosenS) => ({ folds: 3, s: [1, 2, 4, 15], minS: 4, chosenS });
    assert.match(pinnedPathSummary({ ...pathA(), cv: cv(2) }, { ...path(), cv: cv(4) }), /Cross-validation chooses s = 2 for A and s = 4 for B\.$/);
    assert.match(pinnedPathSummary({ ...pathA(), cv: cv(2) }, path()), /Cross-validation chooses s = 2 for A\.$/);
    assert.doesNotMatch(pinnedPathSummary(pathA(), path()), /Cross-validation/);
    assert.doesNotMatch(pinnedPathSummary(pathA(), null), /both paths/, 'without B only A is described');
  });
});
