// View 3: the Monte Carlo ratios ‖∇f(x) − ∇f(y)‖ / ‖x − y‖ behind L̂_2s as a
// histogram (binned here, for display only), with p50/p90/p99, the maximum
// L̂_2s and the bracket lower ≤ L_2s ≤ upper marked, and in text whether the
// run's step is covered by the theorem (theory.js, judged on the bracket). The
// lines carry short tags placed so that they never overlap, however close the
// values; the values are in the key below the chart.
import uPlot from '../vendor/uPlot.esm.js';
import { createLineChart, drawMarkers } from './line-chart.js';
import { COLOURS } from './palette.js';
import { fillTable } from '../table.js';
import { formatInt, formatNumber } from '../format.js';
import { stepCoverage } from '../theory.js';

const MARKERS = [
  { key: 'p50', tag: 'p50', label: 'p50', stroke: COLOURS.green, dash: [2, 3] },
  { key: 'p90', tag: 'p90', label: 'p90', stroke: COLOURS.orange, dash: [6, 3] },
  { key: 'p99', tag: 'p99', label: 'p99', stroke: COLOURS.purple, dash: [8, 3, 2, 3] },
  { key: 'max', tag: 'L̂₂ₛ', label: 'L̂₂ₛ = max', stroke: COLOURS.vermillion, dash: [] },
  { key: 'lower', tag: 'lower', label: 'lower', stroke: COLOURS.blue, dash: [1, 2] },
  { key: 'upper', tag: 'upper', label: 'upper', stroke: COLOURS.black, dash: [] },
];

const RULE_TEXT = {
  estimate: 'The run uses γ = c / L̂₂ₛ',
  bound: 'The run uses γ = c / upper',
  fixed: 'The run uses the fixed step γ',
};

function binRatios(ratios) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of ratios) {
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  const count = Math.min(60, Math.max(10, Math.ceil(Math.sqrt(ratios.length))));
  if (!(hi > lo)) return { edges: [lo, lo], counts: [ratios.length] };
  const width = (hi - lo) / count;
  const counts = new Array(count).fill(0);
  for (const r of ratios) counts[Math.min(count - 1, Math.floor((r - lo) / width))] += 1;
  const edges = Array.from({ length: count + 1 }, (_, i) => lo + i * width);
  return { edges, counts };
}

export function createL2sHistogram({ chartEl, keyEl, summaryEl, tableEl }) {
  let estimate = null;
  let markers = [];
  let xRange = [0, 1];
  let labelBoxes = [];

  const chart = createLineChart(
    chartEl,
    [
      {
        label: 'pairs',
        stroke: COLOURS.blue,
        fill: 'rgba(0,114,178,0.35)',
        width: 1,
        paths: uPlot.paths.bars({ size: [1, Infinity], gap: 1 }),
      },
    ],
    {
      xLabel: 'ratio ‖∇f(x) − ∇f(y)‖ / ‖x − y‖',
      yLabel: 'pairs',
      height: 200,
      legend: false,
      xRange: () => xRange,
      // Headroom above the bars for the marker labels.
      yRange: (u, min, max) => [0, Math.max(1, max) * 1.75],
      hooks: { draw: [(u) => (labelBoxes = drawMarkers(u, markers))] },
    },
  );

  const keyText = MARKERS.map(() => document.createTextNode(''));
  keyEl.replaceChildren(
    ...MARKERS.map((m, i) => {
      const li = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.borderTopColor = m.stroke;
      swatch.style.borderTopStyle = m.dash.length ? 'dashed' : 'solid';
      keyText[i].textContent = m.label;
      li.append(swatch, keyText[i]);
      return li;
    }),
  );
  const keyLabels = () =>
    MARKERS.map((m, i) => {
      if (!markers.length) return m.label;
      // No certified upper bound with hidden layers.
      return markers[i].x === null ? `${m.label} none` : `${m.label} ${formatNumber(markers[i].x, 3)}`;
    });
  const showKey = () => keyLabels().forEach((text, i) => (keyText[i].textContent = text));

  // rule: how the run chose stepSize ('estimate', 'bound' or 'fixed').
  function set(result, { stepSize = null, rule = 'fixed' } = {}) {
    estimate = result;
    if (!result) {
      markers = [];
      showKey();
      chart.setData([[], []]);
      summaryEl.textContent = 'No estimate yet.';
      tableEl.replaceChildren();
      return;
    }
    const { edges, counts } = binRatios(result.ratios);
    const centres = counts.map((_, i) => (edges[i] + edges[i + 1]) / 2);
    const values = { ...result.quantiles, max: result.max, lower: result.lower, upper: result.upper };
    markers = MARKERS.map((m) => ({ x: values[m.key], label: m.tag, stroke: m.stroke, dash: m.dash }));
    showKey();
    const drawn = markers.filter((m) => m.x !== null);
    const lo = Math.min(edges[0], ...drawn.map((m) => m.x));
    const hi = Math.max(edges[edges.length - 1], ...drawn.map((m) => m.x));
    const pad = (hi - lo) * 0.03 || Math.abs(lo) * 0.05 || 1;
    xRange = [lo - pad, hi + pad];
    markers = drawn;
    chart.setData([centres, counts]);

    const upperText =
      result.upper === null
        ? `There is no certified upper bound (${result.upperMethod}).`
        : `The certified upper bound is ${formatNumber(result.upper)} (${result.upperMethod}).`;
    const stepText =
      stepSize === null
        ? ''
        : ` ${RULE_TEXT[rule] ?? RULE_TEXT.fixed} = ${formatNumber(stepSize)}. ${stepCoverage(result, stepSize).text}`;
    summaryEl.textContent =
      `From ${formatInt(result.samples)} random pairs of ${result.s}-sparse points: L̂₂ₛ = ${formatNumber(result.max)} ` +
      `(p50 ${formatNumber(result.quantiles.p50)}, p90 ${formatNumber(result.quantiles.p90)}, p99 ${formatNumber(result.quantiles.p99)}). ` +
      'L̂₂ₛ is a Monte Carlo lower bound of the true constant L₂ₛ: it can only rise with more samples, so the step cannot rest on it. ' +
      `A restricted power iteration on the curvature raises the lower bound to ${formatNumber(result.lower)}. ${upperText}${stepText}`;

    fillTable(tableEl, {
      caption: `Histogram of the ${formatInt(result.samples)} ratios (download the CSV for every ratio).`,
      columns: [
        { label: 'from', numeric: true },
        { label: 'to', numeric: true },
        { label: 'pairs', numeric: true },
      ],
      rows: counts.map((c, i) => [formatNumber(edges[i], 5), formatNumber(edges[i + 1], 5), c]),
    });
  }

  return {
    set,
    get result() {
      return estimate;
    },
    setPending(text) {
      summaryEl.textContent = text;
    },
    pngParts() {
      const labels = keyLabels();
      return [{ canvas: chart.plot.ctx.canvas, key: MARKERS.map((m, i) => ({ label: labels[i], stroke: m.stroke, dash: m.dash })) }];
    },
    /** The tags drawn on the chart: [{ label, left, right, top, bottom }] in CSS pixels (tests). */
    labelBoxes() {
      return labelBoxes.map((b) => ({ ...b }));
    },
  };
}
