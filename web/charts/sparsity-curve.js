// View 2: final train/test loss and accuracy against s = 1 … n from a sweep,
// the dense network (s = n, trained by the same procedure) as dashed reference
// lines, and the current s marked.
import { createLineChart, drawMarker, percentTicks } from './line-chart.js';
import { COLOURS, DENSE_TEST, DENSE_TRAIN, TEST, TRAIN } from './palette.js';
import { fillTable } from '../table.js';
import { formatNumber, formatPercent, formatStatus } from '../format.js';

export function createSparsityCurve({ lossEl, accuracyEl, summaryEl, tableEl, progressEl, progressText }) {
  let sweep = null;
  // s is a count: integer ticks only.
  const xIncrs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
  let currentS = null;

  const marker = {
    draw: [
      (u) => drawMarker(u, currentS, { stroke: COLOURS.black, dash: [4, 3], label: currentS === null ? '' : `s = ${currentS}` }),
    ],
  };
  const loss = createLineChart(
    lossEl,
    [
      { label: 'train loss', ...TRAIN, points: true },
      { label: 'test loss', ...TEST, points: true },
      { label: 'dense train loss', ...DENSE_TRAIN, width: 1.5 },
      { label: 'dense test loss', ...DENSE_TEST, width: 1.5 },
    ],
    { xLabel: 'nonzero parameters s', yLabel: 'final loss', height: 190, sync: 'sparsity', hooks: marker, xIncrs },
  );
  const pct = (u, v) => formatPercent(v);
  const accuracy = createLineChart(
    accuracyEl,
    [
      { label: 'train accuracy', ...TRAIN, points: true, value: pct },
      { label: 'test accuracy', ...TEST, points: true, value: pct },
      { label: 'dense train accuracy', ...DENSE_TRAIN, width: 1.5, value: pct },
      { label: 'dense test accuracy', ...DENSE_TEST, width: 1.5, value: pct },
    ],
    { xLabel: 'nonzero parameters s', yLabel: 'final accuracy', height: 170, yRange: [0, 1], yTicks: percentTicks, sync: 'sparsity', hooks: marker, xIncrs },
  );

  function draw() {
    // Empty axes would suggest a result; the summary says how to get one.
    lossEl.hidden = accuracyEl.hidden = !sweep;
    if (!sweep) {
      loss.setData([[], [], [], [], []]);
      accuracy.setData([[], [], [], [], []]);
      return;
    }
    const { points, dense } = sweep;
    const xs = points.map((p) => p.s);
    const same = (v) => points.map(() => v);
    loss.setData([xs, points.map((p) => p.trainLoss), points.map((p) => p.testLoss), same(dense.trainLoss), same(dense.testLoss)]);
    accuracy.setData([
      xs,
      points.map((p) => p.trainAccuracy),
      points.map((p) => p.testAccuracy),
      same(dense.trainAccuracy),
      same(dense.testAccuracy),
    ]);
  }

  function fillSummary() {
    if (!sweep) {
      summaryEl.textContent = 'No sweep yet: press “Sweep” to train one network for every s from 1 to n.';
      return;
    }
    const { points, dense } = sweep;
    const hasTest = dense.testAccuracy !== null;
    const metric = (p) => (hasTest ? p.testAccuracy : p.trainAccuracy);
    const target = metric(dense);
    const first = points.find((p) => metric(p) >= target - 1e-12);
    const stable = points.filter((p) => p.htStable.stable).length;
    summaryEl.textContent =
      `Dense network (s = n = ${dense.n}): ${hasTest ? 'test' : 'train'} accuracy ${formatPercent(target)}, ` +
      `train loss ${formatNumber(dense.trainLoss)}. ` +
      (first ? `The smallest s that matches it is s = ${first.s}. ` : 'No sparse network matches it. ') +
      `${stable} of ${points.length} sparse solutions are HT-stable.`;
  }

  function fillDataTable() {
    if (!sweep) {
      tableEl.replaceChildren();
      return;
    }
    const row = (s, p, gap) => [
      { text: String(s), header: true },
      formatNumber(p.trainLoss, 6),
      formatNumber(p.testLoss, 6),
      formatPercent(p.trainAccuracy),
      formatPercent(p.testAccuracy),
      gap,
      p.htStable.stable ? 'stable' : 'not stable',
      formatStatus(p.status),
    ];
    fillTable(tableEl, {
      caption: 'Final results for every s; the last row is the dense network trained the same way.',
      columns: [
        { label: 's' },
        { label: 'train loss', numeric: true },
        { label: 'test loss', numeric: true },
        { label: 'train accuracy', numeric: true },
        { label: 'test accuracy', numeric: true },
        { label: 'gap to dense loss', numeric: true },
        { label: 'HT-stability' },
        { label: 'status' },
      ],
      rows: sweep.points.map((p) => row(p.s, p, formatNumber(p.gapToDense, 4))),
      foot: [row(`dense (${sweep.dense.n})`, sweep.dense, '0')],
    });
  }

  draw();

  return {
    set(result) {
      sweep = result;
      draw();
      fillSummary();
      fillDataTable();
    },
    get result() {
      return sweep;
    },
    setCurrentS(s) {
      currentS = s;
      loss.plot.redraw(false, false);
      accuracy.plot.redraw(false, false);
    },
    /** done/total runs, or null to hide the progress bar. */
    setProgress(done, total) {
      if (done === null) {
        progressEl.hidden = true;
        progressText.textContent = '';
        return;
      }
      progressEl.hidden = false;
      progressEl.max = total;
      progressEl.value = done;
      progressText.textContent = `Sweeping: ${done} of ${total} runs done.`;
    },
    pngParts() {
      return [
        { canvas: loss.plot.ctx.canvas, key: loss.key },
        { canvas: accuracy.plot.ctx.canvas, key: accuracy.key },
      ];
    },
  };
}
