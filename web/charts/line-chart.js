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
 * container: element to fill; series: [{ label, stroke, dash, width, points, paths, fill }];
 * options: { xLabel, yLabel, height, yRange, yTicks, xRange, xIncrs, sync, hooks, legend }.
 * Returns { plot, setData(data), key, destroy() }.
 */
export function createLineChart(container, series, options = {}) {
  const height = options.height ?? 200;
  const plot = new uPlot(
    {
      width: Math.max(container.clientWidth, 200),
      height,
      scales: {
        x: { time: false, ...(options.xRange ? { range: options.xRange } : {}) },
        y: options.yRange ? { range: options.yRange } : {},
      },
      axes: [
        { ...AXIS, label: options.xLabel ?? '', labelSize: 24, ...(options.xIncrs ? { incrs: options.xIncrs } : {}) },
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
          points: { show: s.points ?? false, size: 6, fill: s.stroke },
          spanGaps: false,
          value: s.value,
        })),
      ],
      cursor: options.sync ? { sync: { key: options.sync } } : {},
      legend: { show: options.legend ?? true, live: false },
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

/** Draws a labelled vertical line at x on a uPlot canvas (in a draw hook). */
export function drawMarker(u, x, { stroke, dash = [], label, row = 0 }) {
  if (x === null || x === undefined || !Number.isFinite(x)) return;
  const ratio = devicePixelRatio || 1;
  const px = u.valToPos(x, 'x', true);
  const { top, height, left, width } = u.bbox;
  if (px < left - 1 || px > left + width + 1) return;
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = stroke;
  ctx.lineWidth = 2 * ratio;
  ctx.setLineDash(dash.map((d) => d * ratio));
  ctx.beginPath();
  ctx.moveTo(px, top);
  ctx.lineTo(px, top + height);
  ctx.stroke();
  if (label) {
    ctx.setLineDash([]);
    ctx.font = `600 ${11 * ratio}px system-ui, sans-serif`;
    const textWidth = ctx.measureText(label).width;
    const onLeft = px + 4 * ratio + textWidth > left + width;
    const tx = onLeft ? px - 4 * ratio - textWidth : px + 4 * ratio;
    const ty = top + (12 + 14 * row) * ratio;
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    ctx.fillRect(tx - 2 * ratio, ty - 10 * ratio, textWidth + 4 * ratio, 13 * ratio);
    ctx.fillStyle = stroke === '#000000' ? '#000' : '#222';
    ctx.fillText(label, tx, ty);
  }
  ctx.restore();
}
