// Which ranks view 7 (one IHT step, web/charts/threshold.js) draws when n is
// too large for a bar per entry: the largest few, both sides of the cut at
// rank s, and the entries the step moved in or out of the support.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drawnSegments, MAX_BARS, rankByMagnitude } from '../../web/charts/threshold.js';

const ranks = (segments) => segments.flatMap(({ from, to }) => Array.from({ length: to - from }, (_, k) => from + k));

test('up to MAX_BARS entries every rank is drawn', () => {
  assert.deepEqual(drawnSegments(15, 5), [{ from: 0, to: 15 }]);
  assert.deepEqual(drawnSegments(MAX_BARS, 3), [{ from: 0, to: MAX_BARS }]);
  assert.deepEqual(drawnSegments(0, 0), []);
});

test('beyond it: the 10 largest, 15 either side of the cut, in order and without repeats', () => {
  const segments = drawnSegments(2410, 241);
  assert.deepEqual(segments, [{ from: 0, to: 10 }, { from: 226, to: 256 }]);
  const drawn = ranks(segments);
  assert.equal(drawn.filter((r) => r < 241).length, 10 + 15, 'kept ranks drawn');
  assert.equal(drawn.filter((r) => r >= 241).length, 15, 'zeroed ranks drawn');
});

test('a cut near either end merges with the head or stops at n', () => {
  assert.deepEqual(drawnSegments(2410, 20), [{ from: 0, to: 35 }]);
  assert.deepEqual(drawnSegments(2410, 1), [{ from: 0, to: 16 }]);
  assert.deepEqual(drawnSegments(2410, 2410), [{ from: 0, to: 10 }, { from: 2395, to: 2410 }]);
  assert.deepEqual(drawnSegments(200, 195), [{ from: 0, to: 10 }, { from: 180, to: 200 }]);
});

test('entries that entered or left the support are drawn wherever they rank, the nearest the cut first, at most 6', () => {
  assert.deepEqual(drawnSegments(2410, 241, [240, 500, 30]), [
    { from: 0, to: 10 }, { from: 30, to: 31 }, { from: 226, to: 256 }, { from: 500, to: 501 },
  ]);
  // Inside a window already: nothing added; repeats and out-of-range ranks ignored.
  assert.deepEqual(drawnSegments(2410, 241, [5, 230, 230, -1, 5000]), [{ from: 0, to: 10 }, { from: 226, to: 256 }]);
  const many = [300, 1000, 2000, 100, 50, 400, 260, 2400];
  const extra = ranks(drawnSegments(2410, 241, many)).filter((r) => many.includes(r));
  assert.deepEqual(extra, [50, 100, 260, 300, 400, 1000], 'the six nearest rank 241');
  // A change next to a window joins it.
  assert.deepEqual(drawnSegments(2410, 241, [256, 10]), [{ from: 0, to: 11 }, { from: 226, to: 257 }]);
});

test('ranks follow H_s: |v| descending, ties to the lower index', () => {
  assert.deepEqual(rankByMagnitude([0.5, -2, 2, 0, -0.5]), [1, 2, 0, 4, 3]);
});
