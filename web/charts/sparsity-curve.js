// View 6: the sparsity path from a sweep (iht.sweep()). Against s, over the
// sweep's grid: the best of the cold and warm starts (solid) and the cold
// start alone (dashed), both baselines at the same nonzero count (magnitude
// pruning and L1), the dense network as dotted reference lines, the best of
// all C(n, s) supports as open circles where it was enumerated, and the
// current s marked. With cross-validation, a third chart shows the mean
// validation loss with a ±1 SE band and the chosen s, and a heat map the
// support stability. The sentences come from path-summary.js. With a run
// pinned as A (ab-compare.js), the loss and accuracy charts also draw A's
// path, thin, black and grey with hollow points, on one s axis with B's, and
// the table gains A's columns.
import { createLineChart, drawMarker, drawMarkers, percentTicks } from './line-chart.js';
import { A_PATH_TEST, A_PATH_TRAIN, COLOURS, DENSE_TEST, DENSE_TRAIN, TEST, TRAIN } from './palette.js';
import { createStabilityMap } from './stability-map.js';
import { fillTable } from '../table.js';
import { formatNumber, formatPercent, formatStatus } from '../format.js';
import { cvSummary, pathSummary, pinnedPathSummary, reachesOptimum } from '../path-summary.js';

const COLD = { stroke: COLOURS.blue, dash: [3, 3] };
const MAGNITUDE = { stroke: COLOURS.green, dash: [9, 3, 2, 3] };
const L1 = { stroke: COLOURS.purple, dash: [1, 3] };
const EXACT = { stroke: COLOURS.black, dash: [] };
const A_POINTS = { width: 1.5, points: true, pointSize: 5, pointFill: '#fff' };

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
  let pinned = null; // run A, when pinned: { sweep (A's sweep result, or null), sameSweep }
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

  // The series depend on whether A is pinned (its two lines, and B's labels), so
  // the charts are built again when that changes.
  function build() {
    const xLabel = 'nonzero parameters s';
    const common = { xIncrs: X_INCRS, xLog: log, sync: 'sparsity' };
    const b = pinned ? 'B: ' : '';
    const loss = createLineChart(
      lossEl,
      [
        { label: `${b}IHT path (best start): train loss`, ...TRAIN, points: true },
        { label: `${b}cold start: train loss`, ...COLD, width: 1.5 },
        { label: `${b}IHT path: test loss`, ...TEST, points: true },
        { label: `${b}magnitude pruning: train loss`, ...MAGNITUDE, width: 1.5, points: true },
        { label: `${b}L1: train loss`, ...L1, width: 1.5, points: true },
        { label: `${b}dense train loss`, ...DENSE_TRAIN, width: 1.5 },
        { label: `${b}dense test loss`, ...DENSE_TEST, width: 1.5 },
        { label: `${b}best of all C(n, s) supports`, ...EXACT, paths: noLine, points: true, pointSize: 9, pointFill: '#fff' },
        ...(pinned
          ? [
              { label: 'A: IHT path: train loss', ...A_PATH_TRAIN, ...A_POINTS },
              { label: 'A: IHT path: test loss', ...A_PATH_TEST, ...A_POINTS },
            ]
          : []),
      ],
      { ...common, xLabel, yLabel: 'final loss', height: 210, hooks: marker },
    );
    const pct = (u, v) => formatPercent(v);
    const accuracy = createLineChart(
      accuracyEl,
      [
        { label: `${b}IHT path: train accuracy`, ...TRAIN, points: true, value: pct },
        { label: `${b}IHT path: test accuracy`, ...TEST, points: true, value: pct },
        { label: `${b}magnitude pruning: test accuracy`, ...MAGNITUDE, width: 1.5, points: true, value: pct },
        { label: `${b}L1: test accuracy`, ...L1, width: 1.5, points: true, value: pct },
        { label: `${b}dense train accuracy`, ...DENSE_TRAIN, width: 1.5, value: pct },
        { label: `${b}dense test accuracy`, ...DENSE_TEST, width: 1.5, value: pct },
        ...(pinned
          ? [
              { label: 'A: IHT path: train accuracy', ...A_PATH_TRAIN, ...A_POINTS, value: pct },
              { label: 'A: IHT path: test accuracy', ...A_PATH_TEST, ...A_POINTS, value: pct },
            ]
          : []),
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

  function rebuild() {
    for (const chart of Object.values(charts)) chart.destroy();
    lossEl.replaceChildren();
    accuracyEl.replaceChildren();
    cvEl.replaceChildren();
    charts = build();
  }

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

  // The values of s on the charts and in the table: B's grid, with A's merged in.
  function grid() {
    const a = pinned?.sweep ?? null;
    return [...new Set([...(sweep?.points ?? []), ...(a?.points ?? [])].map((p) => p.s))].sort((x, y) => x - y);
  }

  function draw() {
    const a = pinned?.sweep ?? null;
    // Empty axes would suggest a result; the summary says how to get one.
    lossEl.hidden = accuracyEl.hidden = !sweep && !a;
    cvBoxEl.hidden = !sweep?.cv;
    if (!sweep && !a) return;
    const wantLog = Math.max(sweep?.dense.n ?? 0, a?.dense.n ?? 0) > LOG_ABOVE;
    if (wantLog !== log) {
      log = wantLog;
      rebuild();
    }
    // One x axis for both paths. At an s of the other path's grid a series has
    // no value (undefined: uPlot draws its line on across it); a figure its own
    // point lacks (no baselines, say) is null, a gap.
    const xs = grid();
    const along = (result, value) => {
      const at = new Map((result?.points ?? []).map((p) => [p.s, p]));
      return xs.map((s) => (at.has(s) ? (value(at.get(s)) ?? null) : undefined));
    };
    const dense = (field) => along(sweep, () => sweep.dense[field]);
    const baseline = (key, field) => along(sweep, (p) => p.baselines?.[key][field]);
    const aLoss = pinned ? [along(a, (p) => p.trainLoss), along(a, (p) => p.testLoss)] : [];
    const aAccuracy = pinned ? [along(a, (p) => p.trainAccuracy), along(a, (p) => p.testAccuracy)] : [];
    setData(charts.loss, [
      xs,
      along(sweep, (p) => p.trainLoss),
      along(sweep, (p) => p.cold.trainLoss),
      along(sweep, (p) => p.testLoss),
      baseline('magnitude', 'trainLoss'),
      baseline('l1', 'trainLoss'),
      dense('trainLoss'),
      dense('testLoss'),
      along(sweep, (p) => p.exact?.trainLoss),
      ...aLoss,
    ]);
    setData(charts.accuracy, [
      xs,
      along(sweep, (p) => p.trainAccuracy),
      along(sweep, (p) => p.testAccuracy),
      baseline('magnitude', 'testAccuracy'),
      baseline('l1', 'testAccuracy'),
      dense('trainAccuracy'),
      dense('testAccuracy'),
      ...aAccuracy,
    ]);
    if (!sweep) return;
    const { cv } = sweep;
    if (cv) {
      const mean = Array.from(cv.meanLoss);
      const se = Array.from(cv.stdErrLoss);
      setData(charts.cv, [Array.from(cv.s), mean, mean.map((m, i) => m + se[i]), mean.map((m, i) => m - se[i])]);
    }
  }

  function fillSummary() {
    const a = pinned?.sweep ?? null;
    if (!sweep && !a) {
      summaryEl.textContent = `No sweep yet: press “Sweep” to trace the path of s from 1 to n${pinned ? ', for run B and run A' : ''}.`;
      cvSummaryEl.textContent = '';
      return;
    }
    const parts = [sweep ? pathSummary(sweep) : 'Run B has no path yet: press Sweep.'];
    if (pinned) parts.push(pinnedPathSummary(a, sweep, { sameSweep: pinned.sameSweep }));
    summaryEl.textContent = parts.join(' ');
    // The CV chart and the heat map are B's alone; view 8 gives the s CV chose for A.
    const cv = sweep && cvSummary(sweep);
    cvSummaryEl.textContent = cv ? `${pinned ? 'Run B: ' : ''}${cv}` : '';
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
    const cv = sweep?.cv;
    if (!cv) return '—';
    const i = Array.from(cv.s).indexOf(s);
    return i < 0 ? '—' : `${formatNumber(cv.meanLoss[i], 4)} ± ${formatNumber(cv.stdErrLoss[i], 3)}`;
  }

  function fillDataTable() {
    const a = pinned?.sweep ?? null;
    if (!sweep && !a) {
      tableEl.replaceChildren();
      return;
    }
    const none = '—';
    // B's figures, then A's (when A has a path); a run without a point at this s shows dashes.
    const figures = (p) =>
      p ? [formatNumber(p.trainLoss, 6), formatNumber(p.testLoss, 6), formatPercent(p.trainAccuracy), formatPercent(p.testAccuracy)] : [none, none, none, none];
    const row = (s, p, extra, pa) => [
      { text: String(s), header: true },
      ...figures(p),
      ...(a ? figures(pa) : []),
      ...extra,
      p ? (p.htStable.stable ? 'stable' : 'not stable') : none,
      p ? formatStatus(p.status) : none,
    ];
    const pointExtra = (p) =>
      p
        ? [
            formatNumber(p.gapToDense, 4),
            p.start,
            formatNumber(p.cold.trainLoss, 6),
            p.baselines ? formatNumber(p.baselines.magnitude.trainLoss, 6) : none,
            p.baselines ? formatPercent(p.baselines.magnitude.testAccuracy) : none,
            p.baselines ? formatNumber(p.baselines.l1.trainLoss, 6) : none,
            p.baselines ? formatPercent(p.baselines.l1.testAccuracy) : none,
            p.exactGap === null ? none : reachesOptimum(p) ? 'optimal' : formatNumber(p.exactGap, 3),
            cvAt(p.s),
          ]
        : Array(9).fill(none);
    const b = pinned ? 'B: ' : '';
    const figureColumns = (prefix) => ['train loss', 'test loss', 'train accuracy', 'test accuracy'].map((label) => ({ label: `${prefix}${label}`, numeric: true }));
    const at = (result) => new Map((result?.points ?? []).map((p) => [p.s, p]));
    const inB = at(sweep);
    const inA = at(a);
    const denseLabel = sweep && a && a.dense.n !== sweep.dense.n ? `dense (${sweep.dense.n}; A: ${a.dense.n})` : `dense (${(sweep ?? a).dense.n})`;
    fillTable(tableEl, {
      caption:
        (sweep && !sweep.complete ? 'Partial: the sweep was stopped. ' : '') +
        (a && !a.complete ? 'Partial: run A’s sweep was stopped. ' : '') +
        'Final results for every s of the grid: the best start (up or down: warm from a neighbouring s), the cold start, ' +
        'magnitude pruning and L1 at the same s, the gap to the best of all supports, and the mean validation loss ± 1 SE. ' +
        (a ? 'The columns headed A: are run A’s path (pinned in view 8); the others are run B’s. ' : '') +
        'The last row is the dense network trained the same way.',
      columns: [
        { label: 's' },
        ...figureColumns(b),
        ...(a ? figureColumns('A: ') : []),
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
      rows: grid().map((s) => row(s, inB.get(s), pointExtra(inB.get(s)), inA.get(s))),
      foot: [row(denseLabel, sweep?.dense, [sweep ? '0' : none, ...Array(8).fill(none)], a?.dense)],
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
    /**
     * Run A of an A/B comparison: { sweep: A's sweep result or null, sameSweep
     * (A's settings differ from B's only in s) }, drawn beside B's; null when
     * nothing is pinned.
     */
    setPinned(a) {
      const rebuilt = (pinned === null) !== (a === null);
      pinned = a;
      if (rebuilt) rebuild();
      draw();
      fillSummary();
      fillDataTable();
    },
    setCurrentS(s) {
      currentS = s;
      charts.loss.plot.redraw(false, false);
      charts.accuracy.plot.redraw(false, false);
    },
    /**
     * done/total trainings (total null: not known yet), or done null to hide
     * the progress bar; which: 'A' or 'B' while both runs' paths are traced.
     */
    setProgress(done, total, which = null) {
      const what = which ? `Sweeping run ${which}` : 'Sweeping';
      if (done === null) {
        progressEl.hidden = true;
        progressText.textContent = '';
        return;
      }
      progressEl.hidden = false;
      if (total === null) {
        progressEl.removeAttribute('value');
        progressText.textContent = `${what}…`;
        return;
      }
      progressEl.max = total;
      progressEl.value = done;
      progressText.textContent = `${what}: ${done} of ${total} trainings done.`;
    },
    /** Each series as drawn: [{ chart: 'loss' | 'accuracy', label, points }], points = its values (neither null nor undefined). */
    seriesData() {
      return [
        ['loss', charts.loss],
        ['accuracy', charts.accuracy],
      ].flatMap(([chart, c]) =>
        c.plot.series.slice(1).map((series, i) => ({ chart, label: series.label, points: (c.plot.data[i + 1] ?? []).filter((v) => v !== null && v !== undefined).length })),
      );
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
