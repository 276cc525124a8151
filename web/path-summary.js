// What a sparsity path shows, in plain words, computed from the sweep's
// numbers (iht.sweep()): where warm starts beat the cold start, where IHT
// beats or loses to the baselines at the same nonzero count, where it reaches
// the best of all supports, and which s cross-validation chooses. No DOM
// here: view 6 puts the sentences in place, the node tests read them.
import { formatNumber, formatPercent } from './format.js';

// Two objectives differ when they differ by more than this, relative to
// their size: runs that end within it have found the same point, up to the
// trainer's stopping tolerance.
const TOLERANCE = 1e-6;

const lower = (a, b) => a < b - TOLERANCE * Math.max(1, Math.abs(b));

/** Whether a point reached the best of all supports (its exactGap within the tolerance). */
export function reachesOptimum(p) {
  return p.exact !== null && p.exactGap !== null && p.exactGap <= TOLERANCE * Math.max(1, Math.abs(p.exact.objective));
}

// Every comparison is on what IHT minimises, the training objective: the
// train loss, plus λ/2 ‖θ‖² with a ridge.
const objectiveName = (points) =>
  points.some((p) => Math.abs(p.objective - p.trainLoss) > TOLERANCE * Math.max(1, Math.abs(p.trainLoss))) ? 'training objective' : 'train loss';

/** 'C(n, s)' as a number: how many supports of size s a vector of n entries has. */
export function supportCount(n, s) {
  let c = 1;
  for (let i = 1; i <= s; i++) c = (c * (n - s + i)) / i;
  return Math.round(c);
}

/**
 * The values of s in `chosen`, written as runs of neighbouring grid points:
 * grid [1 … 15], chosen [1, 2, 3, 7, 9, 10] → 's = 1–3, 7, 9–10'.
 */
export function sRanges(grid, chosen) {
  const wanted = new Set(chosen);
  const parts = [];
  let run = null;
  for (const s of grid) {
    if (wanted.has(s)) {
      if (run) run[1] = s;
      else run = [s, s];
    } else if (run) {
      parts.push(run);
      run = null;
    }
  }
  if (run) parts.push(run);
  return `s = ${parts.map(([a, b]) => (a === b ? String(a) : `${a}–${b}`)).join(', ')}`;
}

const count = (k, total) => `${k} of ${total} values of s`;

function warmSentence(points, grid, what) {
  const better = points.filter((p) => lower(p.objective, p.cold.objective));
  if (!better.length) {
    return points.every((p) => p.start === 'cold')
      ? 'Every point is a cold start.'
      : 'A warm start from a neighbouring s never did better than the cold start.';
  }
  let best = better[0];
  for (const p of better) if (p.cold.objective - p.objective > best.cold.objective - best.objective) best = p;
  return (
    `Warm starts from a neighbouring s beat the cold start at ${count(better.length, points.length)} ` +
    `(${sRanges(grid, better.map((p) => p.s))}), lowering the ${what} by up to ` +
    `${formatNumber(best.cold.objective - best.objective)} (at s = ${best.s}); the dashed line is the cold start.`
  );
}

function monotoneSentence(points, grid, what) {
  const rises = points.filter((p, i) => i > 0 && lower(points[i - 1].objective, p.objective));
  if (points.length < 2) return '';
  return rises.length
    ? `The best ${what} still rises with s at ${sRanges(grid, rises.map((p) => p.s))}.`
    : `The best ${what} never rises as s grows.`;
}

function baselineSentence(points, grid, key, name, hasTest, what) {
  const withBaseline = points.filter((p) => p.baselines);
  if (!withBaseline.length) return '';
  const b = (p) => p.baselines[key];
  const wins = withBaseline.filter((p) => lower(p.objective, b(p).objective));
  const losses = withBaseline.filter((p) => lower(b(p).objective, p.objective));
  const total = withBaseline.length;
  let text;
  if (!losses.length) {
    text = `IHT's ${what} is at or below ${name}'s at every s` + (wins.length ? ` (lower at ${count(wins.length, total)})` : '');
  } else {
    let worst = losses[0];
    for (const p of losses) if (p.objective - b(p).objective > worst.objective - b(worst).objective) worst = p;
    text =
      `IHT's ${what} is lower than ${name}'s at ${count(wins.length, total)} and higher at ` +
      `${sRanges(grid, losses.map((p) => p.s))} (by up to ${formatNumber(worst.objective - b(worst).objective)} at s = ${worst.s})`;
  }
  const acc = hasTest ? (p) => p.testAccuracy : (p) => p.trainAccuracy;
  const bAcc = hasTest ? (p) => b(p).testAccuracy : (p) => b(p).trainAccuracy;
  // Where, as values of s (as the loss sentence says), not bare counts.
  const above = withBaseline.filter((p) => acc(p) > bAcc(p) + 1e-12).map((p) => p.s);
  const below = withBaseline.filter((p) => acc(p) < bAcc(p) - 1e-12).map((p) => p.s);
  const where = [];
  if (above.length) where.push(`higher at ${sRanges(grid, above)}`);
  if (below.length) where.push(`lower at ${sRanges(grid, below)}`);
  return `${text}; its ${hasTest ? 'test' : 'train'} accuracy is ${where.length ? where.join(' and ') : 'the same at every s'}.`;
}

function exactSentence(result, grid) {
  const known = result.points.filter((p) => p.exact && p.exactGap !== null);
  if (!known.length) return result.exactNote ? `No comparison with the best of all supports (${result.exactNote}).` : '';
  const misses = known.filter((p) => !reachesOptimum(p));
  const head = `Enumerating every support gives the global optimum of each s (the open circles): IHT's path reaches it at ${count(known.length - misses.length, known.length)}`;
  if (!misses.length) return `${head}.`;
  let worst = misses[0];
  for (const p of misses) if (p.exactGap > worst.exactGap) worst = p;
  return `${head} and misses it at ${sRanges(grid, misses.map((p) => p.s))}, by up to ${formatNumber(worst.exactGap)} in the objective (s = ${worst.s}, the best of ${supportCount(result.dense.n, worst.s).toLocaleString('en-US')} supports).`;
}

// Accuracy on the test split, or on the training split when there is none.
const hasTestSplit = (result) => result.dense.testAccuracy !== null;
const accuracyOf = (result) => (hasTestSplit(result) ? (p) => p.testAccuracy : (p) => p.trainAccuracy);

/** The smallest s of a path whose accuracy (test, else train) matches the dense network's, or null. */
export function smallestMatchingS(result) {
  const metric = accuracyOf(result);
  const target = metric(result.dense);
  return result.points.find((p) => metric(p) >= target - 1e-12)?.s ?? null;
}

/** The sentences under the charts of view 6, for a sweep result. */
export function pathSummary(result) {
  const { points, dense } = result;
  const grid = points.map((p) => p.s);
  const hasTest = hasTestSplit(result);
  const target = accuracyOf(result)(dense);
  const first = smallestMatchingS(result);
  const stable = points.filter((p) => p.htStable.stable).length;
  const what = objectiveName(points);
  const parts = [];
  if (!result.complete) {
    parts.push(`Partial path: the sweep was stopped before it finished (${points.length} of ${result.grid.length} values of s have a point), so some points may have only their cold start, and the baselines or cross-validation may be missing.`);
  }
  parts.push(
    `Dense network (s = n = ${dense.n}): ${hasTest ? 'test' : 'train'} accuracy ${formatPercent(target)}, train loss ${formatNumber(dense.trainLoss)}.`,
    first !== null ? `The smallest s that matches it is s = ${first}.` : 'No sparse network matches it.',
    warmSentence(points, grid, what),
    monotoneSentence(points, grid, what),
    baselineSentence(points, grid, 'magnitude', 'magnitude pruning', hasTest, what),
    baselineSentence(points, grid, 'l1', 'L1', hasTest, what),
    exactSentence(result, grid),
    `${stable} of ${points.length} sparse solutions are HT-stable.`,
  );
  return parts.filter(Boolean).join(' ');
}

/** What cross-validation chose, or null without it. */
export function cvSummary(result) {
  const { cv } = result;
  if (!cv) return null;
  const chosen = result.points.find((p) => p.s === cv.chosenS);
  const at = chosen
    ? chosen.testAccuracy !== null
      ? ` At s = ${cv.chosenS} the path's test accuracy is ${formatPercent(chosen.testAccuracy)}, reported only now that s is chosen.`
      : ` At s = ${cv.chosenS} the path's train accuracy is ${formatPercent(chosen.trainAccuracy)}.`
    : '';
  const criterion = cv.criterion?.chosenS != null ? ` ${cv.criterion.name} (γ = ${cv.criterion.gamma}) chooses s = ${cv.criterion.chosenS}.` : '';
  return (
    `${cv.folds}-fold cross-validation inside the training split chooses s = ${cv.chosenS} by the one-standard-error rule ` +
    `(the smallest s whose mean validation loss is within one standard error of the lowest, at s = ${cv.minS}).${criterion} ` +
    `The test split was not used to choose s.${at}`
  );
}

/**
 * A path's figures for view 8's A/B table: the smallest s as accurate as the
 * dense network (null: none), the s cross-validation chooses (null: no CV),
 * and the path's accuracy at s (null: s is not on its grid); accuracy is
 * 'test', or 'train' without a test split.
 */
export function pathFigures(result, s) {
  const at = result.points.find((p) => p.s === s);
  return {
    matchS: smallestMatchingS(result),
    cvS: result.cv ? result.cv.chosenS : null,
    accuracy: hasTestSplit(result) ? 'test' : 'train',
    accuracyAt: at ? accuracyOf(result)(at) : null,
  };
}

/**
 * The sentence on run A's path when A is pinned (view 6), after B's summary.
 * a: A's sweep result, or null when A has none yet; b: B's, or null.
 * sameSweep: A's settings differ from B's only in s, so one sweep is both paths.
 */
export function pinnedPathSummary(a, b, { sameSweep = false } = {}) {
  if (!a) return 'Run A is pinned but has no path yet: press Sweep to trace it beside B\'s.';
  if (sameSweep) return 'Run A\'s settings differ from B\'s only in s, and a sweep covers every s: A\'s path is B\'s, drawn over it.';
  const hasTest = hasTestSplit(a);
  const which = hasTest ? 'test' : 'train';
  const match = smallestMatchingS(a);
  const parts = [
    `Run A's path: the dense network's ${which} accuracy is ${formatPercent(accuracyOf(a)(a.dense))}, ` +
      (match !== null ? `and the smallest s that matches it is s = ${match}.` : 'and no sparse network of A matches it.'),
  ];
  if (!a.complete) parts.push(`A's path is partial (${a.points.length} of ${a.grid.length} values of s).`);
  if (b) {
    // Point by point at the values of s both paths have.
    const inB = new Map(b.points.map((p) => [p.s, p]));
    const pairs = a.points.filter((p) => inB.has(p.s)).map((p) => [p, inB.get(p.s)]);
    if (pairs.length) {
      const bothTest = hasTest && hasTestSplit(b);
      const acc = (p) => (bothTest ? p.testAccuracy : p.trainAccuracy);
      const lossLower = pairs.filter(([pa, pb]) => lower(pa.trainLoss, pb.trainLoss)).length;
      const lossHigher = pairs.filter(([pa, pb]) => lower(pb.trainLoss, pa.trainLoss)).length;
      const accHigher = pairs.filter(([pa, pb]) => acc(pa) > acc(pb) + 1e-12).length;
      const accLower = pairs.filter(([pa, pb]) => acc(pa) < acc(pb) - 1e-12).length;
      const n = pairs.length;
      // "below B's at 2, above B's at 1 and level with B's at 1"; "all n" when one word covers them.
      const tally = (first, second, [w1, w2]) => {
        const at = (k) => (k === n ? `all ${n}` : `${k}`);
        const bits = [];
        if (first) bits.push(`${w1} B's at ${at(first)}`);
        if (second) bits.push(`${w2} B's at ${at(second)}`);
        if (n - first - second) bits.push(`level with B's at ${at(n - first - second)}`);
        return bits.length > 1 ? `${bits.slice(0, -1).join(', ')} and ${bits.at(-1)}` : bits[0];
      };
      parts.push(
        `At the ${n} values of s both paths have, A's train loss is ${tally(lossLower, lossHigher, ['below', 'above'])}; ` +
          `its ${bothTest ? 'test' : 'train'} accuracy is ${tally(accHigher, accLower, ['above', 'below'])}.`,
      );
    } else parts.push('A\'s and B\'s paths have no value of s in common.');
    if (a.cv && b.cv) parts.push(`Cross-validation chooses s = ${a.cv.chosenS} for A and s = ${b.cv.chosenS} for B.`);
    else if (a.cv) parts.push(`Cross-validation chooses s = ${a.cv.chosenS} for A.`);
  }
  return parts.join(' ');
}
