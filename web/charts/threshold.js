// View 7: one IHT step, θ_k = H_s(θ_{k−1} − γ∇f(θ_{k−1})), in its two halves.
// The n entries of the gradient step v are bars of |v|, sorted by |v| (ties
// to the lower index, as H_s breaks them), with the threshold at the s-th
// largest |v|; in the projection half the kept entries are filled and the
// zeroed ones hollow, and the entries that enter or leave the support are
// tagged. Every number is the package's (trainer.lastStep()); this file only
// orders and draws them. The table alternative lists every entry.
import { COLOURS } from './palette.js';
import { el as svgElement } from './svg.js';
import { fillTable } from '../table.js';
import { formatNumber } from '../format.js';

// Up to this many entries every bar is drawn. Beyond it (digits: n = 2,410)
// the chart shows the HEAD largest |v|, the AROUND entries either side of the
// cut at rank s, and up to CHANGES entries that entered or left the support
// elsewhere, with a gap row for each run of ranks left out; the table still
// lists every entry.
export const MAX_BARS = 120;
const HEAD = 10;
const AROUND = 15;
const CHANGES = 6;

/**
 * The ranks (0 = largest |v|) the chart draws, as sorted half-open segments
 * [{ from, to }]. n: entries; s: the cut (H_s keeps ranks 0 … s − 1);
 * changed: ranks of the entries that entered or left the support.
 */
export function drawnSegments(n, s, changed = [], { maxBars = MAX_BARS, head = HEAD, around = AROUND, changes = CHANGES } = {}) {
  if (n <= maxBars) return n > 0 ? [{ from: 0, to: n }] : [];
  const ranges = [
    [0, Math.min(head, n)],
    [Math.max(0, s - around), Math.min(n, s + around)],
  ];
  const inside = (r) => ranges.some(([a, b]) => r >= a && r < b);
  // The changes nearest the cut first: those are the ones H_s just decided.
  const outside = [...new Set(changed)].filter((r) => r >= 0 && r < n && !inside(r)).sort((a, b) => Math.abs(a - s) - Math.abs(b - s) || a - b);
  for (const r of outside.slice(0, changes)) ranges.push([r, r + 1]);
  ranges.sort((a, b) => a[0] - b[0]);
  const segments = [];
  for (const [from, to] of ranges) {
    const last = segments[segments.length - 1];
    if (last && from <= last.to) last.to = Math.max(last.to, to);
    else segments.push({ from, to });
  }
  return segments;
}

// svg.js's el(), with the text content as its third argument (set as text).
function el(name, attributes = {}, text) {
  const node = svgElement(name, attributes);
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * The entries of v in the order H_s ranks them: by |v| descending, ties to
 * the lower index. Returns indices.
 */
export function rankByMagnitude(v) {
  return Array.from(v, (_, i) => i).sort((a, b) => Math.abs(v[b]) - Math.abs(v[a]) || a - b);
}

/** 'entered', 'left' or '' for entry i of a step detail. */
function changeOf(detail, i) {
  if (Array.prototype.includes.call(detail.entered, i)) return 'entered';
  if (Array.prototype.includes.call(detail.left, i)) return 'left';
  return '';
}

export function createThresholdView({ svgEl, summaryEl, tableEl }) {
  let current = null; // { detail, labels, s, phase }
  let width = 0;

  function draw() {
    svgEl.replaceChildren();
    if (!current) {
      svgEl.setAttribute('viewBox', '0 0 10 10');
      svgEl.setAttribute('height', '0');
      return;
    }
    const { detail, labels, phase } = current;
    const v = detail.gradientStep;
    const n = v.length;
    const ranked = rankByMagnitude(v);
    const kept = new Set(detail.kept);
    const projected = phase === 'projection';
    const rankOf = new Map(ranked.map((i, r) => [i, r]));
    const changed = [...Array.from(detail.entered), ...Array.from(detail.left)].map((i) => rankOf.get(i));
    const segments = drawnSegments(n, current.s, changed);
    // The rows top to bottom: a bar per drawn rank, a gap row per run of ranks left out.
    const rows = [];
    segments.forEach(({ from, to }, k) => {
      const before = k === 0 ? 0 : segments[k - 1].to;
      if (from > before) rows.push({ gap: { from: before, to: from } });
      for (let r = from; r < to; r++) rows.push({ i: ranked[r], r });
    });
    const end = segments.length ? segments[segments.length - 1].to : 0;
    if (end < n) rows.push({ gap: { from: end, to: n } });
    const bars = rows.filter((row) => !row.gap);
    const w = Math.max(280, Math.round(width || svgEl.clientWidth || 600));
    const row = rows.length <= 40 ? 20 : Math.max(6, Math.floor(800 / rows.length));
    const showLabels = row >= 14;
    const labelWidth = showLabels ? Math.min(110, 12 + 7 * Math.max(...bars.map(({ i }) => labels[i].length))) : 8;
    const valueWidth = showLabels ? 96 : 8;
    const top = 26;
    const height = top + row * rows.length + 8;
    const x0 = labelWidth;
    const x1 = w - valueWidth;
    // The axis runs to the largest |v| or |θ| from the segment that holds the
    // cut on: when the largest entries are drawn apart from it, the threshold
    // and the bars either side of it stay readable, and the longer bars above
    // run off the axis with a break mark.
    const cutFrom = segments.find(({ to }) => to >= current.s)?.from ?? 0;
    const cutRows = bars.filter(({ r }) => r >= cutFrom);
    let max = 0;
    for (const { i } of cutRows) max = Math.max(max, Math.abs(v[i]), Math.abs(detail.before[i]));
    max = Math.max(max, detail.threshold);
    const scale = (x) => x0 + ((x1 - x0) * Math.min(x, max)) / (max || 1);

    svgEl.setAttribute('viewBox', `0 0 ${w} ${height}`);
    svgEl.setAttribute('width', String(w));
    svgEl.setAttribute('height', String(height));

    // The axis: |v| from 0.
    svgEl.append(el('line', { x1: x0, y1: top - 4, x2: x0, y2: height - 6, stroke: '#999', 'stroke-width': 1 }));

    // The threshold: H_s keeps the entries whose |v| reaches the s-th largest.
    // Drawn first, so that the bars' values stay legible on top of it.
    const tx = scale(detail.threshold);
    svgEl.append(el('line', { x1: tx, y1: top - 6, x2: tx, y2: height - 4, stroke: COLOURS.vermillion, 'stroke-width': 2, 'stroke-dasharray': '6 3', class: 'hs-threshold' }));

    rows.forEach((entry, k) => {
      const y = top + k * row;
      if (entry.gap) {
        const { from, to } = entry.gap;
        let keptHere = 0;
        for (let r = from; r < to; r++) if (kept.has(ranked[r])) keptHere += 1;
        const zeroed = to - from - keptHere;
        const what = !projected ? `${to - from} entries` : [keptHere ? `${keptHere} kept` : '', zeroed ? `${zeroed} zeroed` : ''].filter(Boolean).join(', ');
        const text = `⋮ ranks ${from + 1}–${to}: ${what}`;
        const g = el('g', { class: 'hs-gap', 'data-from': from + 1, 'data-to': to });
        g.append(el('rect', { x: x0 + 1, y: y + 1, width: Math.max(0, x1 - x0 - 1), height: Math.max(1, row - 2), fill: '#f3f3f3' }));
        if (row >= 10) g.append(el('text', { x: x0 + 6, y: y + row / 2 + 4, class: 'hs-label' }, text));
        else g.append(el('title', {}, text));
        svgEl.append(g);
        return;
      }
      const { i } = entry;
      const h = Math.max(2, row - (showLabels ? 6 : 1));
      const g = el('g', { 'data-index': i, 'data-rank': entry.r + 1, class: 'hs-row' });
      const isKept = kept.has(i);
      const change = projected ? changeOf(detail, i) : '';
      const title = `${labels[i]} (rank ${entry.r + 1}): θ before ${formatNumber(detail.before[i])}, v ${formatNumber(v[i])}, after ${formatNumber(detail.after[i])}${projected ? (isKept ? ', kept' : ', zeroed') : ''}${change ? `, ${change} the support` : ''}`;
      g.append(el('title', {}, title));
      const beyond = Math.abs(v[i]) > max;
      const barAttributes = { x: x0, y: y + (row - h) / 2, width: Math.max(0.5, scale(Math.abs(v[i])) - x0), height: h, class: 'hs-bar' };
      if (!projected) Object.assign(barAttributes, { fill: COLOURS.skyBlue, stroke: COLOURS.blue, 'stroke-width': 1 });
      else if (isKept) Object.assign(barAttributes, { fill: COLOURS.blue, stroke: COLOURS.blue, 'stroke-width': 1, 'data-kept': 1 });
      else Object.assign(barAttributes, { fill: '#fff', stroke: COLOURS.grey, 'stroke-width': 1, 'stroke-dasharray': '3 2', 'data-kept': 0 });
      g.append(el('rect', barAttributes));
      if (beyond) {
        // Off the axis: two slanted strokes across the end of the bar.
        for (const dx of [-9, -4]) {
          g.append(el('line', { x1: x1 + dx, y1: y + row - 1, x2: x1 + dx + 4, y2: y + 1, stroke: '#fff', 'stroke-width': 2, class: 'hs-break' }));
        }
      }
      // θ_{k−1}: a tick at |θ_{k−1,i}|, so the move of the gradient step shows.
      if (detail.before[i] !== 0 && Math.abs(detail.before[i]) <= max) {
        const bx = scale(Math.abs(detail.before[i]));
        g.append(el('line', { x1: bx, y1: y + 1, x2: bx, y2: y + row - 1, stroke: COLOURS.black, 'stroke-width': 2, class: 'hs-before' }));
      }
      if (showLabels) {
        g.append(el('text', { x: x0 - 6, y: y + row / 2 + 4, 'text-anchor': 'end', class: 'hs-label' }, labels[i]));
        const tag = change === 'entered' ? ' +in' : change === 'left' ? ' −out' : '';
        const text = el('text', { x: scale(Math.abs(v[i])) + 4, y: y + row / 2 + 4, class: `hs-value${change ? ` hs-${change}` : ''}` }, `${formatNumber(v[i], 3)}${tag}`);
        g.append(text);
      } else if (change) {
        g.append(el('circle', { cx: x1 + 4, cy: y + row / 2, r: 2.5, fill: change === 'entered' ? COLOURS.green : COLOURS.vermillion }));
      }
      svgEl.append(g);
    });

    const label = `threshold ${formatNumber(detail.threshold)} (${ordinal(current.s)} largest |v|)`;
    // Centred on the line where it fits, else against the nearer edge (about 6.3 px a character at 11 px).
    const textWidth = 6.3 * label.length;
    const left = Math.min(Math.max(2, tx - textWidth / 2), w - textWidth - 2);
    svgEl.append(el('text', { x: Math.max(2, left), y: 14, class: 'hs-threshold-label' }, label));
  }

  function fillDataTable() {
    const { detail, labels } = current;
    const v = detail.gradientStep;
    const kept = new Set(detail.kept);
    const rows = rankByMagnitude(v).map((i, r) => [
      r + 1,
      { text: labels[i], header: true },
      formatNumber(detail.before[i], 6),
      formatNumber(v[i], 6),
      formatNumber(Math.abs(v[i]), 6),
      formatNumber(detail.after[i], 6),
      kept.has(i) ? 'kept' : 'zeroed',
      changeOf(detail, i) || '—',
    ]);
    fillTable(tableEl, {
      caption: `Iteration ${detail.iteration}: γ = ${formatNumber(detail.step, 6)}; threshold (the ${ordinal(current.s)} largest |v|) = ${formatNumber(detail.threshold, 6)}; sorted by |v|.`,
      columns: [
        { label: 'rank', numeric: true },
        { label: 'parameter' },
        { label: 'θ before', numeric: true },
        { label: 'v = θ − γ∇f', numeric: true },
        { label: '|v|', numeric: true },
        { label: 'θ after = Hₛ(v)', numeric: true },
        { label: 'Hₛ' },
        { label: 'support' },
      ],
      rows,
    });
  }

  const resize = new ResizeObserver(() => {
    const next = Math.round(svgEl.parentElement?.clientWidth ?? 0);
    if (next && next !== width) {
      width = next;
      draw();
    }
  });
  if (svgEl.parentElement) resize.observe(svgEl.parentElement);

  return {
    /**
     * detail: trainer.lastStep(); labels: describe()'s parameter labels; s;
     * phase: 'gradient' (v alone) or 'projection' (v and H_s(v)); coverage:
     * a sentence on γ against the bracket, or ''.
     */
    set(detail, { labels, s, phase, coverage = '' }) {
      current = { detail, labels, s, phase };
      width = Math.round(svgEl.parentElement?.clientWidth ?? 0);
      draw();
      fillDataTable();
      const n = detail.gradientStep.length;
      const k = detail.iteration;
      const change = (list) => (list.length ? Array.from(list, (i) => labels[i]).join(', ') : 'none');
      const half =
        phase === 'gradient'
          ? `Half 1 of iteration ${k}: the gradient step v = θ${sub(k - 1)} − γ∇f(θ${sub(k - 1)}) moved every entry (black ticks: θ${sub(k - 1)}). Hₛ will keep the ${s} entries at or right of the threshold.`
          : `Half 2 of iteration ${k}: θ${sub(k)} = Hₛ(v) keeps the ${detail.kept.length} largest |v| (filled) and zeroes the other ${n - detail.kept.length} (hollow). Entered the support: ${change(detail.entered)}; left: ${change(detail.left)}.`;
      const capped = n > MAX_BARS ? ` Of the ${n} entries the chart draws the ${HEAD} largest and the ${AROUND} either side of the threshold (with any that entered or left the support); the grey rows say how many it leaves out, and the table lists all.` : '';
      summaryEl.textContent = `${half} γ = ${formatNumber(detail.step)}; threshold = ${formatNumber(detail.threshold)}.${capped}${coverage ? ` ${coverage}` : ''}`;
    },
    /** Nothing to draw: text says why. */
    clear(text) {
      current = null;
      draw();
      tableEl.replaceChildren();
      summaryEl.textContent = text;
    },
    get shown() {
      return current;
    },
  };
}

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
export function ordinal(k) {
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[k % 10] ?? 'th');
  return `${k}${suffix}`;
}
function sub(k) {
  return String(k).replace(/\d/g, (d) => SUBSCRIPTS[d]);
}
