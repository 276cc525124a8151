// The model worker: every number the page shows is computed here by the
// sparse-iht package. The page pulls training progress one animation frame at
// a time ('advance'), so the worker never floods it and a 'stop' between two
// frames is seen at once. The package describes the θ layout and the latest
// support change; nothing about the model is recomputed here. Sweeps and
// Monte Carlo estimates run to the end in one call; the page cancels those by
// terminating the worker, except that a sweep given a stop flag (memory shared
// with the page) ends after its current training once the page sets the flag,
// and returns the path so far (complete: false). A CSV becomes a Dataset handle in WebAssembly; a
// large one arrives as a File, streamed here into the package's reader with
// progress reports.
import load from './lib/index.mjs';
import { OPTIONS } from './lib/options.mjs';
import { isToWorker } from './protocol.js';

let iht = null;
let dataset = 'iris';
// [rows, columns] when the data set's features are an image's pixels: runs
// then also send a few test samples and θ's predictions for the sample strip.
let imageShape = null;
let run = null; // { id, trainer, sent, snapshotAt, chunk }

// A partial result (no history) is sent this often while training, so the
// confusion matrix and HT-stability verdict follow the run.
const SNAPSHOT_MS = 250;

const post = (message) => self.postMessage(message);

// The worker runs under the page's Content-Security-Policy (the header sent
// with worker.js). Chromium reports a violation here only as a DevTools
// issue; the console line makes it visible, and the browser tests fail on it.
self.addEventListener('securitypolicyviolation', (event) => {
  console.error(`Content-Security-Policy violation in the model worker: ${event.effectiveDirective} blocked ${event.blockedURI || 'inline code'}`);
});
const messageOf = (err) => (err instanceof Error ? err.message : String(err));

// The page names this worker after a Web Lock, which it holds for its whole
// life: the page asks for the same lock and gets it only once the worker has
// ended, however it ended (even by self.close(), which fires no event).
// 'holding' tells the page it may start waiting for the lock: from then on
// even a worker that ends while loading the package is noticed.
async function holdLifeLock() {
  if (!self.name || !self.navigator?.locks) return;
  try {
    await new Promise((resolve, reject) => {
      navigator.locks
        .request(self.name, () => {
          resolve();
          return new Promise(() => {});
        })
        .catch(reject);
    });
    post({ type: 'holding' });
  } catch {
    // Without the lock the page only notices 'error' events; nothing else changes.
  }
}

// Loads the package with WebAssembly.instantiate wrapped for the duration, to
// note the module's WebAssembly.Memory, which the package keeps to itself,
// only to report its size ('memory' message).
let wasmMemory = null;

async function loadPackage() {
  // The package compiles its .wasm while it downloads (instantiateStreaming),
  // or from its bytes (instantiate) where streaming fails: wrap both.
  const { instantiate, instantiateStreaming } = WebAssembly;
  const note = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result?.instance;
    wasmMemory ??= Object.values(instance?.exports ?? {}).find((e) => e instanceof WebAssembly.Memory) ?? null;
    return result;
  };
  WebAssembly.instantiate = async function noteMemory(...args) {
    return note(await instantiate.apply(this, args));
  };
  if (instantiateStreaming) {
    WebAssembly.instantiateStreaming = async function noteMemoryStreaming(...args) {
      return note(await instantiateStreaming.apply(this, args));
    };
  }
  try {
    return await load();
  } finally {
    WebAssembly.instantiate = instantiate;
    if (instantiateStreaming) WebAssembly.instantiateStreaming = instantiateStreaming;
  }
}

const ready = holdLifeLock().then(loadPackage).then(
  (module) => {
    iht = module;
    post({ type: 'ready', version: String(module.version) });
  },
  (err) => post({ type: 'fatal', message: `The model could not be loaded: ${messageOf(err)}` }),
);

const withData = (options) => ({ ...options, data: dataset });

// The options of a sweep that a training takes too (the option table says which).
const TRAINING = new Set(OPTIONS.filter((o) => o.commands.includes('train')).map((o) => o.name));
const trainingOptions = (options) => Object.fromEntries(Object.entries(options).filter(([key]) => TRAINING.has(key)));

function freeRun() {
  if (run) {
    run.trainer.free();
    run = null;
  }
}

function withoutHistory(result) {
  const { history, ...rest } = result;
  return rest;
}

// What the page shows of a data set: a Dataset handle counts its classes; the
// built-in IRIS comes as arrays. `defaults`: the hidden layers and s a run on
// it takes when the options give none, as the package describes them (the
// digits: 64 → 32 → 10, s = 241), so the page can offer them.
function describeData(name, data, handle) {
  let classCounts = data.classCounts;
  if (!classCounts) {
    classCounts = new Array(data.classes.length).fill(0);
    for (const label of data.y) classCounts[label] += 1;
  }
  const described = iht.describe({ data: handle });
  return {
    name,
    features: [...data.features],
    classes: [...data.classes],
    numSamples: data.numSamples,
    numFeatures: data.numFeatures,
    classCounts,
    imageShape: described.imageShape,
    defaults: { hidden: described.sizes.slice(1, -1), s: described.defaultS },
  };
}

// The sample strip's images: how many test samples a run shows.
const SAMPLES = 16;

// detail: add the package's lastStep() (always for the run's last message, so
// the step view shows a finished run's final step).
function progressMessage(id, detail = false) {
  const { trainer } = run;
  const state = trainer.state();
  const history = trainer.history(run.sent);
  const message = { type: 'progress', id, state, history: { ...history, from: run.sent } };
  run.sent += history.loss.length;
  if (detail || state.done) message.step = trainer.lastStep();
  const now = performance.now();
  if (state.done) {
    if (imageShape) message.samples = trainer.predictions(SAMPLES);
    message.result = trainer.result();
    freeRun();
  } else if (now - run.snapshotAt >= SNAPSHOT_MS) {
    message.snapshot = withoutHistory(trainer.result());
    if (imageShape) message.samples = trainer.predictions(SAMPLES);
    run.snapshotAt = now;
  }
  return message;
}

// k iterations, or with k = 0 as many as fit in about budgetMs: chunks that
// double while they take a small part of what is left of the budget, then
// one sized to fill the rest. The size reached carries over to the next frame.
function advance(k, budgetMs) {
  const { trainer } = run;
  if (k > 0) {
    trainer.advance(k);
    return;
  }
  const start = performance.now();
  let chunk = run.chunk;
  for (;;) {
    const before = performance.now();
    if (trainer.advance(chunk) !== 'running') break;
    const now = performance.now();
    const remaining = budgetMs - (now - start);
    if (remaining <= 0) break;
    const spent = now - before;
    chunk = spent * 4 < remaining ? chunk * 2 : Math.max(1, Math.floor((chunk * remaining) / spent));
  }
  run.chunk = chunk;
}

// Streams a file into the package's data reader piece by piece, reporting
// progress about every 50 ms (the page shows a progress bar): the file is
// never whole in memory, only the data set it becomes (in WebAssembly).
const PROGRESS_MS = 50;

async function readFile(id, file, name) {
  const total = file.size;
  // Without the file's size, the reader keeps the values in blocks and
  // assembles the matrix at the end; a run then puts its standardised copy
  // where the freed blocks were, instead of growing WebAssembly's memory.
  const reader = iht.createDataReader({ name });
  try {
    const stream = file.stream().getReader();
    let done = 0;
    let shown = -Infinity;
    for (;;) {
      const chunk = await stream.read();
      if (chunk.done) break;
      if (done + chunk.value.length > total) throw new Error('the file changed while it was being read');
      reader.feed(chunk.value);
      done += chunk.value.length;
      const now = performance.now();
      if (now - shown >= PROGRESS_MS) {
        post({ type: 'data-progress', id, phase: 'read', done, total });
        shown = now;
      }
    }
    if (done !== total) throw new Error('the file changed while it was being read');
    post({ type: 'data-progress', id, phase: 'parse', done: total, total });
    return reader.finish();
  } finally {
    reader.free();
  }
}

// The data set runs use: 'iris', or a Dataset handle in WebAssembly. A new one
// replaces it only once loaded, so a bad file keeps the previous one.
function useDataset(next, info) {
  const previous = dataset;
  dataset = next;
  imageShape = info.imageShape;
  if (previous !== 'iris' && previous !== next) previous.free();
}

const handlers = {
  async 'load-data'({ id, source }) {
    if (source === 'iris') {
      const info = describeData('IRIS (built in)', iht.iris(), 'iris');
      useDataset('iris', info);
      post({ type: 'data-loaded', id, info });
      return;
    }
    if (source === 'digits') {
      // The package's browser module leaves the digits out of its download:
      // their data module is fetched now, the first time a page asks for them.
      const { default: digits } = await import('./lib/digits.mjs');
      const loaded = iht.loadData(digits);
      const info = describeData('Handwritten digits (built in)', loaded, loaded);
      useDataset(loaded, info);
      post({ type: 'data-loaded', id, info });
      return;
    }
    const loaded = source.file ? await readFile(id, source.file, source.name) : iht.loadData(source.csv, { name: source.name });
    const info = describeData(source.name, loaded, loaded);
    useDataset(loaded, info);
    post({ type: 'data-loaded', id, info });
  },

  describe({ id, options }) {
    const { n, sizes, parameters } = iht.describe(withData(options));
    post({ type: 'described', id, n, sizes, parameters });
  },

  train({ id, options }) {
    freeRun();
    // describe() makes the trainer's first checks (the options, then the
    // data), so an error it throws is the one the trainer would throw.
    const { n, sizes, parameters } = iht.describe(withData(options));
    const trainer = iht.createTrainer(withData(options));
    run = { id, trainer, sent: 0, snapshotAt: 0, chunk: 1 };
    const state = trainer.state();
    post({
      type: 'train-started',
      id,
      n,
      sizes,
      parameters,
      stepSize: state.stepSize,
      l2s: state.l2s,
      estimate: trainer.l2sEstimate(),
      state,
    });
  },

  advance({ id, k, budgetMs, detail = false }) {
    if (!run || run.id !== id) throw new Error('This training run has already ended.');
    try {
      if (!run.trainer.state().done) advance(k, budgetMs);
      post(progressMessage(id, detail));
    } catch (err) {
      freeRun();
      throw err;
    }
  },

  stop({ id }) {
    if (!run || run.id !== id) throw new Error('This training run has already ended.');
    run.trainer.stop();
    post(progressMessage(id));
  },

  inspect({ id }) {
    if (!run || run.id !== id) throw new Error('This training run has already ended.');
    post(progressMessage(id, true));
  },

  bracket({ id, options }) {
    post({ type: 'bracket-result', id, result: iht.estimateL2s(withData(options)) });
  },

  sweep({ id, options, stop }) {
    freeRun();
    // The labels of θ for the stability heat map; describe() takes the training's options only.
    const { parameters } = iht.describe(withData(trainingOptions(options)));
    const result = iht.sweep(withData(options), (done, total) => {
      post({ type: 'sweep-progress', id, done, total });
      // false stops the sweep after this training.
      return !(stop && Atomics.load(stop, 0) !== 0);
    });
    post({ type: 'sweep-result', id, result, parameters });
  },

  'estimate-l2s'({ id, options }) {
    post({ type: 'l2s-result', id, result: iht.estimateL2s(withData(options)) });
  },

  memory({ id }) {
    post({
      type: 'memory-report',
      id,
      heapInUse: iht.heapInUse(),
      wasmMemory: wasmMemory ? wasmMemory.buffer.byteLength : null,
      liveTrainers: iht.liveTrainers,
    });
  },
};

const WHERE = {
  'load-data': 'data',
  describe: 'options',
  train: 'train',
  advance: 'train',
  stop: 'train',
  inspect: 'train',
  bracket: 'l2s',
  sweep: 'sweep',
  'estimate-l2s': 'l2s',
  memory: 'memory',
};

self.addEventListener('message', async (event) => {
  await ready;
  const message = event.data;
  if (!iht || !isToWorker(message, OPTIONS)) return;
  try {
    await handlers[message.type](message);
  } catch (err) {
    // What the error is about travels as the package's fields, never as text to parse.
    const about = (key) => (err?.name === 'SparseIhtError' && err[key] !== undefined ? err[key] : null);
    post({
      type: 'error',
      id: message.id,
      where: WHERE[message.type],
      message: messageOf(err),
      code: about('code'),
      option: about('option'),
      line: about('line'),
      column: about('column'),
    });
  }
});
