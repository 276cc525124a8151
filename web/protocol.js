// The messages between the page and the model worker. Every message is a
// plain object with a `type`; both sides check the shape before acting and
// drop anything else, so a stray or malformed message can never reach the
// package or the DOM.

const isObject = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x) => Number.isSafeInteger(x);
const isNumber = (x) => typeof x === 'number';
const isString = (x) => typeof x === 'string';
const isStringArray = (x) => Array.isArray(x) && x.every(isString);
const isIntArray = (x) => Array.isArray(x) && x.every(isInt);
const isNumbers = (x) => x instanceof Float64Array || (Array.isArray(x) && x.every(isNumber));
const isInts = (x) => x instanceof Int32Array || isIntArray(x);
const isNullableNumber = (x) => x === null || isNumber(x);

// The type check of one package option, from its entry in the option table
// (iht.options()); the package checks the value's range itself.
function optionCheck(spec) {
  switch (spec.type) {
    case 'integer':
      return isInt;
    case 'number':
      return (x) => isNumber(x) || (spec.choices ?? []).includes(x);
    case 'choice':
      return (x) => spec.choices.includes(x);
    case 'boolean':
      return (x) => typeof x === 'boolean';
    case 'integer-list':
      return (x) => isString(x) || isIntArray(x);
    default:
      return isString;
  }
}

const checksOf = new WeakMap();
// The checks of every option but `data`: the worker supplies the data set it holds.
function optionChecks(optionTable) {
  if (!checksOf.has(optionTable)) {
    checksOf.set(optionTable, new Map(optionTable.filter((o) => o.name !== 'data').map((o) => [o.name, optionCheck(o)])));
  }
  return checksOf.get(optionTable);
}

/** Options sent to the worker: only options of the table, each of the right type. */
export function isRunOptions(x, optionTable) {
  const checks = optionChecks(optionTable);
  return isObject(x) && Object.entries(x).every(([k, v]) => checks.has(k) && checks.get(k)(v));
}

const isNonNegativeInt = (x) => isInt(x) && x >= 0;

// IRIS or the digits (built in; the worker imports the digits' data module);
// CSV text the page has read (small files, and a file kept for this tab); or a
// File the worker reads itself, reporting its progress (large files).
const isDataSource = (x) =>
  x === 'iris' ||
  x === 'digits' ||
  (isObject(x) &&
    isString(x.name) &&
    Object.keys(x).length === 2 &&
    (isString(x.csv) || (typeof Blob === 'function' && x.file instanceof Blob)));

// A sweep's stop flag: one Int32 in memory the page shares with the worker
// (only where the page is cross-origin isolated); the page sets it to 1 and
// the worker's onProgress, which runs inside the package's sweep call, reads it.
const isStopFlag = (x) =>
  typeof SharedArrayBuffer === 'function' && x instanceof Int32Array && x.buffer instanceof SharedArrayBuffer && x.length === 1;

const TO_WORKER = {
  'load-data': (m) => isDataSource(m.source),
  describe: (m, table) => isRunOptions(m.options, table),
  train: (m, table) => isRunOptions(m.options, table),
  // detail: also send the trainer's lastStep() (the two halves of the latest step).
  advance: (m) =>
    isInt(m.k) && m.k >= 0 && isNumber(m.budgetMs) && m.budgetMs > 0 && (m.detail === undefined || typeof m.detail === 'boolean'),
  stop: () => true,
  // A paused run's state and latest step, without advancing it.
  inspect: () => true,
  // The bracket lower ≤ L₂ₛ ≤ upper for the step view of a paused run; cancels nothing.
  bracket: (m, table) => isRunOptions(m.options, table),
  sweep: (m, table) => isRunOptions(m.options, table) && (m.stop === undefined || isStopFlag(m.stop)),
  'estimate-l2s': (m, table) => isRunOptions(m.options, table),
  // What the package holds in wasm memory (leak checks; see README).
  memory: () => true,
};

/** A message to the worker, its options checked against the package's option table. */
export function isToWorker(m, optionTable) {
  return isObject(m) && Object.hasOwn(TO_WORKER, m.type) && isInt(m.id) && TO_WORKER[m.type](m, optionTable);
}

const isHistory = (h) =>
  isObject(h) &&
  isInt(h.from) &&
  ['loss', 'trainAccuracy', 'testAccuracy'].every((k) => isNumbers(h[k])) &&
  ['nnz', 'entered', 'left'].every((k) => isInts(h[k]));

const isTrainerState = (s) =>
  isObject(s) &&
  isInt(s.iteration) &&
  isNumber(s.loss) &&
  isInt(s.nnz) &&
  isString(s.status) &&
  typeof s.done === 'boolean' &&
  isNumber(s.stepSize) &&
  // The rule that ran (never 'auto') and whether its steps are certified so far.
  isString(s.stepRule) &&
  typeof s.stepCertified === 'boolean' &&
  isNullableNumber(s.l2s) &&
  isNumbers(s.theta) &&
  isInts(s.support) &&
  // The latest support change: empty lists and null before the first one.
  isInts(s.entered) &&
  isInts(s.left) &&
  (s.changedAt === null || isInt(s.changedAt));

// reason: the package's one sentence on why, shown as text.
const isHtStable = (h) =>
  isObject(h) && typeof h.stable === 'boolean' && isNumber(h.margin) && isNumber(h.supportGradInf) && isString(h.reason);

export const isTrainResult = (r) =>
  isObject(r) &&
  isInt(r.n) &&
  isIntArray(r.sizes) &&
  isStringArray(r.features) &&
  isStringArray(r.classes) &&
  isNumbers(r.theta) &&
  isInts(r.support) &&
  isNumber(r.trainLoss) &&
  isNullableNumber(r.testLoss) &&
  isString(r.status) &&
  isNumber(r.stepSize) &&
  isString(r.stepRule) &&
  typeof r.stepCertified === 'boolean' &&
  // A final result's history carries the adaptive rules' steps (empty for the others); a snapshot has none.
  (r.history === undefined || (isObject(r.history) && isNumbers(r.history.step))) &&
  isHtStable(r.htStable) &&
  Array.isArray(r.confusion) &&
  r.confusion.every(isIntArray);

// describe()'s parameters for a network of these layer sizes: one per entry
// of θ, in order, each joining units that exist (the drawing indexes its
// neurons with fromUnit and toUnit).
const isUnit = (sizes, layer, unit) => isInt(unit) && unit >= 0 && unit < sizes[layer];
const isParameter = (sizes) => (p, index) =>
  isObject(p) &&
  p.index === index &&
  isInt(p.layer) &&
  p.layer >= 1 &&
  p.layer < sizes.length &&
  isString(p.to) &&
  isString(p.label) &&
  isUnit(sizes, p.layer, p.toUnit) &&
  ((p.kind === 'weight' && isString(p.from) && isUnit(sizes, p.layer - 1, p.fromUnit)) ||
    (p.kind === 'bias' && p.from === null && p.fromUnit === null));
export const isParameters = (x, n, sizes) => Array.isArray(x) && x.length === n && x.every(isParameter(sizes));

// The bracket lower ≤ L₂ₛ ≤ upper travels with the estimate: the page judges the step on it.
export const isL2s = (r) =>
  isObject(r) &&
  isNumbers(r.ratios) &&
  isNumber(r.max) &&
  isObject(r.quantiles) &&
  isInt(r.samples) &&
  isNumber(r.lower) &&
  isNullableNumber(r.upper) &&
  isString(r.upperMethod);

// A run the sweep reports beside its best one: the cold start and each baseline.
const isRunSummary = (r) =>
  isObject(r) &&
  isNumber(r.trainLoss) &&
  isNullableNumber(r.testLoss) &&
  isNumber(r.trainAccuracy) &&
  isNullableNumber(r.testAccuracy) &&
  isInt(r.nnz) &&
  isInts(r.support) &&
  isString(r.status);

// A point of the path: the best of its starts (start says which), the cold
// start, the baselines (null when off or not reached before a stop) and the
// global optimum over every support (null without `exact`).
const isSweepPoint = (p) =>
  isObject(p) &&
  isInt(p.s) &&
  ['cold', 'up', 'down'].includes(p.start) &&
  isNumber(p.trainLoss) &&
  isNullableNumber(p.testLoss) &&
  isHtStable(p.htStable) &&
  isRunSummary(p.cold) &&
  (p.baselines === null || (isObject(p.baselines) && isRunSummary(p.baselines.magnitude) && isRunSummary(p.baselines.l1))) &&
  (p.exact === null || (isObject(p.exact) && isNumber(p.exact.objective) && isNumber(p.exact.trainLoss) && isInts(p.exact.support))) &&
  isNullableNumber(p.exactGap);

// Cross-validation: one entry per s of its grid in every array.
const isCv = (cv) => {
  if (!isObject(cv) || !isInt(cv.folds) || !isInts(cv.s) || !isInt(cv.minS) || !isInt(cv.chosenS)) return false;
  const k = cv.s.length;
  const perS = (x) => isNumbers(x) && x.length === k;
  return (
    ['meanLoss', 'stdErrLoss', 'meanAccuracy', 'stdErrAccuracy'].every((key) => perS(cv[key])) &&
    isObject(cv.criterion) &&
    isString(cv.criterion.name) &&
    perS(cv.criterion.values) &&
    (cv.criterion.chosenS === null || isInt(cv.criterion.chosenS))
  );
};

export const isSweep = (r) =>
  isObject(r) &&
  isTrainResult(r.dense) &&
  Array.isArray(r.points) &&
  r.points.every(isSweepPoint) &&
  isInts(r.grid) &&
  (r.cv === null || isCv(r.cv)) &&
  // Per grid point, one share per parameter; empty without cross-validation.
  Array.isArray(r.supportFrequency) &&
  r.supportFrequency.every((f) => isNumbers(f) && f.length === r.dense.n) &&
  (r.exactNote === null || isString(r.exactNote)) &&
  typeof r.complete === 'boolean';

// lastStep(): θ_{k−1} (before), v = θ_{k−1} − γ∇f(θ_{k−1}) (gradientStep) and
// θ_k = H_s(v) (after), all of one length, the s-th largest |v| and the support
// changes; null before the first step.
const isIndexList = (x, n) => isInts(x) && Array.prototype.every.call(x, (i) => i >= 0 && i < n);
export const isStepDetail = (d) =>
  isObject(d) &&
  isInt(d.iteration) &&
  d.iteration >= 1 &&
  isNumber(d.step) &&
  typeof d.certified === 'boolean' &&
  isNumbers(d.before) &&
  isNumbers(d.gradientStep) &&
  isNumbers(d.after) &&
  d.gradientStep.length === d.before.length &&
  d.after.length === d.before.length &&
  isNumber(d.threshold) &&
  ['kept', 'entered', 'left'].every((k) => isIndexList(d[k], d.before.length));

// trainer.predictions(): a few samples of the test split (their features in
// the data set's units, row-major), their classes and θ's predictions.
export const isSamples = (x) =>
  isObject(x) &&
  (x.on === 'test' || x.on === 'train') &&
  isInt(x.numFeatures) &&
  x.numFeatures > 0 &&
  isNumbers(x.x) &&
  isInts(x.y) &&
  isInts(x.predicted) &&
  x.predicted.length === x.y.length &&
  x.x.length === x.y.length * x.numFeatures;

// A data set's picture and defaults: imageShape [rows, columns] when its
// features are the pixels of an image (null otherwise); the hidden layers and
// s a run takes when the options give none (describe() of the data alone).
const isImageShape = (x) => x === null || (isIntArray(x) && x.length === 2 && x.every((v) => v > 0));
const isDataDefaults = (x) => isObject(x) && isIntArray(x.hidden) && isInt(x.s) && x.s >= 1;

const FROM_WORKER = {
  holding: () => true,
  ready: (m) => isString(m.version),
  fatal: (m) => isString(m.message),
  'data-loaded': (m) =>
    isInt(m.id) &&
    isObject(m.info) &&
    isString(m.info.name) &&
    isStringArray(m.info.features) &&
    isStringArray(m.info.classes) &&
    isInt(m.info.numSamples) &&
    isIntArray(m.info.classCounts) &&
    isImageShape(m.info.imageShape) &&
    (m.info.imageShape === null || m.info.imageShape[0] * m.info.imageShape[1] === m.info.features.length) &&
    isDataDefaults(m.info.defaults),
  described: (m) => isInt(m.id) && isInt(m.n) && isIntArray(m.sizes) && isParameters(m.parameters, m.n, m.sizes),
  'train-started': (m) =>
    isInt(m.id) &&
    isInt(m.n) &&
    isIntArray(m.sizes) &&
    isParameters(m.parameters, m.n, m.sizes) &&
    isNumber(m.stepSize) &&
    isNullableNumber(m.l2s) &&
    (m.estimate === null || isL2s(m.estimate)) &&
    isTrainerState(m.state),
  progress: (m) =>
    isInt(m.id) &&
    isTrainerState(m.state) &&
    isHistory(m.history) &&
    (m.result === undefined || isTrainResult(m.result)) &&
    (m.snapshot === undefined || isTrainResult(m.snapshot)) &&
    (m.step === undefined || m.step === null || (isStepDetail(m.step) && m.step.before.length === m.state.theta.length)) &&
    (m.samples === undefined || isSamples(m.samples)),
  'sweep-progress': (m) => isInt(m.id) && isInt(m.done) && isInt(m.total),
  // parameters: describe()'s labels of θ, for the stability heat map.
  'sweep-result': (m) => isInt(m.id) && isSweep(m.result) && isParameters(m.parameters, m.result.dense.n, m.result.dense.sizes),
  'l2s-result': (m) => isInt(m.id) && isL2s(m.result),
  'bracket-result': (m) => isInt(m.id) && isL2s(m.result),
  'data-progress': (m) =>
    isInt(m.id) && (m.phase === 'read' || m.phase === 'parse') && isNonNegativeInt(m.done) && isNonNegativeInt(m.total) && m.done <= m.total,
  // heapInUse: bytes held by live allocations in the package's wasm heap;
  // wasmMemory: the size of the WebAssembly memory (it only grows), null if unknown.
  'memory-report': (m) =>
    isInt(m.id) &&
    isNonNegativeInt(m.heapInUse) &&
    (m.wasmMemory === null || isNonNegativeInt(m.wasmMemory)) &&
    isNonNegativeInt(m.liveTrainers),
  // code, option, line and column: the package's SparseIhtError fields, or null.
  error: (m) =>
    isInt(m.id) &&
    isString(m.where) &&
    isString(m.message) &&
    (m.code === null || ['bad-option', 'unknown-option', 'bad-data', 'bad-state'].includes(m.code)) &&
    (m.option === null || isString(m.option)) &&
    (m.line === null || isInt(m.line)) &&
    (m.column === null || isInt(m.column)),
};

export function isFromWorker(m) {
  return isObject(m) && Object.hasOwn(FROM_WORKER, m.type) && FROM_WORKER[m.type](m);
}
