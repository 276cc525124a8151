// The sample strip under view 1 for image data: a few test images, each with
// the class the network predicts for it; a wrong prediction is framed in
// vermillion and marked ✗ with the true class, so colour is never the only
// sign. The worker sends the images and the predictions (the package's
// trainer.predictions()); this file only draws them, grey for the pixel values
// (white 0 to black at the largest value shown).
import { FONT_PX, el } from './svg.js';

const GAP = 8;

export function createSampleStrip({ boxEl, svgEl, captionEl }) {
  let last = null; // [samples, classes, imageShape]
  let drawnWidth = 0;

  function clear() {
    last = null;
    boxEl.hidden = true;
    svgEl.replaceChildren();
    captionEl.textContent = '';
  }

  /**
   * samples: { on, numFeatures, x, y, predicted } from the worker; classes:
   * the data set's class names; imageShape [rows, columns].
   */
  function set(samples, classes, imageShape) {
    last = [samples, classes, imageShape];
    const [rows, cols] = imageShape;
    const count = samples.y.length;
    const width = Math.max(300, Math.round(svgEl.parentElement.clientWidth || 720));
    drawnWidth = width;
    // 4 to 7 px a pixel, in up to 8 columns, fewer on a narrow card.
    const columns = Math.max(1, Math.min(count, 8, Math.floor((width - 20 + GAP) / (4 * cols + GAP))));
    const px = Math.max(4, Math.min(7, Math.floor((width - 20 - (columns - 1) * GAP) / (columns * cols))));
    const cell = cols * px + GAP;
    const perRow = Math.max(1, Math.floor((width - 20 + GAP) / cell));
    const rowH = rows * px + 2 * FONT_PX + 10;
    const height = Math.ceil(count / perRow) * rowH + 4;
    let max = 0;
    for (const v of samples.x) max = Math.max(max, v);
    svgEl.replaceChildren();
    svgEl.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svgEl.setAttribute('font-family', 'system-ui, sans-serif');
    el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }, svgEl);
    const words = [];
    let wrong = 0;
    for (let j = 0; j < count; ++j) {
      const x0 = 10 + (j % perRow) * cell;
      const y0 = 4 + Math.floor(j / perRow) * rowH;
      const ok = samples.predicted[j] === samples.y[j];
      const g = el('g', { class: ok ? 'sample' : 'sample wrong' }, svgEl);
      for (let r = 0; r < rows; ++r) {
        for (let c = 0; c < cols; ++c) {
          const v = samples.x[j * samples.numFeatures + r * cols + c];
          if (v <= 0) continue;
          const shade = Math.round(255 * (1 - Math.min(1, v / (max || 1))));
          el('rect', { x: x0 + c * px, y: y0 + r * px, width: px, height: px, fill: `rgb(${shade},${shade},${shade})` }, g);
        }
      }
      el('rect', {
        x: x0 - 1.5, y: y0 - 1.5, width: cols * px + 3, height: rows * px + 3, fill: 'none',
        stroke: ok ? '#bbbbbb' : '#D55E00', 'stroke-width': ok ? 1 : 3,
      }, g);
      const predicted = classes[samples.predicted[j]] ?? String(samples.predicted[j]);
      const truth = classes[samples.y[j]] ?? String(samples.y[j]);
      const label = el('text', { x: x0 + (cols * px) / 2, y: y0 + rows * px + FONT_PX + 3, 'text-anchor': 'middle', 'font-size': FONT_PX, fill: ok ? '#222' : '#D55E00', 'font-weight': ok ? 400 : 700 }, g);
      label.textContent = ok ? `→ ${predicted}` : `✗ ${predicted}`;
      if (!ok) {
        const t = el('text', { x: x0 + (cols * px) / 2, y: y0 + rows * px + 2 * FONT_PX + 5, 'text-anchor': 'middle', 'font-size': FONT_PX - 1, fill: '#555' }, g);
        t.textContent = `is ${truth}`;
        wrong += 1;
      }
      el('title', {}, g).textContent = ok ? `Image ${j + 1}: a ${truth}, predicted ${predicted}` : `Image ${j + 1}: a ${truth}, predicted ${predicted} (wrong)`;
      words.push(ok ? `${truth} → ${predicted}` : `${truth} → ${predicted} ✗`);
    }
    const split = samples.on === 'test' ? 'test' : 'training (there is no test split)';
    captionEl.textContent =
      `The first ${count} ${split} images and the class the network predicts for each: ${wrong === 0 ? 'all right' : `${wrong} wrong (framed, ✗)`}. ` +
      `True → predicted: ${words.join(', ')}.`;
    boxEl.hidden = false;
  }

  new ResizeObserver(() => {
    const w = Math.max(300, Math.round(svgEl.parentElement.clientWidth || 720));
    if (last && !boxEl.hidden && Math.abs(w - drawnWidth) >= 8) set(...last);
  }).observe(svgEl.parentElement);

  return {
    set,
    clear,
    get svg() {
      return svgEl;
    },
  };
}
