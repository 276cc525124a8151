// A uPlot chart that follows its container's width, with the page's axis
// style. The canvas is hidden from assistive technology: every chart has a
// table or text alternative next to it.
import uPlot from '../vendor/uPlot.esm.js';

const FONT = '12px system-ui, sans-serif';
const AXIS = { stroke: '#333', grid: { stroke: '#e6e6e6', width: 1 }, ticks: { stroke: '#bbb', width: 1 }, font: FONT, labelFont: FONT };

export function percentTicks(u, values) {
  return values.map((v) => `${Math.round(v * 100)} %`);
}

/**
 * container: element to fill; series: [{ label, stroke, dash, width, points, pointSize, pointFill, paths, fill }];
 * options: { xLabel, yLabel, height, yRange, yTicks, xRange, xIncrs, xLog, sync, hooks, legend, bands }.
 * xLog: a logarithmic x axis (values above 0); bands: uPlot's { series: [upper, lower], fill }.
 * Returns { plot, setData(data), key, destroy() }.
 */
export function createLineChart(container, series, options = {}) {
  const height = options.height ?? 200;
  const plot = new uPlot(
    {
      width: Math.max(container.clientWidth, 200),
      height,
      scales: {
        x: { time: false, ...(options.xLog ? { distr: 3, log: 10 } : {}), ...(options.xRange ? { range: options.xRange } : {}) },
        y: options.yRange ? { range: options.yRange } : {},
      },
      axes: [
        { ...AXIS, label: options.xLabel ?? '', labelSize: 24, ...(options.xIncrs && !options.xLog ? { incrs: options.xIncrs } : {}) },
        { ...AXIS, label: options.yLabel ?? '', labelSize: 24, size: 56, ...(options.yTicks ? { values: options.yTicks } : {}) },
      ],
      series: [
        { label: options.xLabel ?? 'x' },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          width: s.width ?? 2,
          dash: s.dash ?? [],
          fill: s.fill,
          paths: s.paths,
          points: { show: s.points ?? false, size: s.pointSize ?? 6, fill: s.pointFill ?? s.stroke, stroke: s.stroke },
          spanGaps: false,
          value: s.value,
        })),
      ],
      cursor: options.sync ? { sync: { key: options.sync } } : {},
      legend: { show: options.legend ?? true, live: false },
      ...(options.bands ? { bands: options.bands } : {}),
      hooks: options.hooks ?? {},
    },
    [[], ...series.map(() => [])],
    container,
  );
  plot.root.setAttribute('aria-hidden', 'true');

  const resize = new ResizeObserver(() => {
    const width = Math.max(container.clientWidth, 200);
    if (width !== plot.width) plot.setSize({ width, height });
  });
  resize.observe(container);

  return {
    plot,
    key: series.map((s) => ({ label: s.label, stroke: s.stroke, dash: s.dash ?? [] })),
    setData(data) {
      plot.setData(data);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}

/**
 * Places labels beside vertical lines so that no two overlap: each goes to the
 * right of its line (to the left when it would leave [min, max]), in the
 * first row where it meets no label placed before it. A new row is always
 * free, so there is always a place. items: [{ x, width }], in any unit;
 * returns [{ left, right, row }] in the items' order.
 */
export function placeLabels(items, { min = -Infinity, max = Infinity, offset = 4, gap = 2 } = {}) {
  const order = items.map((_, i) => i).sort((a, b) => items[a].x - items[b].x || a - b);
  const rows = [];
  const placed = new Array(items.length);
  for (const i of order) {
    const { x, width } = items[i];
    const right = [x + offset, x + offset + width];
    const left = [x - offset - width, x - offset];
    let sides = [right, left].filter(([a, b]) => a >= min && b <= max);
    if (!sides.length) {
      // Wider than the room on either side: as close to the line as fits.
      const a = Math.max(min, Math.min(x + offset, max - width));
      sides = [[a, a + width]];
    }
    for (let row = 0; ; row++) {
      rows[row] ??= [];
      const free = sides.find(([a, b]) => rows[row].every(([c, d]) => b + gap <= c || a >= d + gap));
      if (free) {
        rows[row].push(free);
        placed[i] = { left: free[0], right: free[1], row };
        break;
      }
    }
  }
  return placed;
}

const LABEL_ROW = 15; // CSS pixels from one row of marker labels to the next

/**
 * Draws labelled vertical lines on a uPlot canvas (in a draw hook): markers
 * [{ x, stroke, dash, label }]. The labels never overlap (placeLabels).
 * Returns the label boxes in CSS pixels of the plotting area:
 * [{ label, left, right, top, bottom }].
 */
export function drawMarkers(u, markers) {
  const ratio = devicePixelRatio || 1;
  const { top, height, left, width } = u.bbox;
  const ctx = u.ctx;
  const shown = [];
  ctx.save();
  for (const m of markers) {
    if (m.x === null || m.x === undefined || !Number.isFinite(m.x)) continue;
    const px = u.valToPos(m.x, 'x', true);
    if (px < left - 1 || px > left + width + 1) continue;
    ctx.strokeStyle = m.stroke;
    ctx.lineWidth = 2 * ratio;
    ctx.setLineDash((m.dash ?? []).map((d) => d * ratio));
    ctx.beginPath();
    ctx.moveTo(px, top);
    ctx.lineTo(px, top + height);
    ctx.stroke();
    if (m.label) shown.push({ ...m, px });
  }
  ctx.setLineDash([]);
  ctx.font = `600 ${11 * ratio}px system-ui, sans-serif`;
  // uPlot leaves the alignment of its last axis text behind: the tags are laid out left-aligned.
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  const pad = 4 * ratio;
  const places = placeLabels(
    shown.map((m) => ({ x: m.px, width: ctx.measureText(m.label).width + 2 * pad })),
    { min: left, max: left + width, offset: 2 * ratio, gap: 2 * ratio },
  );
  const boxes = shown.map((m, i) => {
    const { left: bl, right: br, row } = places[i];
    const bt = top + (2 + LABEL_ROW * row) * ratio;
    ctx.fillStyle = 'rgba(255,255,255,0.9)';
    ctx.fillRect(bl, bt, br - bl, 13 * ratio);
    // A bar in the line's colour on the side facing the line ties the tag to it.
    ctx.fillStyle = m.stroke;
    ctx.fillRect(bl >= m.px ? bl : br - 2 * ratio, bt, 2 * ratio, 13 * ratio);
    ctx.fillStyle = '#222';
    ctx.fillText(m.label, bl + pad, bt + 10 * ratio);
    return { label: m.label, left: bl / ratio, right: br / ratio, top: bt / ratio, bottom: bt / ratio + 13 };
  });
  ctx.restore();
  return boxes;
}

/** Draws one labelled vertical line at x on a uPlot canvas (in a draw hook). */
export function drawMarker(u, x, { stroke, dash = [], label }) {
  drawMarkers(u, [{ x, stroke, dash, label }]);
}
