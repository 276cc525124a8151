// The data set panel: reading a CSV the user picks or drops, keeping it for
// this tab (sessionStorage: a file cannot go into a link), and describing the
// loaded data set. Column and class names are user data: textContent only.
import { formatInt } from './format.js';

const STORAGE_KEY = 'sparse-iht:csv';
// Large files would make the worker's copy and sessionStorage slow; the demo
// is for small teaching data sets.
const MAX_BYTES = 5_000_000;

export function storedCsv() {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    if (value && typeof value.csv === 'string' && typeof value.name === 'string') return { csv: value.csv, name: value.name };
  } catch {
    // Storage may be disabled (private mode, sandboxed iframe): the CSV then lives only in memory.
  }
  return null;
}

export function storeCsv(source) {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(source));
  } catch {
    // As above: not kept across reloads, which the notice under the file input says.
  }
}

/** Calls onFile({ csv, name }) for a chosen or dropped file, onError(message) for an unreadable one. */
export function watchCsvInput({ input, dropZone, onFile, onError }) {
  async function read(file) {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      onError(`${file.name} is ${formatInt(file.size)} bytes; this page takes CSV files up to ${formatInt(MAX_BYTES)} bytes.`);
      return;
    }
    try {
      onFile({ csv: await file.text(), name: file.name });
    } catch (err) {
      onError(`${file.name} could not be read: ${err.message}`);
    }
  }

  input.addEventListener('change', () => {
    read(input.files?.[0]);
    // Choosing the same file again must load it again.
    input.value = '';
  });

  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
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
  // A file dropped anywhere else would replace the page with the file.
  for (const type of ['dragover', 'drop']) {
    window.addEventListener(type, (event) => {
      if (hasFiles(event) && !dropZone.contains(event.target)) event.preventDefault();
    });
  }
}

/** Fills the panel with the data set's size, feature columns and classes. */
export function showDataInfo(container, info) {
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
  add(`features (${info.features.length})`, info.features.join(', '));
  add(`classes (${info.classes.length})`, info.classes.map((c, i) => `${c} (${info.classCounts[i]})`).join(', '));
  container.append(dl);
}
