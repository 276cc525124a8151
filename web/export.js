// Downloads: CSV and JSON text, and PNG images of the charts (uPlot's canvases
// composed with a title and key; the SVG network rasterised through an <img>).
// Everything goes through blob URLs and <a download>; nothing leaves the page.

export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// A cell starting with = + - @ is a formula to a spreadsheet; user-supplied
// text (class names) is made inert unless it reads as a number ("-1").
function csvCell(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !(/^[+-]?[\d.]/.test(text) && Number.isFinite(Number(text)))) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvText(header, rows) {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

export function downloadCsv(filename, header, rows) {
  download(new Blob([csvText(header, rows)], { type: 'text/csv' }), filename);
}

export function downloadJson(filename, value) {
  const text = JSON.stringify(value, (key, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v), 2);
  download(new Blob([text + '\n'], { type: 'application/json' }), filename);
}

const canvasBlob = (canvas) =>
  new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The image could not be encoded.'))), 'image/png'),
  );

/**
 * One PNG of several uPlot charts stacked: a title, then per chart its key
 * (entries { label, stroke, dash }) and its canvas, on a white background.
 */
export async function chartsPng(title, charts) {
  const scale = window.devicePixelRatio || 1;
  const pad = 12 * scale;
  const titleH = 28 * scale;
  const keyH = 22 * scale;
  const width = Math.max(...charts.map((c) => c.canvas.width)) + 2 * pad;
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d');
  const keyFont = `${12 * scale}px system-ui, sans-serif`;
  // Key entries flow into as many lines as the width needs.
  ctx.font = keyFont;
  const layouts = charts.map((chart) => {
    let x = pad;
    let line = 0;
    const entries = chart.key.map((entry) => {
      const w = 27 * scale + ctx.measureText(entry.label).width;
      if (x > pad && x + w > width - pad) {
        x = pad;
        line += 1;
      }
      const placed = { entry, x, line };
      x += w + 16 * scale;
      return placed;
    });
    return { entries, lines: chart.key.length ? line + 1 : 0 };
  });
  const height = titleH + charts.reduce((h, c, i) => h + layouts[i].lines * keyH + c.canvas.height, 0) + 2 * pad;
  out.width = width;
  out.height = height;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#111';
  ctx.font = `600 ${15 * scale}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, pad, pad + titleH / 2);
  let y = pad + titleH;
  charts.forEach((chart, i) => {
    ctx.font = keyFont;
    for (const { entry, x, line } of layouts[i].entries) {
      const mid = y + line * keyH + keyH / 2;
      ctx.strokeStyle = entry.stroke;
      ctx.lineWidth = 2.5 * scale;
      ctx.setLineDash((entry.dash ?? []).map((d) => d * scale));
      ctx.beginPath();
      ctx.moveTo(x, mid);
      ctx.lineTo(x + 22 * scale, mid);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = '#222';
      ctx.fillText(entry.label, x + 27 * scale, mid);
    }
    y += layouts[i].lines * keyH;
    ctx.drawImage(chart.canvas, pad, y);
    y += chart.canvas.height;
  });
  return canvasBlob(out);
}

/** A PNG of an SVG element, drawn through an <img> of a blob URL (allowed by img-src blob:). */
export async function svgPng(svg, scale = 2) {
  const box = svg.viewBox.baseVal;
  const clone = svg.cloneNode(true);
  clone.setAttribute('width', String(box.width));
  clone.setAttribute('height', String(box.height));
  const text = new XMLSerializer().serializeToString(clone);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(box.width * scale);
    canvas.height = Math.round(box.height * scale);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await canvasBlob(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}
