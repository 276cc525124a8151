// View 5: the Monte Carlo ratios ‖∇f(x) − ∇f(y)‖ / ‖x − y‖ behind L̂_2s as a
// histogram (binned here, for display only), with p50/p90/p99, the maximum
// L̂_2s, the bracket lower ≤ L_2s ≤ upper and the run's 1/γ marked (γ < 1/L_2s
// is 1/γ > L_2s: the line right of upper), and in text whether the run's step
// is covered by the theorem (theory.js, judged on the bracket, or for an
// adaptive rule on its per-step certificate, marking its largest step). The
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
  { key: 'inverseStep', tag: '1/γ', label: '1/γ', stroke: COLOURS.skyBlue, dash: [10, 3] },
];

// A 1/γ more than this many times the largest other value (a small fixed
// step) would squeeze the histogram into a sliver: its line then stands at
// the right edge, tagged "1/γ →", and the key gives its value.
const FAR = 3;

const RULE_TEXT = {
  estimate: 'The run uses γ = c / L̂₂ₛ',
  bound: 'The run uses γ = c / upper',
  fixed: 'The run uses the fixed step γ',
  backtracking: "The backtracking rule's step is γ",
  normalized: "The normalized rule's step is γ",
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

// What the run's step was and whether the theorem covers it.
function stepText(result, step) {
  const { rule, stepSize, certified, largest } = step;
  const coverage = stepCoverage(result, stepSize, { rule, certified }).text;
  if (largest) {
    return `The ${rule} rule varies the step; its largest, γ = ${formatNumber(stepSize)}, is marked as 1/γ = ${formatNumber(1 / stepSize)}. ${coverage}`;
  }
  return `${RULE_TEXT[rule] ?? RULE_TEXT.fixed} = ${formatNumber(stepSize)}, marked as 1/γ = ${formatNumber(1 / stepSize)}. ${coverage}`;
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
  // The value of each marker (null: none, e.g. no certified upper bound with
  // hidden layers), and whether the 1/γ line stands at the edge for a 1/γ off the chart.
  let values = null;
  let offChart = false;
  let largestStep = false;
  const keyLabels = () =>
    MARKERS.map((m) => {
      if (!values) return m.label;
      const x = values[m.key];
      if (x === null || x === undefined) return `${m.label} none`;
      if (m.key !== 'inverseStep') return `${m.label} ${formatNumber(x, 3)}`;
      const of = largestStep ? ' (largest step)' : '';
      return `${m.label}${of} ${formatNumber(x, 3)}${offChart ? ', off the chart to the right' : ''}`;
    });
  const showKey = () => keyLabels().forEach((text, i) => (keyText[i].textContent = text));

  // step: the run's step as theory.js runStep gives it ({ rule, stepSize,
  // certified, largest }), or null before there is one.
  function set(result, { step = null } = {}) {
    estimate = result;
    if (!result) {
      values = null;
      markers = [];
      showKey();
      chart.setData([[], []]);
      summaryEl.textContent = 'No estimate yet.';
      tableEl.replaceChildren();
      return;
    }
    const { edges, counts } = binRatios(result.ratios);
    const centres = counts.map((_, i) => (edges[i] + edges[i + 1]) / 2);
    const inverseStep = step && step.stepSize > 0 ? 1 / step.stepSize : null;
    values = { ...result.quantiles, max: result.max, lower: result.lower, upper: result.upper, inverseStep };
    largestStep = Boolean(step?.largest);
    const bracket = MARKERS.filter((m) => m.key !== 'inverseStep' && values[m.key] !== null).map((m) => values[m.key]);
    let lo = Math.min(edges[0], ...bracket);
    let hi = Math.max(edges[edges.length - 1], ...bracket);
    offChart = inverseStep !== null && inverseStep > FAR * hi;
    if (inverseStep !== null && !offChart) {
      lo = Math.min(lo, inverseStep);
      hi = Math.max(hi, inverseStep);
    }
    const pad = (hi - lo) * 0.03 || Math.abs(lo) * 0.05 || 1;
    xRange = [lo - pad, hi + pad];
    markers = MARKERS.filter((m) => values[m.key] !== null).map((m) => {
      const far = m.key === 'inverseStep' && offChart;
      return { x: far ? xRange[1] : values[m.key], label: far ? `${m.tag} →` : m.tag, stroke: m.stroke, dash: m.dash };
    });
    showKey();
    chart.setData([centres, counts]);

    const upperText =
      result.upper === null
        ? `There is no certified upper bound (${result.upperMethod}).`
        : `The certified upper bound is ${formatNumber(result.upper)} (${result.upperMethod}).`;
    summaryEl.textContent =
      `From ${formatInt(result.samples)} random pairs of ${result.s}-sparse points: L̂₂ₛ = ${formatNumber(result.max)} ` +
      `(p50 ${formatNumber(result.quantiles.p50)}, p90 ${formatNumber(result.quantiles.p90)}, p99 ${formatNumber(result.quantiles.p99)}). ` +
      'L̂₂ₛ is a Monte Carlo lower bound of the true constant L₂ₛ: it can only rise with more samples, so the step cannot rest on it. ' +
      `A restricted power iteration on the curvature raises the lower bound to ${formatNumber(result.lower)}. ${upperText}${step ? ` ${stepText(result, step)}` : ''}`;

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
