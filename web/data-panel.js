// The data set panel: reading a CSV the user picks or drops, keeping it for
// this tab (sessionStorage: a file cannot go into a link), showing the
// progress of a large file, and describing the loaded data set. Column and
// class names, and file names, are user data: textContent only.
import { formatInt } from './format.js';

const STORAGE_KEY = 'sparse-iht:csv';
const MB = 1_000_000;
// Up to this size the page reads the text itself and keeps it for the tab
// (sessionStorage holds about 5 million characters).
export const KEEP_BYTES = 4 * MB;
// Larger files go to the model worker as a File: it streams them into the
// package's CSV reader piece by piece, reporting progress, so only the parsed
// numbers are ever held (in WebAssembly). The limit keeps those and a run's
// copy of them well inside what a school laptop's tab may use; the command
// line has no such limit.
export const MAX_BYTES = 200 * MB;

/** 52,428,800 → '52.4 MB'; whole megabytes from 10 MB up. */
export function formatMegabytes(bytes) {
  const mb = bytes / MB;
  return `${mb >= 10 ? formatInt(Math.round(mb)) : mb.toFixed(1)} MB`;
}

export function storedCsv() {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    if (value && typeof value.csv === 'string' && typeof value.name === 'string') return { csv: value.csv, name: value.name };
  } catch {
    // Storage may be disabled (private mode, sandboxed iframe): the CSV then lives only in memory.
  }
  return null;
}

/** Keeps CSV text for this tab; a file read by the worker ({ file, name }) is not kept, and replaces what was. */
export function storeCsv(source) {
  try {
    if (typeof source.csv === 'string') sessionStorage.setItem(STORAGE_KEY, JSON.stringify(source));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // As above: not kept across reloads, which the notice under the file input says.
  }
}

/**
 * The progress of a file the worker reads: a bar with the bytes read, then an
 * indeterminate bar with the seconds spent parsing.
 */
export function createDataProgress({ box, bar, text }) {
  let timer = null;
  let parseStart = 0;

  function stopTimer() {
    if (timer !== null) clearInterval(timer);
    timer = null;
  }

  return {
    show(name, phase, done, total) {
      box.hidden = false;
      if (phase === 'read') {
        stopTimer();
        bar.max = total;
        bar.value = done;
        text.textContent = `Reading ${name}: ${formatMegabytes(done)} of ${formatMegabytes(total)}…`;
        return;
      }
      if (timer !== null) return;
      bar.removeAttribute('value');
      parseStart = performance.now();
      const say = () => {
        const seconds = Math.floor((performance.now() - parseStart) / 1000);
        text.textContent = `Parsing ${name} (${formatMegabytes(total)}) in the model worker…${seconds ? ` ${seconds} s` : ''}`;
      };
      say();
      timer = setInterval(say, 1000);
    },
    clear() {
      stopTimer();
      box.hidden = true;
      text.textContent = '';
    },
  };
}

/**
 * Calls onFile({ csv, name }) for a chosen or dropped file up to KEEP_BYTES,
 * onFile({ file, name }) for a larger one (the worker reads it), and
 * onError(message) for one that is too large or unreadable.
 */
const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');

/**
 * Wires a file input and a drop zone to read(file), with the first file chosen
 * or dropped; the zone is marked while a file is over it. The CSV panel and
 * the saved-run input share it.
 */
export function watchFiles(input, dropZone, read) {
  input.addEventListener('change', () => {
    read(input.files?.[0]);
    // Choosing the same file again must load it again.
    input.value = '';
  });
  dropZone.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dropZone.classList.add('dragging');
  });
  dropZone.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropZone.classList.remove('dragging');
    read(event.dataTransfer?.files?.[0]);
  });
}

export function watchCsvInput({ input, dropZone, onFile, onError }) {
  async function read(file) {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      onError(
        `${file.name} is ${formatMegabytes(file.size)}; the page accepts CSV files up to ${formatMegabytes(MAX_BYTES)}. ` +
          'For larger data use the command line: npx sparse-iht train --data FILE.csv',
      );
      return;
    }
    if (file.size > KEEP_BYTES) {
      onFile({ file, name: file.name });
      return;
    }
    try {
      onFile({ csv: await file.text(), name: file.name });
    } catch (err) {
      onError(`${file.name} could not be read: ${err.message}`);
    }
  }

  watchFiles(input, dropZone, read);
  // A file dropped anywhere else would replace the page with the file.
  for (const type of ['dragover', 'drop']) {
    window.addEventListener(type, (event) => {
      if (hasFiles(event) && !dropZone.contains(event.target)) event.preventDefault();
    });
  }
}

/** Fills the panel with the data set's size, feature columns and classes; note: a line below. */
export function showDataInfo(container, info, note = '') {
  container.replaceChildren();
  const dl = document.createElement('dl');
  const add = (term, text) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = text;
    dl.append(dt, dd);
  };
  add('data', info.name);
  add('rows', formatInt(info.numSamples));
  if (info.imageShape) {
    const [rows, cols] = info.imageShape;
    add(`features (${info.features.length})`, `the pixels of ${rows} × ${cols} images, row by row: ${info.features[0]} … ${info.features.at(-1)}`);
  } else {
    add(`features (${info.features.length})`, info.features.join(', '));
  }
  add(`classes (${info.classes.length})`, info.classes.map((c, i) => `${c} (${info.classCounts[i]})`).join(', '));
  if (info.defaults?.hidden.length) {
    const sizes = [info.features.length, ...info.defaults.hidden, info.classes.length];
    add('its network', `${sizes.join(' → ')} with s = ${formatInt(info.defaults.s)} (the package's default for this data set)`);
  }
  container.append(dl);
  if (note) {
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = note;
    container.append(p);
  }
}
