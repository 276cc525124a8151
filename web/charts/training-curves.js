// View 1: train loss and train/test accuracy against the iteration, redrawn
// every animation frame while a run advances, with a data table alternative.
// With a run pinned as A (ab-compare.js) the charts also draw A's finished
// curves, thinner and dotted, beside the current run B.
import { createLineChart, percentTicks } from './line-chart.js';
import { A_TRAIN, A_TEST, TRAIN, TEST } from './palette.js';
import { fillTable } from '../table.js';
import { formatNumber, formatPercent, formatStatus } from '../format.js';

// The table shows at most this many iterations (evenly spaced, plus every
// support change and the last); the CSV download has them all.
const TABLE_ROWS = 60;

export function createTrainingCurves({ lossEl, accuracyEl, summaryEl, tableEl }) {
  let pinned = null; // run A's history ({ loss, trainAccuracy, testAccuracy }) and final test loss
  let shown = { history: null, finalTestLoss: null };
  let loss;
  let accuracy;

  // The charts' series depend on whether A is pinned, so they are built again when that changes.
  function build() {
    loss?.destroy();
    accuracy?.destroy();
    const b = pinned ? 'B: ' : '';
    const pct = (u, v) => formatPercent(v);
    const aLoss = pinned
      ? [
          { label: 'A: train loss', ...A_TRAIN, width: 1.5 },
          { label: 'A: test loss (final)', ...A_TEST, points: true, width: 0 },
        ]
      : [];
    const aAccuracy = pinned
      ? [
          { label: 'A: train accuracy', ...A_TRAIN, width: 1.5, value: pct },
          { label: 'A: test accuracy', ...A_TEST, width: 1.5, value: pct },
        ]
      : [];
    loss = createLineChart(
      lossEl,
      [{ label: `${b}train loss`, ...TRAIN }, { label: `${b}test loss (final)`, ...TEST, points: true, width: 0 }, ...aLoss],
      { xLabel: 'iteration k', yLabel: 'cross-entropy', height: 190, sync: 'curves' },
    );
    accuracy = createLineChart(
      accuracyEl,
      [{ label: `${b}train accuracy`, ...TRAIN, value: pct }, { label: `${b}test accuracy`, ...TEST, value: pct }, ...aAccuracy],
      { xLabel: 'iteration k', yLabel: 'accuracy', height: 170, yRange: [0, 1], yTicks: percentTicks, sync: 'curves' },
    );
  }
  build();

  // Every series over one x axis, 0 … the longer run's last iteration; the shorter one ends early (null).
  function draw(history, finalTestLoss = null) {
    shown = { history, finalTestLoss };
    const n = history.length;
    const length = Math.max(n, pinned ? pinned.history.loss.length : 0);
    const xs = Array.from({ length }, (_, k) => k);
    const pad = (values) => Array.from({ length }, (_, k) => (k < values.length ? values[k] : null));
    const finalAt = (count, value) => Array.from({ length }, (_, k) => (value !== null && k === count - 1 ? value : null));
    const testAcc = history.testAccuracy.length ? history.testAccuracy : [];
    const lossData = [xs, pad(history.loss), finalAt(n, finalTestLoss)];
    const accuracyData = [xs, pad(history.trainAccuracy), pad(testAcc)];
    if (pinned) {
      const h = pinned.history;
      lossData.push(pad(h.loss), finalAt(h.loss.length, pinned.testLoss));
      accuracyData.push(pad(h.trainAccuracy), pad(h.testAccuracy ?? []));
    }
    loss.setData(lossData);
    accuracy.setData(accuracyData);
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
      draw({ length: 0, loss: [], trainAccuracy: [], testAccuracy: [] });
      summaryEl.textContent = 'Training…';
      tableEl.replaceChildren();
    },
    /**
     * Run A of an A/B comparison (its final result, with history), drawn
     * beside the current run; null removes it.
     */
    setPinned(result) {
      pinned = result ? { history: result.history, testLoss: result.testLoss } : null;
      build();
      if (shown.history) draw(shown.history, shown.finalTestLoss);
    },
    /** Each series as drawn: [{ chart: 'loss' | 'accuracy', label, points }], points = its non-null values. */
    seriesData() {
      return [
        ['loss', loss],
        ['accuracy', accuracy],
      ].flatMap(([chart, c]) =>
        c.plot.series.slice(1).map((series, i) => ({ chart, label: series.label, points: (c.plot.data[i + 1] ?? []).filter((v) => v !== null && v !== undefined).length })),
      );
    },
    pngParts() {
      return [
        { canvas: loss.plot.ctx.canvas, key: loss.key },
        { canvas: accuracy.plot.ctx.canvas, key: accuracy.key },
      ];
    },
  };
}
