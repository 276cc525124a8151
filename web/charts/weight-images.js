// View 1 for image data (the digits: imageShape [8, 8]): lines from 64 pixels
// to every unit are a grey blur, so the first layer is drawn as pictures.
//   - No hidden layer: one image of weights per class.
//   - Hidden layers: one image per unit of the first layer (its weights from
//     the pixels); a unit with no weight in or no weight out (it passes
//     nothing from the image to the classes) is greyed out; each later layer
//     is a compact matrix, one row per output unit and one column per input
//     unit, its biases in a last column.
// A weight is blue when positive, vermillion when negative, and stronger the
// larger |w| is against its layer's largest; a pruned weight (zero) is blank.
// The latest support change is outlined: orange for entries that entered,
// purple dashes for those that left. Which entry of θ is which comes from
// describe()'s parameters (layer, fromUnit, toUnit), never from a layout
// computed here.
import { COLOURS } from './palette.js';
import { FONT_PX, el } from './svg.js';

const GAP = 10;

/**
 * Builds the drawing in svgEl for a network of `sizes` whose first layer's
 * inputs are the pixels of an image of imageShape [rows, columns]. params:
 * [{ kind, layer, from, to, name }] in θ order (network.js's view of
 * describe()). Returns { height, update(theta, change), describeUnits(theta) }.
 */
export function buildWeightImages(svgEl, { sizes, params, neuron, imageShape, width, top }) {
  const [rows, cols] = imageShape;
  const layers = sizes.length - 1;
  const firstOut = sizes[1];
  const hidden = layers > 1;
  // Pixels of the first layer's images: as large as fits the pictures in 16
  // columns (10 without hidden layers, a class each), 4 to 12 px; a narrow
  // card takes fewer columns rather than smaller pixels.
  const MIN_PX = 4;
  const fitsAtMin = Math.max(1, Math.floor((width - 20 + GAP) / (MIN_PX * cols + GAP)));
  const perRow = Math.max(1, Math.min(hidden ? 16 : 10, firstOut, fitsAtMin));
  const px = Math.max(MIN_PX, Math.min(12, Math.floor((width - 20 - (perRow - 1) * GAP) / (perRow * cols))));
  const imgW = cols * px;
  const imgH = rows * px;
  const fit = Math.max(1, Math.floor((width - 20 + GAP) / (imgW + GAP)));
  const labelH = FONT_PX + 4;
  const shapes = new Array(params.length).fill(null);
  const unitBoxes = [];
  const layer = el('g', {}, svgEl);
  const marks = el('g', { fill: 'none', 'pointer-events': 'none' }, svgEl);

  let y = top;
  const heading = (text) => {
    el('text', { x: 10, y: y + FONT_PX, 'font-size': FONT_PX, 'font-weight': 600, fill: '#222' }, layer).textContent = text;
    y += FONT_PX + 8;
  };

  // The first layer: one picture per output unit (a class, or a hidden unit).
  const wide = width >= 560;
  if (hidden) heading(wide ? `Layer 1: the weights from the ${rows} × ${cols} pixels into each hidden unit` : 'Layer 1: pixels → each unit');
  else heading(wide ? `The weights from the ${rows} × ${cols} pixels into each class` : 'Pixels → each class');
  const images = [];
  for (let u = 0; u < firstOut; ++u) {
    const x = 10 + (u % fit) * (imgW + GAP);
    const y0 = y + Math.floor(u / fit) * (imgH + labelH + GAP);
    const g = el('g', {}, layer);
    el('rect', { x: x - 0.5, y: y0 - 0.5, width: imgW + 1, height: imgH + 1, fill: '#ffffff', stroke: '#bbbbbb', 'stroke-width': 1 }, g);
    const label = el('text', { x: x + imgW / 2, y: y0 + imgH + FONT_PX, 'text-anchor': 'middle', 'font-size': Math.min(FONT_PX, Math.max(9, px + 3)), fill: '#222' }, g);
    label.textContent = neuron(1, u);
    images.push({ g, label, x, y: y0 });
    unitBoxes.push({ x, y: y0, w: imgW, h: imgH });
  }
  y += Math.ceil(firstOut / fit) * (imgH + labelH + GAP);

  // Later layers: a matrix per layer, outputs × (inputs + the bias).
  const matrices = [];
  for (let l = 2; l <= layers; ++l) {
    const outs = sizes[l];
    const ins = sizes[l - 1];
    const labelW = 46;
    const cell = Math.max(4, Math.min(14, Math.floor((width - 20 - labelW) / (ins + 1))));
    heading(wide
      ? `Layer ${l}: ${l === layers ? 'each class' : 'each unit'} (rows) from each unit of layer ${l - 1} (columns), bias last`
      : `Layer ${l}: rows ← columns, bias last`);
    const x0 = 10 + labelW;
    for (let o = 0; o < outs; ++o) {
      const t = el('text', { x: x0 - 6, y: y + o * cell + cell / 2 + 4, 'text-anchor': 'end', 'font-size': Math.min(FONT_PX, cell + 2), fill: '#222' }, layer);
      t.textContent = neuron(l, o);
    }
    el('rect', { x: x0 - 0.5, y: y - 0.5, width: (ins + 1) * cell + 1, height: outs * cell + 1, fill: '#ffffff', stroke: '#bbbbbb' }, layer);
    matrices.push({ l, x0, y0: y, cell });
    y += outs * cell + GAP + 4;
  }

  // One rect per entry of θ: a pixel of a picture, or a cell of a matrix. The
  // first layer's biases are written under their unit's picture.
  const biasOf = new Array(firstOut).fill(-1);
  params.forEach((p, i) => {
    if (p.layer === 1) {
      if (p.kind === 'bias') {
        biasOf[p.to] = i;
        return;
      }
      const img = images[p.to];
      const r = Math.floor(p.from / cols);
      const c = p.from % cols;
      const rect = el('rect', { x: img.x + c * px, y: img.y + r * px, width: px, height: px, fill: 'none' }, img.g);
      el('title', {}, rect).textContent = p.name;
      shapes[i] = rect;
      return;
    }
    const m = matrices[p.layer - 2];
    const column = p.kind === 'bias' ? sizes[p.layer - 1] : p.from;
    const rect = el('rect', { x: m.x0 + column * m.cell, y: m.y0 + p.to * m.cell, width: m.cell, height: m.cell, fill: 'none' }, layer);
    el('title', {}, rect).textContent = p.name;
    shapes[i] = rect;
  });

  const previous = new Float64Array(params.length).fill(Number.NaN);

  function styleCell(rect, value, maxAbs) {
    if (value === 0) {
      rect.setAttribute('fill', 'none');
      return;
    }
    rect.setAttribute('fill', value > 0 ? COLOURS.blue : COLOURS.vermillion);
    rect.setAttribute('fill-opacity', (0.15 + 0.85 * Math.min(1, Math.abs(value) / maxAbs)).toFixed(2));
  }

  // Units of the first layer that pass nothing on: no weight from the pixels,
  // or (with hidden layers) no weight to the next layer.
  function deadUnits(theta) {
    const into = new Array(firstOut).fill(false);
    const out = new Array(firstOut).fill(!hidden);
    params.forEach((p, i) => {
      if (theta[i] === 0 || p.kind !== 'weight') return;
      if (p.layer === 1) into[p.to] = true;
      else if (p.layer === 2) out[p.from] = true;
    });
    return { into, out };
  }

  function update(theta, change) {
    const maxAbs = new Array(layers + 1).fill(0);
    params.forEach((p, i) => {
      if (p.kind === 'weight' || p.layer > 1) maxAbs[p.layer] = Math.max(maxAbs[p.layer], Math.abs(theta[i]));
    });
    params.forEach((p, i) => {
      const rect = shapes[i];
      if (!rect || previous[i] === theta[i]) return;
      previous[i] = theta[i];
      styleCell(rect, theta[i], maxAbs[p.layer] || 1);
    });
    const { into, out } = deadUnits(theta);
    images.forEach((img, u) => {
      const dead = !into[u] || !out[u];
      img.g.setAttribute('opacity', dead ? '0.35' : '1');
      const b = biasOf[u] >= 0 ? theta[biasOf[u]] : 0;
      const name = neuron(1, u);
      img.label.textContent = dead ? `${name} ✕` : b !== 0 && !hidden ? `${name} (b ${b > 0 ? '+' : '−'})` : name;
    });
    marks.replaceChildren();
    if (!change) return;
    const outline = (i, entered) => {
      const rect = shapes[i];
      const attrs = entered
        ? { stroke: COLOURS.orange, 'stroke-width': 2 }
        : { stroke: COLOURS.purple, 'stroke-width': 1.5, 'stroke-dasharray': '2 2' };
      if (rect) {
        el('rect', { x: rect.getAttribute('x'), y: rect.getAttribute('y'), width: rect.getAttribute('width'), height: rect.getAttribute('height'), ...attrs }, marks);
      } else if (params[i].layer === 1) {
        // A first-layer bias: its unit's picture.
        const box = unitBoxes[params[i].to];
        el('rect', { x: box.x - 2, y: box.y - 2, width: box.w + 4, height: box.h + 4, ...attrs }, marks);
      }
    };
    change.entered.forEach((i) => outline(i, true));
    change.left.forEach((i) => outline(i, false));
  }

  /** The first layer's units in words, for the caption: kept and greyed. */
  function describeUnits(theta) {
    const { into, out } = deadUnits(theta);
    const noIn = [];
    const noOut = [];
    for (let u = 0; u < firstOut; ++u) {
      if (!into[u]) noIn.push(neuron(1, u));
      else if (!out[u]) noOut.push(neuron(1, u));
    }
    const kept = firstOut - noIn.length - noOut.length;
    const what = hidden ? 'hidden units' : 'classes';
    let text = `${kept} of ${firstOut} ${what} keep weights from the image`;
    if (hidden) text += ' and to the next layer';
    text += '.';
    if (noIn.length) text += ` Greyed, no weight from any pixel: ${noIn.join(', ')}.`;
    if (noOut.length) text += ` Greyed, no weight to the next layer: ${noOut.join(', ')}.`;
    return text;
  }

  return { height: y, update, describeUnits };
}
