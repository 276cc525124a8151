// View 6: the sparsity path from a sweep (iht.sweep()). Against s, over the
// sweep's grid: the best of the cold and warm starts (solid) and the cold
// start alone (dashed), both baselines at the same nonzero count (magnitude
// pruning and L1), the dense network as dotted reference lines, the best of
// all C(n, s) supports as open circles where it was enumerated, and the
// current s marked. With cross-validation, a third chart shows the mean
// validation loss with a ±1 SE band and the chosen s, and a heat map the
// support stability. The sentences come from path-summary.js.
import { createLineChart, drawMarker, drawMarkers, percentTicks } from './line-chart.js';
import { COLOURS, DENSE_TEST, DENSE_TRAIN, TEST, TRAIN } from './palette.js';
import { createStabilityMap } from './stability-map.js';
import { fillTable } from '../table.js';
import { formatNumber, formatPercent, formatStatus } from '../format.js';
import { cvSummary, pathSummary, reachesOptimum } from '../path-summary.js';

const COLD = { stroke: COLOURS.blue, dash: [3, 3] };
const MAGNITUDE = { stroke: COLOURS.green, dash: [9, 3, 2, 3] };
const L1 = { stroke: COLOURS.purple, dash: [1, 3] };
const EXACT = { stroke: COLOURS.black, dash: [] };

// s is a count: integer ticks only.
const X_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
// Above this many parameters the grid is log-spaced, and so is the axis.
const LOG_ABOVE = 60;

const noLine = () => null;

export function createSparsityCurve({
  lossEl,
  accuracyEl,
  summaryEl,
  tableEl,
  progressEl,
  progressText,
  cvBoxEl,
  cvEl,
  cvSummaryEl,
  heatmapEl,
  stabilityTableEl,
}) {
  let sweep = null;
  let parameters = null;
  let currentS = null;
  let log = false;
  let charts = null;

  const marker = {
    draw: [(u) => drawMarker(u, currentS, { stroke: COLOURS.black, dash: [4, 3], label: currentS === null ? '' : `s = ${currentS}` })],
  };
  const cvMarkers = {
    draw: [
      (u) => {
        const cv = sweep?.cv;
        if (!cv) return;
        drawMarkers(u, [
          { x: cv.chosenS, stroke: COLOURS.black, dash: [], label: `1-SE rule: s = ${cv.chosenS}` },
          { x: cv.minS, stroke: COLOURS.vermillion, dash: [5, 3], label: `lowest: s = ${cv.minS}` },
          ...(cv.criterion?.chosenS != null
            ? [{ x: cv.criterion.chosenS, stroke: COLOURS.orange, dash: [1, 3], label: `${cv.criterion.name}: s = ${cv.criterion.chosenS}` }]
            : []),
        ]);
      },
    ],
  };

  function build() {
    const xLabel = 'nonzero parameters s';
    const common = { xIncrs: X_INCRS, xLog: log, sync: 'sparsity' };
    const loss = createLineChart(
      lossEl,
      [
        { label: 'IHT path (best start): train loss', ...TRAIN, points: true },
        { label: 'cold start: train loss', ...COLD, width: 1.5 },
        { label: 'IHT path: test loss', ...TEST, points: true },
        { label: 'magnitude pruning: train loss', ...MAGNITUDE, width: 1.5, points: true },
        { label: 'L1: train loss', ...L1, width: 1.5, points: true },
        { label: 'dense train loss', ...DENSE_TRAIN, width: 1.5 },
        { label: 'dense test loss', ...DENSE_TEST, width: 1.5 },
        { label: 'best of all C(n, s) supports', ...EXACT, paths: noLine, points: true, pointSize: 9, pointFill: '#fff' },
      ],
      { ...common, xLabel, yLabel: 'final loss', height: 210, hooks: marker },
    );
    const pct = (u, v) => formatPercent(v);
    const accuracy = createLineChart(
      accuracyEl,
      [
        { label: 'IHT path: train accuracy', ...TRAIN, points: true, value: pct },
        { label: 'IHT path: test accuracy', ...TEST, points: true, value: pct },
        { label: 'magnitude pruning: test accuracy', ...MAGNITUDE, width: 1.5, points: true, value: pct },
        { label: 'L1: test accuracy', ...L1, width: 1.5, points: true, value: pct },
        { label: 'dense train accuracy', ...DENSE_TRAIN, width: 1.5, value: pct },
        { label: 'dense test accuracy', ...DENSE_TEST, width: 1.5, value: pct },
      ],
      { ...common, xLabel, yLabel: 'final accuracy', height: 170, yRange: [0, 1], yTicks: percentTicks, hooks: marker },
    );
    const cv = createLineChart(
      cvEl,
      [
        { label: 'mean validation loss', ...TRAIN, points: true },
        { label: 'mean + 1 SE', stroke: COLOURS.skyBlue, dash: [], width: 1 },
        { label: 'mean − 1 SE', stroke: COLOURS.skyBlue, dash: [], width: 1 },
      ],
      {
        xLabel,
        yLabel: 'validation loss',
        height: 170,
        xIncrs: X_INCRS,
        xLog: log,
        hooks: cvMarkers,
        bands: [{ series: [2, 3], fill: 'rgba(86,180,233,0.25)' }],
      },
    );
    return { loss, accuracy, cv };
  }

  charts = build();
  const map = createStabilityMap({ boxEl: heatmapEl, tableEl: stabilityTableEl });

  // A series without any value (no baselines, no enumeration, no test split)
  // leaves the legend too, so the legend names only what is drawn.
  function showSeries(chart, index, visible) {
    if (chart.plot.series[index].show !== visible) chart.plot.setSeries(index, { show: visible });
    // The legend lists the y series only (its x row shows live values, which are off).
    const label = chart.plot.series[index].label;
    for (const row of chart.plot.root.querySelectorAll('.u-legend .u-series')) {
      if (row.textContent.trim() === label) row.hidden = !visible;
    }
  }
  const hasValue = (values) => values.some((v) => v !== null && v !== undefined);

  function setData(chart, data) {
    chart.setData(data);
    data.slice(1).forEach((values, i) => showSeries(chart, i + 1, hasValue(values)));
  }

  function draw() {
    // Empty axes would suggest a result; the summary says how to get one.
    lossEl.hidden = accuracyEl.hidden = !sweep;
    cvBoxEl.hidden = !sweep?.cv;
    if (!sweep) return;
    const wantLog = sweep.dense.n > LOG_ABOVE;
    if (wantLog !== log) {
      log = wantLog;
      for (const chart of Object.values(charts)) chart.destroy();
      lossEl.replaceChildren();
      accuracyEl.replaceChildren();
      cvEl.replaceChildren();
      charts = build();
    }
    const { points, dense } = sweep;
    const xs = points.map((p) => p.s);
    const same = (v) => points.map(() => v);
    const baseline = (key, field) => points.map((p) => p.baselines?.[key][field] ?? null);
    setData(charts.loss, [
      xs,
      points.map((p) => p.trainLoss),
      points.map((p) => p.cold.trainLoss),
      points.map((p) => p.testLoss),
      baseline('magnitude', 'trainLoss'),
      baseline('l1', 'trainLoss'),
      same(dense.trainLoss),
      same(dense.testLoss),
      points.map((p) => p.exact?.trainLoss ?? null),
    ]);
    setData(charts.accuracy, [
      xs,
      points.map((p) => p.trainAccuracy),
      points.map((p) => p.testAccuracy),
      baseline('magnitude', 'testAccuracy'),
      baseline('l1', 'testAccuracy'),
      same(dense.trainAccuracy),
      same(dense.testAccuracy),
    ]);
    const { cv } = sweep;
    if (cv) {
      const mean = Array.from(cv.meanLoss);
      const se = Array.from(cv.stdErrLoss);
      setData(charts.cv, [Array.from(cv.s), mean, mean.map((m, i) => m + se[i]), mean.map((m, i) => m - se[i])]);
    }
  }

  function fillSummary() {
    if (!sweep) {
      summaryEl.textContent = 'No sweep yet: press “Sweep” to trace the path of s from 1 to n.';
      cvSummaryEl.textContent = '';
      return;
    }
    summaryEl.textContent = pathSummary(sweep);
    cvSummaryEl.textContent = cvSummary(sweep) ?? '';
  }

  function fillStability() {
    const frequency = sweep?.supportFrequency;
    if (!sweep?.cv || !frequency?.length || !parameters) {
      map.clear();
      return;
    }
    map.set({
      grid: Array.from(sweep.cv.s),
      frequency,
      labels: parameters.map((p) => p.label),
      chosenS: sweep.cv.chosenS,
      folds: sweep.cv.folds,
    });
  }

  function cvAt(s) {
    const cv = sweep.cv;
    if (!cv) return '—';
    const i = Array.from(cv.s).indexOf(s);
    return i < 0 ? '—' : `${formatNumber(cv.meanLoss[i], 4)} ± ${formatNumber(cv.stdErrLoss[i], 3)}`;
  }

  function fillDataTable() {
    if (!sweep) {
      tableEl.replaceChildren();
      return;
    }
    const none = '—';
    const row = (s, p, extra) => [
      { text: String(s), header: true },
      formatNumber(p.trainLoss, 6),
      formatNumber(p.testLoss, 6),
      formatPercent(p.trainAccuracy),
      formatPercent(p.testAccuracy),
      ...extra,
      p.htStable.stable ? 'stable' : 'not stable',
      formatStatus(p.status),
    ];
    const pointExtra = (p) => [
      formatNumber(p.gapToDense, 4),
      p.start,
      formatNumber(p.cold.trainLoss, 6),
      p.baselines ? formatNumber(p.baselines.magnitude.trainLoss, 6) : none,
      p.baselines ? formatPercent(p.baselines.magnitude.testAccuracy) : none,
      p.baselines ? formatNumber(p.baselines.l1.trainLoss, 6) : none,
      p.baselines ? formatPercent(p.baselines.l1.testAccuracy) : none,
      p.exactGap === null ? none : reachesOptimum(p) ? 'optimal' : formatNumber(p.exactGap, 3),
      cvAt(p.s),
    ];
    fillTable(tableEl, {
      caption:
        (sweep.complete ? '' : 'Partial: the sweep was stopped. ') +
        'Final results for every s of the grid: the best start (up or down: warm from a neighbouring s), the cold start, ' +
        'magnitude pruning and L1 at the same s, the gap to the best of all supports, and the mean validation loss ± 1 SE. ' +
        'The last row is the dense network trained the same way.',
      columns: [
        { label: 's' },
        { label: 'train loss', numeric: true },
        { label: 'test loss', numeric: true },
        { label: 'train accuracy', numeric: true },
        { label: 'test accuracy', numeric: true },
        { label: 'gap to dense loss', numeric: true },
        { label: 'start' },
        { label: 'cold start train loss', numeric: true },
        { label: 'magnitude train loss', numeric: true },
        { label: 'magnitude test accuracy', numeric: true },
        { label: 'L1 train loss', numeric: true },
        { label: 'L1 test accuracy', numeric: true },
        { label: 'gap to best support', numeric: true },
        { label: 'CV loss ± SE', numeric: true },
        { label: 'HT-stability' },
        { label: 'status' },
      ],
      rows: sweep.points.map((p) => row(p.s, p, pointExtra(p))),
      foot: [row(`dense (${sweep.dense.n})`, sweep.dense, ['0', none, none, none, none, none, none, none, none])],
    });
  }

  draw();

  return {
    /** A sweep result and describe()'s parameters (labels for the heat map). */
    set(result, labels = null) {
      sweep = result;
      parameters = labels;
      draw();
      fillSummary();
      fillDataTable();
      fillStability();
    },
    get result() {
      return sweep;
    },
    setCurrentS(s) {
      currentS = s;
      charts.loss.plot.redraw(false, false);
      charts.accuracy.plot.redraw(false, false);
    },
    /** done/total trainings (total null: not known yet), or done null to hide the progress bar. */
    setProgress(done, total) {
      if (done === null) {
        progressEl.hidden = true;
        progressText.textContent = '';
        return;
      }
      progressEl.hidden = false;
      if (total === null) {
        progressEl.removeAttribute('value');
        progressText.textContent = 'Sweeping…';
        return;
      }
      progressEl.max = total;
      progressEl.value = done;
      progressText.textContent = `Sweeping: ${done} of ${total} trainings done.`;
    },
    pngParts() {
      // The key names only the series drawn.
      const part = (chart) => ({ canvas: chart.plot.ctx.canvas, key: chart.key.filter((_, i) => chart.plot.series[i + 1].show) });
      const parts = [part(charts.loss), part(charts.accuracy)];
      if (sweep?.cv) {
        parts.push(part(charts.cv));
        if (sweep.supportFrequency.length && parameters) parts.push({ canvas: map.canvas, key: [] });
      }
      return parts;
    },
  };
}
