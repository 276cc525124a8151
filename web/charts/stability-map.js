// Part of view 6: support stability (Meinshausen & Bühlmann) as a heat map,
// one row per s of the sweep's grid and one column per parameter of θ
// (labelled by describe()), the colour the share of cross-validation folds
// whose solution kept that parameter. The row of the s that cross-validation
// chooses is outlined. The canvas is hidden from assistive technology; the
// table beside it has the same numbers.
import { COLOURS } from './palette.js';
import { fillTable } from '../table.js';
import { formatPercent } from '../format.js';

const FONT = '11px system-ui, sans-serif';
const LEFT = 44;
const RIGHT = 8;
const TOP = 26;
const BOTTOM = 58;
// The table lists the parameters some fold kept, at most this many (the CSV has every one).
const MAX_COLUMNS = 200;

const BLUE = [0x00, 0x72, 0xb2];
const shade = (f) => `rgb(${BLUE.map((c) => Math.round(255 + (c - 255) * Math.min(1, Math.max(0, f)))).join(',')})`;

export function createStabilityMap({ boxEl, tableEl }) {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('aria-hidden', 'true');
  canvas.className = 'heatmap';
  boxEl.replaceChildren(canvas);
  let data = null; // { grid, frequency, labels, chosenS, folds }

  function draw() {
    if (!data) return;
    const { grid, frequency, labels, chosenS } = data;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(boxEl.clientWidth, 200);
    const n = labels.length;
    const rowH = grid.length > 20 ? 12 : 16;
    const height = TOP + grid.length * rowH + BOTTOM;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    const colW = (width - LEFT - RIGHT) / n;
    const gap = colW >= 4 ? 1 : 0;
    grid.forEach((s, r) => {
      const row = frequency[r];
      for (let j = 0; j < n; j++) {
        ctx.fillStyle = shade(row[j]);
        ctx.fillRect(LEFT + j * colW, TOP + r * rowH, Math.max(colW - gap, 0.5), rowH - gap);
      }
    });
    // Faint cell borders would vanish on white; a frame shows the map's extent.
    ctx.strokeStyle = '#ccc';
    ctx.lineWidth = 1;
    ctx.strokeRect(LEFT - 0.5, TOP - 0.5, n * colW + 1, grid.length * rowH + 1);
    const chosenRow = grid.indexOf(chosenS);
    if (chosenRow >= 0) {
      ctx.strokeStyle = COLOURS.black;
      ctx.lineWidth = 2;
      ctx.strokeRect(LEFT - 1, TOP + chosenRow * rowH - 1, n * colW + 2, rowH + 1);
    }
    ctx.fillStyle = '#222';
    ctx.font = FONT;
    // Row labels: s, as many as fit.
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const rowStep = Math.ceil(11 / rowH);
    grid.forEach((s, r) => {
      if (r % rowStep === 0 || s === chosenS) ctx.fillText(s === chosenS ? `▶ ${s}` : String(s), LEFT - 4, TOP + (r + 0.5) * rowH);
    });
    ctx.save();
    ctx.translate(10, TOP + (grid.length * rowH) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText('s', 0, 0);
    ctx.restore();
    // Column labels, turned upright, every one that fits.
    const colStep = Math.ceil(12 / colW);
    const bottom = TOP + grid.length * rowH;
    for (let j = 0; j < n; j += colStep) {
      ctx.save();
      ctx.translate(LEFT + (j + 0.5) * colW, bottom + 4);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'right';
      ctx.fillText(labels[j], 0, 0);
      ctx.restore();
    }
    // The colour key: white (no fold kept it) to blue (every fold).
    const keyW = Math.min(140, width / 3);
    const keyX = width - RIGHT - keyW;
    const gradient = ctx.createLinearGradient(keyX, 0, keyX + keyW, 0);
    gradient.addColorStop(0, shade(0));
    gradient.addColorStop(1, shade(1));
    ctx.fillStyle = gradient;
    ctx.fillRect(keyX, 6, keyW, 10);
    ctx.strokeStyle = '#999';
    ctx.strokeRect(keyX - 0.5, 5.5, keyW + 1, 11);
    ctx.fillStyle = '#222';
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    ctx.fillText(`kept in 0 % … 100 % of ${data.folds} folds`, keyX - 6, 11);
  }

  function fill() {
    if (!data) {
      tableEl.replaceChildren();
      return;
    }
    const { grid, frequency, labels, folds } = data;
    const kept = labels.map((_, j) => j).filter((j) => frequency.some((row) => row[j] > 0));
    const shown = kept.slice(0, MAX_COLUMNS);
    const left = labels.length - kept.length;
    fillTable(tableEl, {
      caption:
        `Share of the ${folds} cross-validation folds whose solution kept each parameter, per s` +
        (left ? `; the ${left} of ${labels.length} parameters no fold kept are left out` : '') +
        (kept.length > shown.length ? `; the first ${shown.length} others are shown (the CSV has them all)` : '') +
        '.',
      columns: [{ label: 's' }, ...shown.map((j) => ({ label: labels[j], numeric: true }))],
      rows: grid.map((s, r) => [{ text: String(s), header: true }, ...shown.map((j) => formatPercent(frequency[r][j]))]),
    });
  }

  const resize = new ResizeObserver(() => {
    if (data && Math.round(canvas.width / (window.devicePixelRatio || 1)) !== Math.max(boxEl.clientWidth, 200)) draw();
  });
  resize.observe(boxEl);

  return {
    canvas,
    /** grid: the s values; frequency: per s, one share per parameter; labels: describe()'s. */
    set(next) {
      data = next;
      draw();
      fill();
    },
    clear() {
      data = null;
      canvas.width = canvas.height = 0;
      fill();
    },
  };
}
