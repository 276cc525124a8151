// View 7: one IHT step, θ_k = H_s(θ_{k−1} − γ∇f(θ_{k−1})), in its two halves.
// The n entries of the gradient step v are bars of |v|, sorted by |v| (ties
// to the lower index, as H_s breaks them), with the threshold at the s-th
// largest |v|; in the projection half the kept entries are filled and the
// zeroed ones hollow, and the entries that enter or leave the support are
// tagged. Every number is the package's (trainer.lastStep()); this file only
// orders and draws them. The table alternative lists every entry.
import { COLOURS } from './palette.js';
import { fillTable } from '../table.js';
import { formatNumber } from '../format.js';

const SVG = 'http://www.w3.org/2000/svg';
// More bars than this are not drawn (the table still lists every entry).
export const MAX_BARS = 120;

function el(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
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
    const order = rankByMagnitude(v).slice(0, MAX_BARS);
    const kept = new Set(detail.kept);
    const projected = phase === 'projection';
    const w = Math.max(280, Math.round(width || svgEl.clientWidth || 600));
    const row = order.length <= 40 ? 20 : Math.max(6, Math.floor(800 / order.length));
    const showLabels = row >= 14;
    const labelWidth = showLabels ? Math.min(110, 12 + 7 * Math.max(...order.map((i) => labels[i].length))) : 8;
    const valueWidth = showLabels ? 96 : 8;
    const top = 26;
    const height = top + row * order.length + 8;
    const x0 = labelWidth;
    const x1 = w - valueWidth;
    let max = 0;
    for (const i of order) max = Math.max(max, Math.abs(v[i]), Math.abs(detail.before[i]));
    const scale = (x) => x0 + ((x1 - x0) * x) / (max || 1);

    svgEl.setAttribute('viewBox', `0 0 ${w} ${height}`);
    svgEl.setAttribute('width', String(w));
    svgEl.setAttribute('height', String(height));

    // The axis: |v| from 0.
    svgEl.append(el('line', { x1: x0, y1: top - 4, x2: x0, y2: height - 6, stroke: '#999', 'stroke-width': 1 }));

    // The threshold: H_s keeps the entries whose |v| reaches the s-th largest.
    // Drawn first, so that the bars' values stay legible on top of it.
    const tx = scale(detail.threshold);
    svgEl.append(el('line', { x1: tx, y1: top - 6, x2: tx, y2: height - 4, stroke: COLOURS.vermillion, 'stroke-width': 2, 'stroke-dasharray': '6 3', class: 'hs-threshold' }));

    order.forEach((i, r) => {
      const y = top + r * row;
      const h = Math.max(2, row - (showLabels ? 6 : 1));
      const g = el('g', { 'data-index': i, class: 'hs-row' });
      const isKept = kept.has(i);
      const change = projected ? changeOf(detail, i) : '';
      const title = `${labels[i]}: θ before ${formatNumber(detail.before[i])}, v ${formatNumber(v[i])}, after ${formatNumber(detail.after[i])}${projected ? (isKept ? ', kept' : ', zeroed') : ''}${change ? `, ${change} the support` : ''}`;
      g.append(el('title', {}, title));
      const barAttributes = { x: x0, y: y + (row - h) / 2, width: Math.max(0.5, scale(Math.abs(v[i])) - x0), height: h, class: 'hs-bar' };
      if (!projected) Object.assign(barAttributes, { fill: COLOURS.skyBlue, stroke: COLOURS.blue, 'stroke-width': 1 });
      else if (isKept) Object.assign(barAttributes, { fill: COLOURS.blue, stroke: COLOURS.blue, 'stroke-width': 1, 'data-kept': 1 });
      else Object.assign(barAttributes, { fill: '#fff', stroke: COLOURS.grey, 'stroke-width': 1, 'stroke-dasharray': '3 2', 'data-kept': 0 });
      g.append(el('rect', barAttributes));
      // θ_{k−1}: a tick at |θ_{k−1,i}|, so the move of the gradient step shows.
      if (detail.before[i] !== 0) {
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
      const capped = n > MAX_BARS ? ` The ${MAX_BARS} largest of the ${n} entries are drawn; the table lists all.` : '';
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
