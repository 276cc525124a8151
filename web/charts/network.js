// View 4: the network as an SVG, one line per weight and one circle per
// neuron. Nonzero weights are drawn by sign (colour) and magnitude (width),
// zero weights faint and dashed; biases colour their neurons. The latest
// support change (from the trainer's state) is highlighted: entries that
// entered get an orange halo or ring, entries that left are drawn as purple
// ghosts. What each entry of θ is comes from the package's describe(): this
// file never computes the layout itself. For image data (the digits) the
// first layer is drawn as pictures instead (weight-images.js).
import { COLOURS } from './palette.js';
import { FONT_PX, el } from './svg.js';
import { buildWeightImages } from './weight-images.js';
import { fillTable } from '../table.js';
import { formatNumber } from '../format.js';

const TOP = 24;
// Above this many weights, lines would be a grey blur: the table remains.
const MAX_EDGES = 5000;

function shorten(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What the page calls a parameter of describe(): its label and the units it joins. */
export function parameterName(p) {
  return p.kind === 'weight' ? `${p.label}: ${p.from} → ${p.to}` : `${p.label}: bias of ${p.to}`;
}

/**
 * The drawing's view of describe()'s parameters: each entry of θ with the
 * neurons it joins (layer, from and to unit indices) and its name, and the
 * name of every neuron, layer by layer.
 */
function describeParameters(sizes, parameters) {
  const names = sizes.map((count) => new Array(count).fill(''));
  const params = parameters.map((p) => {
    names[p.layer][p.toUnit] = p.to;
    if (p.kind === 'weight') names[p.layer - 1][p.fromUnit] = p.from;
    return { kind: p.kind, layer: p.layer, from: p.fromUnit, to: p.toUnit, name: parameterName(p) };
  });
  return { params, neuron: (layer, j) => names[layer][j] };
}

// Legend entries flowed into rows that fit the width: each takes `extra`
// pixels (swatch and gaps) plus about 6.5 px a character of its label. Sets
// each item's x and row, and returns the items.
function flowLegend(items, extra, width) {
  let x = 10;
  let row = 0;
  for (const item of items) {
    const w = extra + item.label.length * 6.5;
    if (x > 10 && x + w > width - 10) {
      x = 10;
      row += 1;
    }
    Object.assign(item, { x, row });
    x += w;
  }
  return items;
}

export function createNetworkDiagram({ svgEl, captionEl, tableEl }) {
  let layout = null;
  let change = null; // { iteration, entered: Set, left: Set }
  let last = null; // { theta, support, iteration }

  let architecture = null; // [sizes, parameters, imageShape], to rebuild on resize
  let width = 0;

  // The drawing is laid out in CSS pixels for the card's width, so its text
  // stays readable from 360 px phones to wide screens.
  function setArchitecture(sizes, parameters, imageShape) {
    architecture = [sizes, parameters, imageShape];
    width = Math.max(300, Math.round(svgEl.parentElement.clientWidth || 720));
    build(sizes, parameters, imageShape);
  }

  // Pictures for a first layer whose inputs are an image's pixels.
  function buildImages(sizes, params, neuron, imageShape) {
    const WIDTH = width;
    svgEl.replaceChildren();
    svgEl.setAttribute('font-family', 'system-ui, sans-serif');
    const background = el('rect', { x: 0, y: 0, width: WIDTH, fill: '#ffffff' }, svgEl);
    const images = buildWeightImages(svgEl, { sizes, params, neuron, imageShape, width: WIDTH, top: TOP - 8 });
    const items = imageLegendItems(WIDTH);
    const legendTop = images.height + 12;
    const height = legendTop + (items[items.length - 1].row + 1) * 18 + 26;
    background.setAttribute('height', height);
    svgEl.setAttribute('viewBox', `0 0 ${WIDTH} ${height}`);
    const g = el('g', { 'font-size': 11, fill: '#222' }, svgEl);
    for (const item of items) {
      el('rect', { x: item.x, y: legendTop + item.row * 18 - 6, width: 12, height: 12, ...item.attrs }, g);
      el('text', { x: item.x + 18, y: legendTop + item.row * 18 + 4 }, g).textContent = item.label;
    }
    const rows = items[items.length - 1].row + 1;
    el('text', { x: 10, y: legendTop + rows * 18 + 8, fill: '#555' }, g).textContent =
      WIDTH >= 560 ? 'Colour strength: |weight| against the largest in its layer. ✕: a unit that passes nothing on.' : 'Strength: |weight|. ✕: passes nothing on.';
    layout = { sizes, params, images, drawEdges: false };
  }

  function imageLegendItems(WIDTH) {
    const items = [
      { label: 'positive', attrs: { fill: COLOURS.blue } },
      { label: 'negative', attrs: { fill: COLOURS.vermillion } },
      { label: 'zero (pruned): blank', attrs: { fill: '#ffffff', stroke: '#bbbbbb' } },
      { label: 'entered at latest change', attrs: { fill: 'none', stroke: COLOURS.orange, 'stroke-width': 2 } },
      { label: 'left at latest change', attrs: { fill: 'none', stroke: COLOURS.purple, 'stroke-width': 1.5, 'stroke-dasharray': '2 2' } },
      { label: 'greyed: no weight in or out', attrs: { fill: COLOURS.grey, 'fill-opacity': 0.35 } },
    ];
    return flowLegend(items, 18 + 16, WIDTH);
  }

  function build(sizes, parameters, imageShape = null) {
    const { params, neuron } = describeParameters(sizes, parameters);
    if (imageShape && imageShape[0] * imageShape[1] === sizes[0]) {
      buildImages(sizes, params, neuron, imageShape);
      return;
    }
    const WIDTH = width;
    const labelChars = Math.max(6, Math.min(22, Math.floor((WIDTH * 0.3) / 7)));
    const LEFT = Math.min(170, labelChars * 7 + 24);
    const RIGHT = LEFT;
    const maxNodes = Math.max(...sizes);
    const dy = Math.max(10, Math.min(46, 360 / maxNodes));
    const r = Math.max(3, Math.min(13, dy * 0.32));
    const legend = legendItems(WIDTH);
    const LEGEND_H = 24 + (legend[legend.length - 1].row + 1) * 18 + 18;
    const height = TOP * 2 + (maxNodes - 1) * dy + LEGEND_H;
    const columns = sizes.length;
    const x = (l) => LEFT + (l * (WIDTH - LEFT - RIGHT)) / (columns - 1);
    const nodes = sizes.map((count, l) =>
      Array.from({ length: count }, (_, j) => ({ x: x(l), y: TOP + ((maxNodes - count) * dy) / 2 + j * dy })),
    );

    svgEl.replaceChildren();
    svgEl.setAttribute('viewBox', `0 0 ${WIDTH} ${height}`);
    svgEl.setAttribute('font-family', 'system-ui, sans-serif');
    el('rect', { x: 0, y: 0, width: WIDTH, height, fill: '#ffffff' }, svgEl);
    const edgeLayer = el('g', { 'stroke-linecap': 'round' }, svgEl);
    const highlightLayer = el('g', { 'stroke-linecap': 'round', fill: 'none' }, svgEl);
    const nodeLayer = el('g', {}, svgEl);
    const labelLayer = el('g', { 'font-size': FONT_PX, fill: '#222' }, svgEl);

    const drawEdges = params.filter((p) => p.kind === 'weight').length <= MAX_EDGES;
    const shapes = params.map((p) => {
      if (p.kind === 'weight') {
        if (!drawEdges) return null;
        const a = nodes[p.layer - 1][p.from];
        const b = nodes[p.layer][p.to];
        const line = el('line', { x1: a.x + r, y1: a.y, x2: b.x - r, y2: b.y }, edgeLayer);
        el('title', {}, line).textContent = p.name;
        return line;
      }
      return null;
    });

    const circles = nodes.map((layer, l) =>
      layer.map((n, j) => {
        const c = el('circle', { cx: n.x, cy: n.y, r, fill: l === 0 ? '#eeeeee' : '#ffffff', stroke: '#444', 'stroke-width': 1.2 }, nodeLayer);
        el('title', {}, c).textContent = neuron(l, j);
        return c;
      }),
    );
    params.forEach((p, index) => {
      if (p.kind === 'bias') shapes[index] = circles[p.layer][p.to];
    });

    const biasLabels = [];
    if (dy >= 28) {
      params.forEach((p, index) => {
        if (p.kind !== 'bias') return;
        const n = nodes[p.layer][p.to];
        const t = el('text', { x: n.x, y: n.y + r + 11, 'text-anchor': 'middle', 'font-size': 10, fill: '#555' }, labelLayer);
        biasLabels[index] = t;
      });
    }
    if (dy >= 14) {
      nodes[0].forEach((n, j) => {
        const t = el('text', { x: n.x - r - 6, y: n.y + 4, 'text-anchor': 'end' }, labelLayer);
        t.textContent = shorten(neuron(0, j), labelChars);
      });
      nodes[columns - 1].forEach((n, j) => {
        const t = el('text', { x: n.x + r + 6, y: n.y + 4, 'text-anchor': 'start' }, labelLayer);
        t.textContent = shorten(neuron(columns - 1, j), labelChars);
      });
    }
    drawLegend(height - LEGEND_H + 16, legend, WIDTH);
    if (!drawEdges) {
      const t = el('text', { x: WIDTH / 2, y: height - LEGEND_H - 4, 'text-anchor': 'middle', 'font-size': 12, fill: '#555' }, labelLayer);
      t.textContent = `${params.length} parameters: too many weights to draw; see the table.`;
    }

    layout = { sizes, params, nodes, shapes, biasLabels, highlightLayer, r, drawEdges };
  }

  /**
   * A new run: sizes and parameters as describe() gives them; imageShape
   * [rows, columns] when the inputs are an image's pixels (pictures), else null.
   */
  function startRun(sizes, parameters, { imageShape = null } = {}) {
    setArchitecture(sizes, parameters, imageShape);
    change = null;
    last = null;
  }

  new ResizeObserver(() => {
    const w = Math.max(300, Math.round(svgEl.parentElement.clientWidth || 720));
    if (!architecture || Math.abs(w - width) < 8) return;
    width = w;
    build(...architecture);
    if (last) redraw(last.theta, last.iteration, false);
  }).observe(svgEl.parentElement);

  function drawLegend(y, items, WIDTH) {
    const g = el('g', { 'font-size': 11, fill: '#222' }, svgEl);
    for (const item of items) {
      el('line', { x1: item.x, y1: y + item.row * 18, x2: item.x + 24, y2: y + item.row * 18, 'stroke-linecap': 'round', ...item.attrs }, g);
      el('text', { x: item.x + 30, y: y + item.row * 18 + 4 }, g).textContent = item.label;
    }
    const rows = items[items.length - 1].row + 1;
    el('text', { x: 10, y: y + rows * 18 + 8, fill: '#555' }, g).textContent =
      WIDTH >= 560
        ? 'Line width: |weight|. Neuron fill: its bias (blue +, vermillion −, dashed white: zero).'
        : 'Width: |weight|. Fill: bias (dashed: zero).';
  }

  // Legend entries flowed into rows that fit the width (about 6.5 px a character).
  function legendItems(WIDTH) {
    const items = [
      { label: 'positive weight', attrs: { stroke: COLOURS.blue, 'stroke-width': 3 } },
      { label: 'negative weight', attrs: { stroke: COLOURS.vermillion, 'stroke-width': 3 } },
      { label: 'zero (pruned)', attrs: { stroke: COLOURS.grey, 'stroke-width': 1, 'stroke-dasharray': '3 4' } },
      { label: 'entered at latest change', attrs: { stroke: COLOURS.orange, 'stroke-width': 7, 'stroke-opacity': 0.55 } },
      { label: 'left at latest change', attrs: { stroke: COLOURS.purple, 'stroke-width': 2.5, 'stroke-dasharray': '2 3' } },
    ];
    return flowLegend(items, 30 + 18, WIDTH);
  }

  function styleWeight(line, value, maxAbs) {
    if (value !== 0) {
      line.setAttribute('stroke', value > 0 ? COLOURS.blue : COLOURS.vermillion);
      line.setAttribute('stroke-width', (1 + 5 * (Math.abs(value) / maxAbs)).toFixed(2));
      line.setAttribute('stroke-opacity', '0.9');
      line.removeAttribute('stroke-dasharray');
    } else {
      line.setAttribute('stroke', COLOURS.grey);
      line.setAttribute('stroke-width', '1');
      line.setAttribute('stroke-opacity', '0.45');
      line.setAttribute('stroke-dasharray', '3 4');
    }
  }

  function styleBias(circle, value, maxAbs) {
    if (value !== 0) {
      circle.setAttribute('fill', value > 0 ? COLOURS.blue : COLOURS.vermillion);
      circle.setAttribute('fill-opacity', (0.2 + 0.7 * (Math.abs(value) / maxAbs)).toFixed(2));
      circle.removeAttribute('stroke-dasharray');
    } else {
      circle.setAttribute('fill', '#ffffff');
      circle.setAttribute('fill-opacity', '1');
      circle.setAttribute('stroke-dasharray', '2 2');
    }
  }

  function drawHighlights() {
    if (layout.images) return;
    const { highlightLayer, params, nodes, r } = layout;
    highlightLayer.replaceChildren();
    if (!change) return;
    const mark = (index, entered) => {
      const p = params[index];
      if (p.kind === 'weight') {
        if (!layout.drawEdges) return;
        const a = nodes[p.layer - 1][p.from];
        const b = nodes[p.layer][p.to];
        const attrs = entered
          ? { stroke: COLOURS.orange, 'stroke-width': 8, 'stroke-opacity': 0.55 }
          : { stroke: COLOURS.purple, 'stroke-width': 2.5, 'stroke-dasharray': '2 3', 'stroke-opacity': 0.9 };
        el('line', { x1: a.x + r, y1: a.y, x2: b.x - r, y2: b.y, ...attrs }, highlightLayer);
      } else {
        const n = nodes[p.layer][p.to];
        const attrs = entered
          ? { stroke: COLOURS.orange, 'stroke-width': 3.5 }
          : { stroke: COLOURS.purple, 'stroke-width': 2.5, 'stroke-dasharray': '2 2' };
        el('circle', { cx: n.x, cy: n.y, r: r + 4, ...attrs }, highlightLayer);
      }
    };
    change.entered.forEach((i) => mark(i, true));
    change.left.forEach((i) => mark(i, false));
  }

  function fillCaption(theta, iteration) {
    const nnz = theta.reduce((c, v) => c + (v !== 0 ? 1 : 0), 0);
    let text = `θ at iteration ${iteration}: ${nnz} of ${theta.length} parameters nonzero.`;
    if (layout.images) text += ` ${layout.images.describeUnits(theta)}`;
    if (change) {
      const names = (set) => [...set].map((i) => layout.params[i].name).join('; ') || 'none';
      const ago = iteration - change.iteration;
      const when = ago === 0 ? 'in this iteration' : `${ago} iteration${ago === 1 ? '' : 's'} ago`;
      text += ` Latest support change at iteration ${change.iteration} (${when}) — entered: ${names(change.entered)}; left: ${names(change.left)}.`;
    } else if (iteration > 0) {
      text += ' The support has not changed since the start.';
    }
    captionEl.textContent = text;
  }

  function fillParameterTable(theta) {
    const inSupport = new Set(last.support);
    fillTable(tableEl, {
      caption: 'Every entry of θ in the package’s layout: per layer, weights row by row, then biases.',
      columns: [
        { label: 'index', numeric: true },
        { label: 'parameter' },
        { label: 'value', numeric: true },
        { label: 'in support' },
        { label: 'latest change' },
      ],
      rows: layout.params.map((p, i) => [
        i,
        p.name,
        formatNumber(theta[i], 6),
        inSupport.has(i) ? 'yes' : 'no',
        change?.entered.has(i) ? 'entered' : change?.left.has(i) ? 'left' : '',
      ]),
    });
  }

  /**
   * Draws θ_k. latest: the latest support change as a trainer's state has it,
   * { changedAt, entered, left } (indices into θ; changedAt null before the
   * first change), or null. `final` also refreshes the table.
   */
  function update(theta, support, iteration, { latest = null, final = false } = {}) {
    if (!layout || theta.length !== layout.params.length) return;
    change =
      latest && latest.changedAt !== null
        ? { iteration: latest.changedAt, entered: new Set(latest.entered), left: new Set(latest.left) }
        : null;
    last = { theta, support, iteration };
    redraw(theta, iteration, final);
  }

  function redraw(theta, iteration, final) {
    if (layout.images) {
      layout.images.update(theta, change);
      fillCaption(theta, iteration);
      if (final) fillParameterTable(theta);
      return;
    }
    let maxWeight = 0;
    let maxBias = 0;
    layout.params.forEach((p, i) => {
      const a = Math.abs(theta[i]);
      if (p.kind === 'weight') maxWeight = Math.max(maxWeight, a);
      else maxBias = Math.max(maxBias, a);
    });
    layout.params.forEach((p, i) => {
      const shape = layout.shapes[i];
      if (!shape) return;
      if (p.kind === 'weight') styleWeight(shape, theta[i], maxWeight || 1);
      else {
        styleBias(shape, theta[i], maxBias || 1);
        const label = layout.biasLabels[i];
        if (label) label.textContent = theta[i] === 0 ? '' : `b ${formatNumber(theta[i], 2)}`;
      }
    });
    drawHighlights();
    fillCaption(theta, iteration);
    if (final) fillParameterTable(theta);
  }

  return {
    startRun,
    update,
    get svg() {
      return svgEl;
    },
  };
}
