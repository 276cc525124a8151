// The package's JavaScript API over the Embind module. This file is the shared
// body of dist/index.mjs and dist/index.cjs (scripts/build-package.mjs adds the
// import or require of `createSparseIhtModule` and the exports around it).

const VERSION = '0.1.0';

// Option names per command, in camelCase; the core parses the values and its
// messages name the command-line form (--test-fraction), which is rewritten to
// name the JavaScript option too.
const COMMON = ['hidden', 'activation', 'seed', 'data', 'label', 'testFraction', 'standardize',
  'samples', 'scale'];
const TRAIN = ['s', ...COMMON, 'step', 'stepFactor', 'iters', 'batchSize', 'tolerance', 'htTolerance',
  'initScale'];
const OPTION_NAMES = {
  train: TRAIN,
  // The options of train, so a caller can pass the same object to both; s and
  // the step play no part in the layout.
  describe: TRAIN,
  sweep: [...COMMON, 'step', 'stepFactor', 'iters', 'batchSize', 'tolerance', 'htTolerance',
    'initScale'],
  lipschitz: ['s', ...COMMON, 'firstPair'],
};

const kebab = (name) => name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

function describeValue(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `'${value}'` : typeof value;
}

function optionText(command, name, value) {
  if (name === 'hidden' && Array.isArray(value)) {
    if (!value.every((v) => typeof v === 'number')) {
      throw new Error(`sparse-iht ${command}: option 'hidden': expected an array of layer widths, got ${JSON.stringify(value)}`);
    }
    return value.map(String).join(',');
  }
  if (name === 'standardize' && typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  throw new Error(`sparse-iht ${command}: option '${name}': expected a ${name === 'hidden' ? 'list of widths' : 'number or string'}, got ${describeValue(value)}`);
}

function isDataset(value) {
  return value !== null && typeof value === 'object' && 'x' in value && 'y' in value &&
    Array.isArray(value.features) && Array.isArray(value.classes);
}

// Splits user options into the core's [name, value] text pairs and the data
// argument of the bindings (undefined for the built-in IRIS).
function prepare(command, options) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`sparse-iht ${command}: options must be an object, got ${describeValue(options)}`);
  }
  const known = OPTION_NAMES[command];
  const pairs = [];
  let data;
  for (const [name, value] of Object.entries(options)) {
    if (!known.includes(name)) {
      throw new Error(`sparse-iht ${command}: unknown option '${name}' (options: ${known.join(', ')})`);
    }
    if (value === undefined || name === 'firstPair') continue;
    if (name === 'data') {
      if (value === 'iris') continue;
      if (value !== null && typeof value === 'object' && 'csv' in value) {
        if (typeof value.csv !== 'string' && !(value.csv instanceof Uint8Array)) {
          throw new Error(`sparse-iht ${command}: option 'data': csv must be a string or a Uint8Array`);
        }
        data = value;
        pairs.push(['data', value.name === undefined ? '<csv>' : String(value.name)]);
        continue;
      }
      if (isDataset(value)) {
        data = value;
        pairs.push(['data', '<dataset>']);
        continue;
      }
      throw new Error(`sparse-iht ${command}: option 'data': expected 'iris', { csv: text } or a data set, got ${describeValue(value)}`);
    }
    pairs.push([kebab(name), optionText(command, name, value)]);
  }
  if (isDataset(data) && options.label !== undefined) {
    throw new Error(`sparse-iht ${command}: option 'label': names a column of CSV data; a data set object carries its labels in y`);
  }
  return { pairs, data };
}

// "--test-fraction: expected …" → "testFraction (--test-fraction): expected …"
function jsMessage(message) {
  return message.replace(/^--([a-z][a-z0-9-]*)/, (flag, name) => `${camel(name)} (${flag})`)
    .replace(/unknown option --([a-z][a-z0-9-]*)/, (_, name) => `unknown option '${camel(name)}'`);
}

function call(fn) {
  try {
    return fn();
  } catch (error) {
    if (error instanceof Error) {
      const wrapped = new Error(jsMessage(error.message));
      throw wrapped;
    }
    throw error;
  }
}

function makeApi(Module) {
  const live = new Set();

  function createTrainer(options) {
    const { pairs, data } = prepare('train', options);
    const native = call(() => new Module.Trainer(pairs, data));
    live.add(native);
    let freed = false;
    const use = () => {
      if (freed) throw new Error('sparse-iht: this trainer was freed');
      return native;
    };
    return {
      advance(k = 1) {
        if (!Number.isInteger(k) || k < 0 || k > 2147483647) {
          throw new Error(`sparse-iht trainer.advance: k must be an integer ≥ 0, got ${describeValue(k)}`);
        }
        return call(() => use().advance(k));
      },
      state: () => call(() => use().state()),
      history(from = 0) {
        if (!Number.isInteger(from) || from < 0 || from > 2147483647) {
          throw new Error(`sparse-iht trainer.history: from must be an integer ≥ 0, got ${describeValue(from)}`);
        }
        return call(() => use().history(from));
      },
      result: () => call(() => use().result()),
      l2sEstimate: () => call(() => use().l2sEstimate()),
      stop: () => use().stop(),
      free() {
        if (freed) return;
        freed = true;
        live.delete(native);
        native.delete();
      },
      get freed() { return freed; },
    };
  }

  return Object.freeze({
    version: VERSION,
    train(options) {
      const { pairs, data } = prepare('train', options);
      return call(() => Module.train(pairs, data));
    },
    /** The network train(options) would build, and what every entry of its θ is. */
    describe(options) {
      const { pairs, data } = prepare('describe', options);
      return call(() => Module.describe(pairs, data));
    },
    sweep(options, onProgress) {
      if (onProgress !== undefined && typeof onProgress !== 'function') {
        throw new Error(`sparse-iht sweep: onProgress must be a function, got ${describeValue(onProgress)}`);
      }
      const { pairs, data } = prepare('sweep', options);
      return call(() => Module.sweep(pairs, data, onProgress));
    },
    estimateL2s(options) {
      const { pairs, data } = prepare('lipschitz', options);
      const firstPair = options && options.firstPair !== undefined ? options.firstPair : 0;
      if (typeof firstPair !== 'number') {
        throw new Error(`sparse-iht lipschitz: option 'firstPair': expected a number, got ${describeValue(firstPair)}`);
      }
      return call(() => Module.estimateL2s(pairs, data, firstPair));
    },
    iris: () => call(() => Module.iris()),
    parseCsv(text, options = {}) {
      if (typeof text !== 'string' && !(text instanceof Uint8Array)) {
        throw new Error(`sparse-iht parseCsv: text must be a string or a Uint8Array, got ${describeValue(text)}`);
      }
      const label = options.label === undefined ? '' : String(options.label);
      const name = options.name === undefined ? '<csv>' : String(options.name);
      return call(() => Module.parseCsv(text, label, name));
    },
    createTrainer,
    runCli(args, files) {
      if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
        throw new Error('sparse-iht runCli: args must be an array of strings');
      }
      if (typeof Module.runCli !== 'function') {
        throw new Error("sparse-iht runCli: the command line is only in the CommonJS build " +
          "(require('sparse-iht'), as `npx sparse-iht` uses); the ES module build leaves it out " +
          'to keep the browser download small');
      }
      return call(() => Module.runCli(args, files));
    },
    /** Bytes of wasm heap held by live allocations (for leak checks). */
    heapInUse: () => Module.heapInUse(),
    /** Trainers created and not yet freed. */
    get liveTrainers() { return live.size; },
  });
}

// The smallest module that uses a WebAssembly SIMD instruction: one function
// returning i8x16.splat(0). The core is compiled with -msimd128, and an engine
// without SIMD would otherwise fail with a bare CompileError deep in the loader.
const SIMD_PROBE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // types: () -> v128
  0x03, 0x02, 0x01, 0x00, // functions: one, of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b]; // code: i32.const 0, i8x16.splat

const REQUIREMENT = 'Node 16.4+, Chrome/Edge 91+, Firefox 89+ or Safari 16.4+';

function checkEngine() {
  if (typeof WebAssembly !== 'object' || WebAssembly === null) {
    throw new Error(`sparse-iht: this JavaScript engine has no WebAssembly (needs ${REQUIREMENT})`);
  }
  if (!WebAssembly.validate(new Uint8Array(SIMD_PROBE))) {
    throw new Error(`sparse-iht: this JavaScript engine lacks WebAssembly SIMD, which sparse-iht is compiled for (needs ${REQUIREMENT})`);
  }
}

/**
 * Loads the WebAssembly module (embedded in the package) and returns the API.
 * @param {{ wasmBinary?: ArrayBuffer | Uint8Array }} [options]
 */
async function load(options = {}) {
  checkEngine();
  const moduleOptions = {};
  if (options.wasmBinary) moduleOptions.wasmBinary = options.wasmBinary;
  const Module = await createSparseIhtModule(moduleOptions);
  return makeApi(Module);
}
