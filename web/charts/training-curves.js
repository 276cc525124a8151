// View 1: train loss and train/test accuracy against the iteration, redrawn
// every animation frame while a run advances, with a data table alternative.
import { createLineChart, percentTicks } from './line-chart.js';
import { TRAIN, TEST } from './palette.js';
import { fillTable } from '../table.js';
import { formatNumber, formatPercent, formatStatus } from '../format.js';

// The table shows at most this many iterations (evenly spaced, plus every
// support change and the last); the CSV download has them all.
const TABLE_ROWS = 60;

export function createTrainingCurves({ lossEl, accuracyEl, summaryEl, tableEl }) {
  const loss = createLineChart(
    lossEl,
    [
      { label: 'train loss', ...TRAIN },
      { label: 'test loss (final)', ...TEST, points: true, width: 0 },
    ],
    { xLabel: 'iteration k', yLabel: 'cross-entropy', height: 190, sync: 'curves' },
  );
  const accuracy = createLineChart(
    accuracyEl,
    [
      { label: 'train accuracy', ...TRAIN, value: (u, v) => formatPercent(v) },
      { label: 'test accuracy', ...TEST, value: (u, v) => formatPercent(v) },
    ],
    { xLabel: 'iteration k', yLabel: 'accuracy', height: 170, yRange: [0, 1], yTicks: percentTicks, sync: 'curves' },
  );

  function draw(history, finalTestLoss = null) {
    const n = history.length;
    const xs = Array.from({ length: n }, (_, k) => k);
    const testLoss = new Array(n).fill(null);
    if (finalTestLoss !== null && n > 0) testLoss[n - 1] = finalTestLoss;
    const testAcc = history.testAccuracy.length ? history.testAccuracy : new Array(n).fill(null);
    loss.setData([xs, history.loss, testLoss]);
    accuracy.setData([xs, history.trainAccuracy, testAcc]);
  }

  function fillSummary(history, { iters, result, interrupted = false }) {
    const k = history.length - 1;
    if (k < 0) {
      summaryEl.textContent = 'No run yet.';
      return;
    }
    const last = (a) => (a.length ? a[a.length - 1] : null);
    const parts = [
      result
        ? `Finished after ${k} iterations (${formatStatus(result.status)}).`
        : interrupted
          ? `Interrupted at iteration ${k} of ${iters}.`
          : `Iteration ${k} of ${iters}.`,
      `Train loss ${formatNumber(last(history.loss))}`,
    ];
    if (result) parts.push(`test loss ${formatNumber(result.testLoss)}`);
    parts.push(`train accuracy ${formatPercent(last(history.trainAccuracy))}`);
    if (history.testAccuracy.length) parts.push(`test accuracy ${formatPercent(last(history.testAccuracy))}`);
    summaryEl.textContent = `${parts[0]} ${parts.slice(1).join(', ')}; ${last(history.nnz)} nonzero parameters.`;
  }

  function fillDataTable(history) {
    const n = history.length;
    const picked = new Set([0, n - 1]);
    const stride = Math.max(1, Math.ceil(n / TABLE_ROWS));
    for (let k = 0; k < n; k += stride) picked.add(k);
    for (let k = 1; k < n && picked.size < 3 * TABLE_ROWS; k++) {
      if (history.entered[k] > 0 || history.left[k] > 0) picked.add(k);
    }
    const rows = [...picked]
      .filter((k) => k >= 0 && k < n)
      .sort((a, b) => a - b)
      .map((k) => [
        k,
        formatNumber(history.loss[k], 6),
        formatPercent(history.trainAccuracy[k]),
        history.testAccuracy.length ? formatPercent(history.testAccuracy[k]) : '—',
        history.nnz[k],
        history.entered[k] ?? 0,
        history.left[k] ?? 0,
      ]);
    fillTable(tableEl, {
      caption:
        n > rows.length
          ? `${rows.length} of ${n} iterations: evenly spaced, every support change, and the last (download the CSV for all).`
          : `All ${n} iterations.`,
      columns: [
        { label: 'iteration', numeric: true },
        { label: 'train loss', numeric: true },
        { label: 'train accuracy', numeric: true },
        { label: 'test accuracy', numeric: true },
        { label: 'nonzeros', numeric: true },
        { label: 'entered support', numeric: true },
        { label: 'left support', numeric: true },
      ],
      rows,
    });
  }

  return {
    /** Live update while training. */
    update(history, iters) {
      draw(history);
      fillSummary(history, { iters });
    },
    /** The finished run: final test loss, summary and table. */
    finish(history, result) {
      draw(history, result.testLoss);
      fillSummary(history, { result });
      fillDataTable(history);
    },
    /** A run that ended without a result (its worker stopped): the history so far, with its table. */
    interrupt(history, iters) {
      draw(history);
      fillSummary(history, { iters, interrupted: true });
      fillDataTable(history);
    },
    clear() {
      loss.setData([[], [], []]);
      accuracy.setData([[], [], []]);
      summaryEl.textContent = 'Training…';
      tableEl.replaceChildren();
    },
    pngParts() {
      return [
        { canvas: loss.plot.ctx.canvas, key: loss.key },
        { canvas: accuracy.plot.ctx.canvas, key: accuracy.key },
      ];
    },
  };
}
