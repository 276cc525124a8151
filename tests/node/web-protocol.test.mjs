// The page ↔ worker messages (web/protocol.js): each side drops a message
// whose shape is wrong, so nothing malformed reaches the package or the DOM.
// Every message type is checked twice: the well-formed message is accepted,
// and each malformed variant of it, one field at a time, is refused. The
// messages are written out here, shaped like the package's output for the
// paper's IRIS network (4 → 3, n = 15), so this file needs no build; the
// browser tests cover the worker building them from the real package.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { OPTIONS as TABLE } from '../../dist/options.mjs';
import { isFromWorker, isRunOptions as isRunOptionsIn, isToWorker as isToWorkerIn } from '../../web/protocol.js';

// The worker checks options against the package's option table (lib/options.mjs).
const isRunOptions = (options) => isRunOptionsIn(options, TABLE);
const isToWorker = (message) => isToWorkerIn(message, TABLE);

const DROP = Symbol('drop');

/** A deep copy of `message` with the value at `path` (a.b.0.c) replaced, or dropped with DROP. */
function variant(message, path, value) {
  const copy = structuredClone(message);
  const keys = path.split('.');
  const last = keys.pop();
  let node = copy;
  for (const key of keys) node = node[key];
  if (value === DROP) delete node[last];
  else node[last] = value;
  return copy;
}

const show = (value) => (value === DROP ? 'missing' : typeof value === 'string' ? `'${value}'`
  : ArrayBuffer.isView(value) ? `${value.constructor.name}` : JSON.stringify(value) ?? String(value));

/** `check(good)` holds, and `check` refuses each [path, value] variant of it. */
function acceptsAndRefuses(check, good, variants, name = good.type) {
  assert.equal(check(good), true, `${name}: the well-formed message is accepted`);
  for (const [path, value] of variants) {
    assert.equal(check(variant(good, path, value)), false, `${name}: ${path} = ${show(value)} is refused`);
  }
}

// Everything the page sends as options (web/state.js runOptions), each key once.
const OPTIONS = {
  s: 5, hidden: '8,8', activation: 'relu', step: 'auto', stepFactor: 0.9, iters: 1000, ridge: 0.01, refine: false,
  stopWhenStable: true, seed: 1, samples: 1000, testFraction: 0.2, cv: 3, exact: true,
};
const BAD_OPTIONS = [
  ['s', 1.5], ['s', '5'], ['s', 2 ** 53],
  ['hidden', [8, 'x']], ['hidden', [8.5]], ['hidden', 8],
  ['data', 'iris'], ['standardize', 'on'], ['json', true],
  ['activation', 'swish'], ['activation', 'TANH'],
  ['step', 'fast'], ['step', '0.5'], ['step', null],
  ['step', 'Backtracking'], ['step', 'fixed'],
  ['stepFactor', '0.9'],
  ['ridge', '0.01'], ['ridge', null], ['ridge', true],
  ['refine', 1], ['refine', 'on'], ['refine', null],
  ['stopWhenStable', 0], ['stopWhenStable', '1'],
  ['iters', 1.5], ['iters', '1000'],
  ['seed', 2 ** 53], ['seed', -1.5],
  ['samples', null],
  ['testFraction', '0.2'],
  ['cv', '3'], ['cv', 2.5], ['cv', null], ['exact', 1], ['exact', 'on'],
  ['speed', 3], ['toString', 1],
];

describe('isRunOptions', () => {
  test('every known option with a value of its type is accepted', () => {
    assert.equal(isRunOptions(OPTIONS), true);
    assert.equal(isRunOptions({}), true);
    for (const activation of ['tanh', 'relu', 'sigmoid']) assert.equal(isRunOptions({ activation }), true, activation);
    // Every rule of the step control, and the flags both ways.
    for (const step of ['auto', 'bound', 'backtracking', 'normalized', 'estimate', 2]) {
      assert.equal(isRunOptions({ step }), true, String(step));
    }
    assert.equal(isRunOptions({ ridge: 0, refine: true, stopWhenStable: false }), true);
    assert.equal(isRunOptions({ step: 0.5, hidden: '', seed: 0, testFraction: 0 }), true);
    // Every package option but data (the worker holds the data set), by its type in the table.
    assert.equal(isRunOptions({ hidden: [8, 8], standardize: false, batchSize: 10, initScale: 0.5, firstPair: 2 }), true);
  });

  test('a value of the wrong type, an unknown key or a non-object is refused', () => {
    for (const [key, value] of BAD_OPTIONS) {
      assert.equal(isRunOptions({ ...OPTIONS, [key]: value }), false, `${key}: ${show(value)}`);
    }
    for (const options of [undefined, null, 'x', 5, [], [OPTIONS]]) {
      assert.equal(isRunOptions(options), false, show(options));
    }
  });
});

describe('to the worker', () => {
  const WITH_OPTIONS = ['describe', 'train', 'sweep', 'estimate-l2s', 'bracket'];

  test('each message type with its fields is accepted', () => {
    const good = [
      { type: 'load-data', id: 1, source: 'iris' },
      { type: 'load-data', id: 2, source: { name: 'small.csv', csv: 'a,b\n1,x\n' } },
      { type: 'load-data', id: 3, source: { name: 'large.csv', file: new Blob(['a,b\n1,x\n']) } },
      ...WITH_OPTIONS.map((type, i) => ({ type, id: 10 + i, options: OPTIONS })),
      ...WITH_OPTIONS.map((type, i) => ({ type, id: 20 + i, options: {} })),
      { type: 'advance', id: 4, k: 0, budgetMs: 16 },
      { type: 'advance', id: 5, k: 25, budgetMs: 0.001 },
      { type: 'stop', id: 6 },
      { type: 'memory', id: 0 },
      { type: 'advance', id: 7, k: 1, budgetMs: 16, detail: true },
      { type: 'advance', id: 8, k: 1, budgetMs: 16, detail: false },
      { type: 'inspect', id: 9 },
    ];
    for (const message of good) assert.equal(isToWorker(message), true, JSON.stringify(message));
  });

  test('a non-object, an unknown type or a missing or non-integer id is refused', () => {
    for (const message of [undefined, null, 'stop', 7, [], [{ type: 'stop', id: 1 }]]) {
      assert.equal(isToWorker(message), false, show(message));
    }
    for (const type of ['nope', 'toString', 'constructor', 'progress', undefined]) {
      assert.equal(isToWorker({ type, id: 1 }), false, `type ${show(type)}`);
    }
    for (const type of ['stop', 'memory', 'inspect']) {
      acceptsAndRefuses(isToWorker, { type, id: 1 },
        [['id', DROP], ['id', 1.5], ['id', '1'], ['id', NaN], ['id', 2 ** 53], ['id', null]]);
    }
  });

  test('load-data: IRIS, the digits, or a name with exactly one of CSV text or a Blob', () => {
    const message = (source) => ({ type: 'load-data', id: 1, source });
    for (const source of ['iris', 'digits']) assert.equal(isToWorker(message(source)), true, source);
    const blob = new Blob(['a,b\n']);
    const refused = [
      undefined, null, 'IRIS', 'Digits', 'mnist', ['iris'], {},
      { csv: 'a,b\n' },
      { name: 'a.csv' },
      { name: 1, csv: 'a,b\n' },
      { name: 'a.csv', csv: 5 },
      { name: 'a.csv', csv: 'a,b\n', extra: 1 },
      { name: 'a.csv', csv: 'a,b\n', file: blob },
      { name: 'a.csv', file: 'a,b\n' },
      { name: 'a.csv', file: {} },
      { name: 'a.csv', other: 'a,b\n' },
    ];
    for (const source of refused) assert.equal(isToWorker(message(source)), false, show(source));
    assert.equal(isToWorker({ type: 'load-data', id: 1 }), false, 'no source');
  });

  test('where the engine has no Blob, a file source is refused rather than thrown on', () => {
    const blob = Object.getOwnPropertyDescriptor(globalThis, 'Blob');
    delete globalThis.Blob;
    try {
      assert.equal(isToWorker({ type: 'load-data', id: 1, source: { name: 'large.csv', file: {} } }), false);
      assert.equal(isToWorker({ type: 'load-data', id: 1, source: { name: 'small.csv', csv: 'a,b\n' } }), true);
    } finally {
      Object.defineProperty(globalThis, 'Blob', blob);
    }
  });

  test('describe, train, sweep, estimate-l2s, bracket: options of the right shape only', () => {
    for (const type of WITH_OPTIONS) {
      const variants = [
        ['options', DROP], ['options', null], ['options', [OPTIONS]], ['options', '?s=5'], ['id', DROP],
        ...BAD_OPTIONS.map(([key, value]) => [`options.${key}`, value]),
      ];
      acceptsAndRefuses(isToWorker, { type, id: 1, options: OPTIONS }, variants);
    }
  });

  test("sweep: an optional stop flag, one Int32 in shared memory", () => {
    const shared = (Type, length) => new Type(new SharedArrayBuffer(Type.BYTES_PER_ELEMENT * length));
    const message = (stop) => ({ type: 'sweep', id: 1, options: { cv: 3 }, stop });
    assert.equal(isToWorker(message(shared(Int32Array, 1))), true, 'a shared Int32Array of one');
    assert.equal(isToWorker({ type: 'sweep', id: 1, options: {} }), true, 'no flag');
    for (const stop of [new Int32Array(1), shared(Int32Array, 2), shared(Float64Array, 1), shared(Uint32Array, 1), [0], 0, null, {}]) {
      assert.equal(isToWorker(message(stop)), false, show(stop));
    }
  });

  test('advance: k an integer ≥ 0 and budgetMs a number > 0', () => {
    acceptsAndRefuses(isToWorker, { type: 'advance', id: 1, k: 0, budgetMs: 16 }, [
      ['k', -1], ['k', 1.5], ['k', '1'], ['k', DROP],
      ['budgetMs', 0], ['budgetMs', -1], ['budgetMs', NaN], ['budgetMs', '16'], ['budgetMs', DROP],
      ['id', DROP], ['detail', 'yes'], ['detail', 1], ['detail', null],
    ]);
  });
});

describe('from the worker', () => {
  const FEATURES = ['sepal length', 'sepal width', 'petal length', 'petal width'];
  const CLASSES = ['setosa', 'versicolor', 'virginica'];
  const SIZES = [4, 3];
  const N = 15;
  const theta = () => Float64Array.from({ length: N }, (_, i) => (i % 4 === 0 ? 0.25 * (i + 1) : 0));
  const support = () => Int32Array.of(0, 4, 8, 12);
  // describe()'s list for 4 → 3: W1[to][from] row by row, then b1[to].
  const PARAMETERS = [
    ...Array.from({ length: 12 }, (_, i) => ({
      index: i, layer: 1, kind: 'weight', from: FEATURES[i % 4], to: CLASSES[Math.floor(i / 4)],
      label: `W1[${Math.floor(i / 4)}][${i % 4}]`, fromUnit: i % 4, toUnit: Math.floor(i / 4),
    })),
    ...CLASSES.map((to, unit) => ({
      index: 12 + unit, layer: 1, kind: 'bias', from: null, to, label: `b1[${unit}]`, fromUnit: null, toUnit: unit,
    })),
  ];
  const STATE = {
    iteration: 5, loss: 0.71, nnz: 4, status: 'running', done: false, stepSize: 1.65, stepRule: 'estimate',
    stepCertified: false, l2s: 0.545,
    theta: theta(), support: support(), entered: Int32Array.of(8), left: Int32Array.of(3), changedAt: 4,
  };
  const HISTORY = {
    from: 0, loss: Float64Array.of(1.1, 0.9, 0.8), trainAccuracy: Float64Array.of(0.3, 0.6, 0.7),
    testAccuracy: Float64Array.of(0.3, 0.5, 0.7), nnz: Int32Array.of(5, 5, 4), entered: Int32Array.of(0, 1, 0),
    left: Int32Array.of(0, 1, 1), thetaNorm: Float64Array.of(0.1, 0.8, 1.1), step: Float64Array.of(0, 1, 0.5),
  };
  const HT_STABLE = {
    stable: false, margin: 0.42, supportGradInf: 1.0e-3, supportSize: 5, tolerance: 1e-4,
    reason: "Not stable: class 'setosa' is separable with the kept weights.",
  };
  const RESULT = {
    s: 5, n: N, sizes: SIZES, activation: 'tanh', features: FEATURES, classes: CLASSES, theta: theta(),
    support: support(), trainLoss: 0.081, testLoss: 0.062, trainAccuracy: 0.95, testAccuracy: 0.9667, stepSize: 1.65,
    stepRule: 'estimate', stepCertified: false, l2s: 0.545, iterations: 1000, status: 'max_iterations', htStable: HT_STABLE,
    confusion: [[10, 0, 0], [0, 9, 1], [0, 0, 10]], confusionOn: 'test',
  };
  const L2S = {
    s: 5, n: N, samples: 3, seed: 1, scale: 1, ratios: Float64Array.of(0.31, 0.545, 0.4), max: 0.545,
    quantiles: { p50: 0.4, p90: 0.52 }, lower: 1.06, upper: 1.45, upperMethod: "Böhning's bound",
  };
  // A sweep's point: the best start's result, the cold start and both
  // baselines (RunSummary), and the global optimum where it was enumerated.
  const summary = (s, loss) => ({
    trainLoss: loss, objective: loss, testLoss: loss * 0.9, trainAccuracy: 0.9, testAccuracy: 0.85, nnz: s,
    support: Int32Array.from({ length: s }, (_, i) => i), iterations: 1000, status: 'max_iterations',
  });
  const point = (s) => ({
    ...RESULT, s, start: ['cold', 'up', 'down'][s % 3], trainLoss: 0.5 / s, objective: 0.5 / s, testLoss: 0.4 / s,
    htStable: HT_STABLE, gapToDense: 0.1, cold: summary(s, 0.6 / s),
    baselines: { magnitude: summary(s, 0.55 / s), l1: summary(s, 0.7 / s), l1Lambda: 0.07 },
    exact: { objective: 0.5 / s, trainLoss: 0.5 / s, support: [0, 1, 2, 3].slice(0, s) }, exactGap: 0, swap: null,
  });
  const GRID = [1, 2, 3, 4];
  const CV = {
    folds: 3, s: GRID, meanLoss: Float64Array.of(0.6, 0.3, 0.2, 0.25), stdErrLoss: Float64Array.of(0.03, 0.02, 0.02, 0.03),
    meanAccuracy: Float64Array.of(0.6, 0.8, 0.95, 0.93), stdErrAccuracy: Float64Array.of(0.03, 0.02, 0.01, 0.02),
    minS: 3, chosenS: 3, criterion: { name: 'EBIC', gamma: 0.5, values: Float64Array.of(130, 60, 45, 47), chosenS: 3 },
  };
  const FREQUENCY = GRID.map((s) => Float64Array.from({ length: N }, (_, j) => (j < s ? 1 : j === s ? 1 / 3 : 0)));

  const good = {
    holding: { type: 'holding' },
    ready: { type: 'ready', version: '0.1.0' },
    fatal: { type: 'fatal', message: 'The model could not be loaded: no WebAssembly' },
    dataLoaded: {
      type: 'data-loaded', id: 1,
      info: { name: 'IRIS (built in)', features: FEATURES, classes: CLASSES, numSamples: 150, numFeatures: 4,
        classCounts: [50, 50, 50], imageShape: null, defaults: { hidden: [], s: 5 } },
    },
    described: { type: 'described', id: 2, n: N, sizes: SIZES, parameters: PARAMETERS },
    trainStarted: {
      type: 'train-started', id: 3, n: N, sizes: SIZES, parameters: PARAMETERS, stepSize: 1.65, l2s: 0.545,
      estimate: L2S, state: STATE,
    },
    progress: { type: 'progress', id: 3, state: STATE, history: HISTORY, snapshot: RESULT },
    finished: {
      type: 'progress', id: 3, state: { ...STATE, iteration: 1000, status: 'max_iterations', done: true },
      history: { ...HISTORY, from: 998 }, result: { ...RESULT, history: HISTORY },
    },
    sweepProgress: { type: 'sweep-progress', id: 4, done: 3, total: 15 },
    sweepResult: {
      type: 'sweep-result', id: 4, parameters: PARAMETERS,
      result: {
        dense: RESULT, points: GRID.map(point), grid: GRID, cv: CV, supportFrequency: FREQUENCY, exactNote: null,
        complete: true,
      },
    },
    l2sResult: { type: 'l2s-result', id: 5, result: L2S },
    dataProgress: { type: 'data-progress', id: 6, phase: 'read', done: 10, total: 100 },
    memoryReport: { type: 'memory-report', id: 7, heapInUse: 148, wasmMemory: 16 * 2 ** 20, liveTrainers: 0 },
    error: {
      type: 'error', id: 8, where: 'train', message: 's (--s): expected an integer', code: 'bad-option', option: 's', line: null, column: null,
    },
  };

  test('a non-object or an unknown type is refused', () => {
    for (const message of [undefined, null, 'ready', [], [good.holding]]) {
      assert.equal(isFromWorker(message), false, show(message));
    }
    for (const type of ['nope', 'toString', 'constructor', 'train', undefined]) {
      assert.equal(isFromWorker({ type, id: 1, version: '1', message: 'x' }), false, `type ${show(type)}`);
    }
  });

  test('holding, ready, fatal', () => {
    assert.equal(isFromWorker(good.holding), true);
    acceptsAndRefuses(isFromWorker, good.ready, [['version', DROP], ['version', 1]]);
    acceptsAndRefuses(isFromWorker, good.fatal, [['message', DROP], ['message', null]]);
  });

  test('data-loaded', () => {
    acceptsAndRefuses(isFromWorker, good.dataLoaded, [
      ['id', DROP], ['id', 1.5], ['info', DROP], ['info', null], ['info', [1]],
      ['info.name', 1], ['info.name', DROP],
      ['info.features', ['a', 1]], ['info.features', 'a'], ['info.features', DROP],
      ['info.classes', [1]], ['info.classes', 'setosa'],
      ['info.numSamples', 1.5], ['info.numSamples', '150'],
      ['info.classCounts', [50, 49.5, 50]], ['info.classCounts', 'x'], ['info.classCounts', DROP],
      ['info.imageShape', DROP], ['info.imageShape', [2]], ['info.imageShape', [2, 3]], ['info.imageShape', '2,2'],
      ['info.defaults', DROP], ['info.defaults', null], ['info.defaults.hidden', DROP], ['info.defaults.hidden', [1.5]],
      ['info.defaults.s', 0], ['info.defaults.s', DROP], ['info.defaults.s', '5'],
    ]);
    // An image: rows × columns pixels, one per feature (four features: 2 × 2).
    const image = variant(good.dataLoaded, 'info.imageShape', [2, 2]);
    acceptsAndRefuses(isFromWorker, variant(image, 'info.features', ['p0_0', 'p0_1', 'p1_0', 'p1_1']), [
      ['info.imageShape', [1, 2]], ['info.imageShape', [2, 0]], ['info.imageShape', [2, 2, 1]],
    ], 'an image data set');
  });

  test('described', () => {
    acceptsAndRefuses(isFromWorker, good.described, [
      ['id', DROP], ['n', 1.5], ['n', DROP], ['sizes', [4, 3.5]], ['sizes', 4], ['sizes', DROP],
      ['parameters', DROP], ['parameters', PARAMETERS.slice(1)], ['parameters.3.index', 4], ['n', 14],
    ]);
  });

  // The fields of a trainer's state(), under `prefix`.
  const stateVariants = (prefix) => [
    [prefix, DROP], [prefix, null], [prefix, []],
    [`${prefix}.iteration`, 1.5], [`${prefix}.loss`, '0.5'], [`${prefix}.loss`, DROP], [`${prefix}.nnz`, 2.5],
    [`${prefix}.status`, 1], [`${prefix}.status`, DROP], [`${prefix}.done`, 'false'], [`${prefix}.done`, DROP],
    [`${prefix}.stepSize`, null], [`${prefix}.l2s`, '1'], [`${prefix}.l2s`, DROP],
    [`${prefix}.stepRule`, DROP], [`${prefix}.stepRule`, null], [`${prefix}.stepCertified`, 'true'],
    [`${prefix}.stepCertified`, 1], [`${prefix}.stepCertified`, DROP],
    [`${prefix}.theta`, [0.5, 'a']], [`${prefix}.theta`, 'theta'], [`${prefix}.theta`, DROP],
    [`${prefix}.support`, [0.5]], [`${prefix}.support`, Float64Array.of(0.5)], [`${prefix}.support`, 'x'],
    [`${prefix}.support`, DROP],
    [`${prefix}.entered`, [0.5]], [`${prefix}.entered`, DROP], [`${prefix}.left`, 'x'], [`${prefix}.left`, DROP],
    [`${prefix}.changedAt`, 1.5], [`${prefix}.changedAt`, '4'], [`${prefix}.changedAt`, DROP],
  ];

  // The fields of train()'s result (and of a sweep's dense run), under `prefix`.
  const resultVariants = (prefix) => [
    [prefix, null], [prefix, []], [prefix, {}],
    [`${prefix}.n`, 1.5], [`${prefix}.sizes`, [4, 3.5]], [`${prefix}.sizes`, 'x'],
    [`${prefix}.features`, [1]], [`${prefix}.features`, DROP], [`${prefix}.classes`, ['a', null]],
    [`${prefix}.theta`, ['0']], [`${prefix}.theta`, DROP], [`${prefix}.support`, [1.5]], [`${prefix}.support`, DROP],
    [`${prefix}.trainLoss`, '0.1'], [`${prefix}.trainLoss`, DROP], [`${prefix}.testLoss`, '0.1'],
    [`${prefix}.testLoss`, DROP], [`${prefix}.status`, 0],
    [`${prefix}.htStable`, DROP], [`${prefix}.htStable`, true], [`${prefix}.htStable.stable`, 'no'],
    [`${prefix}.htStable.margin`, null], [`${prefix}.htStable.supportGradInf`, DROP],
    [`${prefix}.htStable.reason`, DROP], [`${prefix}.htStable.reason`, null], [`${prefix}.htStable.reason`, ['why']],
    [`${prefix}.stepSize`, DROP], [`${prefix}.stepSize`, '1.65'], [`${prefix}.stepRule`, DROP], [`${prefix}.stepRule`, 3],
    [`${prefix}.stepCertified`, DROP], [`${prefix}.stepCertified`, 'false'], [`${prefix}.history`, null],
    [`${prefix}.confusion`, 'x'], [`${prefix}.confusion`, [1, 2]], [`${prefix}.confusion`, [[1, 2], [3, 0.5]]],
    [`${prefix}.confusion`, DROP],
  ];

  const l2sVariants = (prefix) => [
    [prefix, []], [`${prefix}.ratios`, ['x']], [`${prefix}.ratios`, DROP], [`${prefix}.max`, '1'],
    [`${prefix}.max`, DROP], [`${prefix}.quantiles`, null], [`${prefix}.quantiles`, [0.5]],
    [`${prefix}.samples`, 1.5], [`${prefix}.samples`, DROP],
    [`${prefix}.lower`, DROP], [`${prefix}.lower`, null], [`${prefix}.upper`, DROP], [`${prefix}.upper`, '1.4'],
    [`${prefix}.upperMethod`, DROP], [`${prefix}.upperMethod`, 1],
  ];

  test('train-started: the run, its θ layout, its step and estimate, and the first state', () => {
    acceptsAndRefuses(isFromWorker, good.trainStarted, [
      ['id', DROP], ['n', '15'], ['sizes', [4, '3']],
      ['stepSize', null], ['stepSize', DROP], ['l2s', 'auto'], ['l2s', DROP],
      ['estimate', DROP], ['estimate', {}], ...l2sVariants('estimate'),
      ...stateVariants('state'),
    ]);
    // A fixed step has no estimate; before the first support change the change is empty.
    const fixed = { ...good.trainStarted, l2s: null, estimate: null, state: { ...STATE, l2s: null } };
    assert.equal(isFromWorker(fixed), true, 'l2s and estimate null');
    const unchanged = { ...STATE, entered: new Int32Array(0), left: [], changedAt: null };
    assert.equal(isFromWorker({ ...fixed, state: unchanged }), true, 'no support change yet');
    assert.equal(isFromWorker({ ...fixed, state: { ...STATE, theta: [0, 0.5], support: [1], entered: [1] } }), true,
      'plain arrays for theta, support and entered');
  });

  test('train-started: one parameter per entry of θ, in order, joining units that exist', () => {
    acceptsAndRefuses(isFromWorker, good.trainStarted, [
      ['parameters', DROP], ['parameters', 'W'], ['parameters', PARAMETERS.slice(1)],
      ['parameters', [...PARAMETERS, PARAMETERS[14]]], ['parameters.3', null], ['parameters.3', [3]],
      ['parameters.3.index', 4], ['parameters.3.index', '3'], ['parameters.3.index', DROP],
      ['parameters.3.layer', 0], ['parameters.3.layer', 2], ['parameters.3.layer', 1.5], ['parameters.3.layer', DROP],
      ['parameters.3.to', null], ['parameters.3.to', 2], ['parameters.3.label', DROP], ['parameters.3.label', 3],
      ['parameters.3.toUnit', 3], ['parameters.3.toUnit', -1], ['parameters.3.toUnit', 0.5],
      ['parameters.3.toUnit', DROP],
      // A weight joins a unit of the layer below: from and fromUnit name it.
      ['parameters.3.kind', 'bias'], ['parameters.3.kind', 'weights'], ['parameters.3.kind', DROP],
      ['parameters.3.from', null], ['parameters.3.from', 3], ['parameters.3.fromUnit', 4],
      ['parameters.3.fromUnit', -1], ['parameters.3.fromUnit', null], ['parameters.3.fromUnit', DROP],
      // A bias has neither.
      ['parameters.13.kind', 'weight'], ['parameters.13.from', 'sepal width'], ['parameters.13.from', DROP],
      ['parameters.13.fromUnit', 0], ['parameters.13.fromUnit', DROP], ['parameters.13.toUnit', 3],
      ['parameters.13.layer', 0], ['parameters.13.layer', 2],
      ['n', 14],
    ]);
    // Each unit index is checked against its own layer: a network with a hidden layer of 2.
    const sizes = [4, 2, 3];
    const weight = (index, layer, from, to, fromUnit, toUnit) =>
      ({ index, layer, kind: 'weight', from, to, label: `W${layer}[${toUnit}][${fromUnit}]`, fromUnit, toUnit });
    const parameters = [
      weight(0, 1, 'petal width', 'h1[1]', 3, 1),
      weight(1, 2, 'h1[1]', 'virginica', 1, 2),
      { index: 2, layer: 2, kind: 'bias', from: null, to: 'virginica', label: 'b2[2]', fromUnit: null, toUnit: 2 },
    ];
    const state = { ...STATE, theta: [0, 0, 1], support: [2] };
    const hidden = { ...good.trainStarted, n: 3, sizes, parameters, state };
    acceptsAndRefuses(isFromWorker, hidden, [
      ['parameters.0.toUnit', 2], ['parameters.0.fromUnit', 4], ['parameters.1.fromUnit', 2],
      ['parameters.1.toUnit', 3], ['parameters.2.layer', 3],
    ], 'train-started with a hidden layer');
  });

  test('progress: the state, the history since the last message, and a result or snapshot', () => {
    acceptsAndRefuses(isFromWorker, good.progress, [
      ['id', DROP], ...stateVariants('state'),
      ['history', DROP], ['history', null], ['history.from', 1.5], ['history.from', DROP],
      ...['loss', 'trainAccuracy', 'testAccuracy']
        .flatMap((k) => [[`history.${k}`, [0.5, 'x']], [`history.${k}`, DROP]]),
      ...['nnz', 'entered', 'left'].flatMap((k) => [[`history.${k}`, [0.5]], [`history.${k}`, DROP]]),
      ...resultVariants('snapshot'),
    ]);
    acceptsAndRefuses(isFromWorker, good.finished, [
      ...resultVariants('result'), ['result.history.step', DROP], ['result.history.step', [1, 'x']],
      ['result.history', 'x'],
    ], 'progress with the result');
    // A fixed step's history has no steps (empty), an adaptive rule's has one per iterate.
    const fixed = variant(good.finished, 'result.history.step', new Float64Array(0));
    assert.equal(isFromWorker(fixed), true, 'a fixed step: history.step empty');
    const { snapshot: _, ...bare } = good.progress;
    assert.equal(isFromWorker(bare), true, 'neither result nor snapshot');
    assert.equal(isFromWorker({ ...bare, history: { ...HISTORY, loss: [0.5], nnz: [3] } }), true, 'plain arrays');
    assert.equal(isFromWorker({ ...good.finished, result: { ...RESULT, testLoss: null } }), true,
      'no test set: testLoss null');
  });

  // trainer.predictions(): a few samples of two features, their classes and θ's predictions.
  test('progress with samples (image data): features row-major, one class and one prediction each', () => {
    const samples = { on: 'test', numFeatures: 2, x: Float64Array.of(0, 16, 3, 4), y: Int32Array.of(1, 2), predicted: Int32Array.of(1, 0) };
    acceptsAndRefuses(isFromWorker, { ...good.progress, samples }, [
      ['samples', null], ['samples', 'x'], ['samples.on', 'validation'], ['samples.on', DROP],
      ['samples.numFeatures', 0], ['samples.numFeatures', 1.5], ['samples.numFeatures', DROP],
      ['samples.x', Float64Array.of(0, 16, 3)], ['samples.x', ['a', 1, 2, 3]], ['samples.x', DROP],
      ['samples.y', Int32Array.of(1)], ['samples.y', [0.5, 1]], ['samples.y', DROP],
      ['samples.predicted', [1]], ['samples.predicted', DROP],
    ], 'progress with samples');
  });

  // trainer.lastStep(): θ_{k−1}, v and θ_k of one length (θ's), indices inside θ.
  test('progress with a step detail (lastStep), or null before the first step', () => {
    const before = theta();
    const step = {
      iteration: 5, step: 0.62, certified: true, before, gradientStep: before.map((x) => x + 0.1), after: theta(),
      threshold: 0.35, kept: support(), entered: Int32Array.of(8), left: Int32Array.of(3),
    };
    const withStep = { ...good.progress, step };
    acceptsAndRefuses(isFromWorker, withStep, [
      ['step', 'x'], ['step', []], ['step.iteration', 0], ['step.iteration', 1.5], ['step.iteration', DROP],
      ['step.step', '0.6'], ['step.step', DROP], ['step.certified', 1], ['step.certified', DROP],
      ['step.before', [0.5, 'x']], ['step.before', DROP], ['step.gradientStep', [0.5]], ['step.gradientStep', DROP],
      ['step.after', theta().slice(1)], ['step.after', DROP], ['step.threshold', null], ['step.threshold', DROP],
      ['step.kept', [0.5]], ['step.kept', [15]], ['step.kept', [-1]], ['step.kept', DROP],
      ['step.entered', [N]], ['step.entered', DROP], ['step.left', ['3']], ['step.left', DROP],
    ], 'progress with a step');
    // A step of another length than the run's θ is refused.
    const short = { ...step, before: before.slice(1), gradientStep: before.slice(1), after: before.slice(1), kept: [0], entered: [], left: [] };
    assert.equal(isFromWorker({ ...good.progress, step: short }), false, 'a step of another θ');
    assert.equal(isFromWorker({ ...good.progress, step: null }), true, 'no step yet: null');
    assert.equal(isFromWorker({ ...good.progress, step: { ...step, before: Array.from(before), kept: [0, 4] } }), true, 'plain arrays');
  });

  test('bracket-result', () => {
    const bracket = { type: 'bracket-result', id: 9, result: L2S };
    acceptsAndRefuses(isFromWorker, bracket, [['id', DROP], ['result', DROP], ...l2sVariants('result')]);
  });

  test('sweep-progress and sweep-result', () => {
    acceptsAndRefuses(isFromWorker, good.sweepProgress, [
      ['id', DROP], ['done', 1.5], ['done', DROP], ['total', '15'], ['total', DROP],
    ]);
    acceptsAndRefuses(isFromWorker, good.sweepResult, [
      ['id', DROP], ['result', DROP], ['result', null], ['result.dense', DROP], ...resultVariants('result.dense'),
      ['result.points', DROP], ['result.points', 'x'], ['result.points', [null]], ['result.points.0', []],
      ['result.points.2.s', 1.5], ['result.points.2.s', DROP], ['result.points.2.trainLoss', null],
      ['result.points.2.testLoss', '0.1'], ['result.points.2.testLoss', DROP],
      ['result.points.3.htStable', DROP], ['result.points.3.htStable.stable', 1],
      ['result.points.3.htStable.reason', DROP],
    ]);
    const noTestSet = variant(good.sweepResult, 'result.points.2.testLoss', null);
    assert.equal(isFromWorker(noTestSet), true, 'a point without a test set: testLoss null');
    assert.equal(isFromWorker(variant(good.sweepResult, 'result.points', [])), true, 'no points yet');
  });

  test('sweep-result: each point has its start, cold start, baselines and optimum', () => {
    acceptsAndRefuses(isFromWorker, good.sweepResult, [
      ['result.points.1.start', 'warm'], ['result.points.1.start', DROP],
      ['result.points.1.cold', DROP], ['result.points.1.cold', null], ['result.points.1.cold.trainLoss', '0.3'],
      ['result.points.1.cold.testLoss', DROP], ['result.points.1.cold.nnz', 2.5], ['result.points.1.cold.support', [0.5]],
      ['result.points.1.cold.status', DROP],
      ['result.points.1.baselines', DROP], ['result.points.1.baselines', {}], ['result.points.1.baselines.l1', null],
      ['result.points.1.baselines.magnitude.trainAccuracy', null], ['result.points.1.baselines.l1.testAccuracy', DROP],
      ['result.points.1.exact', DROP], ['result.points.1.exact', {}], ['result.points.1.exact.objective', null],
      ['result.points.1.exact.support', 'x'], ['result.points.1.exactGap', DROP], ['result.points.1.exactGap', '0'],
    ]);
    // Baselines off (or not reached before a stop), no enumeration, no test split: nulls.
    const bare = { ...point(2), baselines: null, exact: null, exactGap: null, testLoss: null, testAccuracy: null };
    bare.cold = { ...bare.cold, testLoss: null, testAccuracy: null };
    assert.equal(isFromWorker(variant(good.sweepResult, 'result.points.1', bare)), true, 'baselines and exact null');
  });

  test('sweep-result: the grid, cross-validation, support frequencies, completeness and the θ labels', () => {
    acceptsAndRefuses(isFromWorker, good.sweepResult, [
      ['result.grid', DROP], ['result.grid', [1, 2.5]],
      ['result.cv', DROP], ['result.cv', {}], ['result.cv.folds', DROP], ['result.cv.chosenS', 2.5], ['result.cv.minS', DROP],
      ['result.cv.s', DROP], ['result.cv.meanLoss', Float64Array.of(0.6, 0.3, 0.2)], ['result.cv.stdErrLoss', DROP],
      ['result.cv.meanAccuracy', ['x', 1, 1, 1]], ['result.cv.stdErrAccuracy', DROP],
      ['result.cv.criterion', DROP], ['result.cv.criterion.name', 1], ['result.cv.criterion.values', [1, 2]],
      ['result.cv.criterion.chosenS', 'three'],
      ['result.supportFrequency', DROP], ['result.supportFrequency', 'x'], ['result.supportFrequency.2', new Float64Array(14)],
      ['result.supportFrequency.2', ['x']],
      ['result.exactNote', DROP], ['result.exactNote', 1],
      ['result.complete', DROP], ['result.complete', 'false'],
      ['parameters', DROP], ['parameters', PARAMETERS.slice(1)], ['parameters.3.label', DROP],
    ]);
    const noCv = { ...good.sweepResult, result: { ...good.sweepResult.result, cv: null, supportFrequency: [] } };
    assert.equal(isFromWorker(noCv), true, 'without cross-validation: cv null, supportFrequency empty');
    const partial = variant(noCv, 'result.complete', false);
    assert.equal(isFromWorker(partial), true, 'a stopped sweep');
    const note = variant(noCv, 'result.exactNote', 'no certificate: give ridge > 0');
    assert.equal(isFromWorker(note), true, 'why exact gave no certificate');
  });

  test('l2s-result', () => {
    acceptsAndRefuses(isFromWorker, good.l2sResult, [['id', DROP], ['result', DROP], ...l2sVariants('result')]);
    assert.equal(isFromWorker(variant(good.l2sResult, 'result.ratios', [0.5, 1])), true, 'ratios as an array');
  });

  test('data-progress: a phase, and 0 ≤ done ≤ total', () => {
    acceptsAndRefuses(isFromWorker, good.dataProgress, [
      ['id', DROP], ['phase', 'load'], ['phase', DROP], ['done', -1], ['done', 1.5], ['done', DROP],
      ['total', -1], ['total', '100'], ['done', 101],
    ]);
    for (const [done, total] of [[0, 0], [0, 100], [100, 100]]) {
      for (const phase of ['read', 'parse']) {
        assert.equal(isFromWorker({ ...good.dataProgress, phase, done, total }), true, `${phase} ${done}/${total}`);
      }
    }
  });

  test('memory-report: byte counts and the live trainers, non-negative integers', () => {
    acceptsAndRefuses(isFromWorker, good.memoryReport, [
      ['id', DROP], ['heapInUse', -1], ['heapInUse', 1.5], ['heapInUse', DROP],
      ['wasmMemory', -1], ['wasmMemory', '16'], ['wasmMemory', DROP],
      ['liveTrainers', -1], ['liveTrainers', DROP],
    ]);
    assert.equal(isFromWorker({ ...good.memoryReport, wasmMemory: null }), true, 'wasmMemory unknown');
    assert.equal(isFromWorker({ ...good.memoryReport, heapInUse: 0, wasmMemory: 0, liveTrainers: 0 }), true, 'zeros');
  });

  test('error', () => {
    acceptsAndRefuses(isFromWorker, good.error, [
      ['id', DROP], ['id', '8'], ['where', DROP], ['where', 1], ['message', DROP], ['message', { text: 'x' }],
      ['code', DROP], ['code', 'oops'], ['option', DROP], ['option', 5], ['line', DROP], ['line', '3'], ['column', 1.5],
    ]);
    assert.equal(isFromWorker({ ...good.error, code: null, option: null }), true, 'not a package error');
    assert.equal(isFromWorker({ ...good.error, code: 'bad-data', option: 'data', line: 3, column: 2 }), true, 'a CSV error');
  });
});
