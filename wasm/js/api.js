// The package's JavaScript API over the Embind module. This file is the shared
// body of dist/index.mjs and dist/index.cjs (scripts/build-package.mjs adds the
// import or require of `createSparseIhtModule` and the exports around it).

const VERSION = '0.1.0';

/**
 * Every error the package throws for bad input or a misuse. `code` says what
 * kind: 'bad-option' (a value out of range or of the wrong type),
 * 'unknown-option', 'bad-data' (a malformed CSV or data set) or 'bad-state' (a
 * call the object's state does not allow, such as using a freed trainer).
 * `option` is the camelCase option at fault, or null; `line` and `column` (the
 * 1-based CSV field) locate a CSV error where known, else null. Decide by these
 * fields, never by the message.
 */
class SparseIhtError extends Error {
  constructor(message, { code, option = null, line = null, column = null } = {}) {
    super(message);
    this.name = 'SparseIhtError';
    this.code = code;
    this.option = option;
    this.line = line;
    this.column = column;
  }
}

// Which commands of the core's option table each call takes.
const COMMAND_OF = { train: 'train', describe: 'train', sweep: 'sweep', lipschitz: 'lipschitz' };

function describeValue(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `'${value}'` : typeof value;
}

const badOption = (command, option, problem) =>
  new SparseIhtError(`sparse-iht ${command}: option '${option}': ${problem}`, { code: 'bad-option', option });
const misuse = (message, code = 'bad-option') => new SparseIhtError(message, { code });

// One JS value as the core's option text, by the option's type in the table;
// the core then checks the value and its range.
function optionText(command, spec, value) {
  const { name } = spec;
  switch (spec.type) {
    case 'integer':
    case 'number':
      if (typeof value === 'number' || typeof value === 'string') return String(value);
      throw badOption(command, name, `expected a number${spec.choices ? ` or ${spec.choices.map((c) => `'${c}'`).join(', ')}` : ''}, got ${describeValue(value)}`);
    case 'boolean':
      if (typeof value === 'boolean') return value ? 'on' : 'off';
      if (typeof value === 'string') return value;
      throw badOption(command, name, `expected true or false, got ${describeValue(value)}`);
    case 'integer-list':
      if (Array.isArray(value)) {
        if (!value.every((v) => typeof v === 'number')) {
          throw badOption(command, name, `expected an array of layer widths, got ${JSON.stringify(value)}`);
        }
        return value.map(String).join(',');
      }
      if (typeof value === 'string') return value;
      throw badOption(command, name, `expected a list of widths, got ${describeValue(value)}`);
    default:
      if (typeof value === 'string') return value;
      throw badOption(command, name, `expected a string, got ${describeValue(value)}`);
  }
}

function isDataset(value) {
  return value !== null && typeof value === 'object' && 'x' in value && 'y' in value &&
    Array.isArray(value.features) && Array.isArray(value.classes);
}

// Turns an Error thrown by the bindings (with the core's InputError fields
// in `sparseIht`) into a SparseIhtError; other errors pass unchanged. A data
// error of a call given `data` is an error of that option.
function fromCore(error, camelOf, dataOption) {
  const fields = error instanceof Error ? error.sparseIht : undefined;
  if (!fields) return error;
  let option = fields.option === null ? null : (camelOf.get(fields.option) ?? fields.option);
  let message = error.message;
  if (option !== null && fields.code === 'bad-option') {
    message = `${option} (--${fields.option}): ${fields.problem}`;
  } else if (option === null && fields.code === 'bad-data' && dataOption) {
    option = 'data';
    message = `data: ${message}`;
  }
  return new SparseIhtError(message, { code: fields.code, option, line: fields.line, column: fields.column });
}

// Pieces of a text or bytes source fed to a data reader: large enough that the
// calls cost nothing, small enough that no second copy of a file is made.
const PIECE = 1 << 20;

function* piecesOf(source) {
  if (typeof source === 'string') {
    for (let start = 0; start < source.length;) {
      let end = Math.min(start + PIECE, source.length);
      // Never split a surrogate pair: half of one is not text.
      const last = source.charCodeAt(end - 1);
      if (end < source.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
      yield source.slice(start, end);
      start = end;
    }
    return;
  }
  for (let start = 0; start < source.length; start += PIECE) yield source.subarray(start, start + PIECE);
}

// The package's digits data module (dist/digits.mjs, 'sparse-iht/digits'): the
// table's text, which the ES module build leaves out of its WebAssembly.
function isDigitsModule(value) {
  return value !== null && typeof value === 'object' && value.format === 'sparse-iht-digits' &&
    typeof value.text === 'string';
}

function makeApi(Module, digitsModule) {
  const live = new Set();
  const liveData = new Set();
  // Each Dataset handle's native object, and whether it was freed.
  const natives = new WeakMap();
  // The core's option table (core/src/options.cpp): names, types, defaults, ranges.
  const table = Module.options();
  const camelOf = new Map(table.map((o) => [o.flag.slice(2), o.name]));
  const specs = new Map(table.map((o) => [o.name, o]));
  const namesOf = (command) => table.filter((o) => o.commands.includes(COMMAND_OF[command])).map((o) => o.name);

  // Runs a call into the module; `data` is the call's data argument, if any.
  function call(fn, data) {
    try {
      return fn();
    } catch (error) {
      throw fromCore(error, camelOf, data !== undefined);
    }
  }

  // The digits table's text: undefined where the WebAssembly has it built in
  // (the CommonJS build), else the data module's.
  function digitsText(caller, source) {
    if (isDigitsModule(source)) return source.text;
    if (Module.digitsBuiltIn) return undefined;
    if (digitsModule) return digitsModule.text;
    throw badOption(caller, 'data', "the digits data set is not in the browser's ES module build, which keeps " +
      "it out of the download: import digits from 'sparse-iht/digits' and pass it as data, to loadData(digits) " +
      "or to load({ digits }) (Node's entry of the package passes it by itself)");
  }

  // Splits user options into the core's [name, value] text pairs and the data
  // argument of the bindings (undefined for the built-in IRIS; for the digits,
  // a native data set that `release()` frees after the call).
  // `call` names the API function in messages (estimateL2s runs the lipschitz command).
  function prepare(command, options, call = command) {
    if (options === undefined || options === null) options = {};
    if (typeof options !== 'object' || Array.isArray(options)) {
      throw misuse(`sparse-iht ${call}: options must be an object, got ${describeValue(options)}`);
    }
    const known = namesOf(command);
    const pairs = [];
    let data;
    let owned = null;
    for (const [name, value] of Object.entries(options)) {
      if (!known.includes(name)) {
        throw new SparseIhtError(`sparse-iht ${call}: unknown option '${name}' (options: ${known.join(', ')})`,
          { code: 'unknown-option', option: name });
      }
      if (value === undefined) continue;
      const spec = specs.get(name);
      if (name === 'data') {
        if (value === 'iris') continue;
        if (value === 'digits' || isDigitsModule(value)) {
          if (options.label !== undefined) {
            throw badOption(call, 'label', "names a column of CSV data; the built-in digits data set's label is fixed (the digit)");
          }
          const text = digitsText(call, value);
          owned = Module.digitsDataset(text);
          data = owned;
          pairs.push(['data', 'digits']);
          continue;
        }
        if (natives.has(value)) {
          data = natives.get(value)();
          pairs.push(['data', value.name]);
          continue;
        }
        if (value !== null && typeof value === 'object' && 'csv' in value) {
          if (typeof value.csv !== 'string' && !(value.csv instanceof Uint8Array)) {
            throw badOption(call, 'data', 'csv must be a string or a Uint8Array');
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
        throw badOption(call, 'data', `expected 'iris', 'digits', { csv: text } or a data set, got ${describeValue(value)}`);
      }
      pairs.push([spec.flag.slice(2), optionText(call, spec, value)]);
    }
    if (isDataset(data) && options.label !== undefined) {
      throw badOption(call, 'label', 'names a column of CSV data; a data set object carries its labels in y');
    }
    if (natives.has(options.data) && options.label !== undefined) {
      throw badOption(call, 'label', 'names a column of CSV data; a Dataset handle took its label when it was read (loadData(source, { label }))');
    }
    const release = () => {
      if (owned !== null) owned.delete();
      owned = null;
    };
    return { pairs, data, release };
  }

  // prepare(), then fn(pairs, data), freeing what prepare made.
  function withOptions(command, options, fn, caller = command) {
    const { pairs, data, release } = prepare(command, options, caller);
    try {
      return call(() => fn(pairs, data), data);
    } finally {
      release();
    }
  }

  // A Dataset handle over a native JsDataset (wasm/bindings.cpp).
  function makeDataset(native, name) {
    liveData.add(native);
    let freed = false;
    const handle = Object.freeze({
      name,
      numSamples: native.numSamples(),
      numFeatures: native.numFeatures(),
      features: native.features(),
      classes: native.classes(),
      classCounts: Array.from(native.classCounts()),
      imageShape: native.imageShape(),
      free() {
        if (freed) return;
        freed = true;
        liveData.delete(native);
        // A trainer or call still using the data keeps its own reference.
        native.delete();
      },
      get freed() {
        return freed;
      },
    });
    natives.set(handle, () => {
      if (freed) throw misuse(`sparse-iht: the data set '${name}' was freed`, 'bad-state');
      return native;
    });
    return handle;
  }

  function checkReadOptions(call, options) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw misuse(`sparse-iht ${call}: options must be an object, got ${describeValue(options)}`);
    }
    for (const key of Object.keys(options)) {
      if (key !== 'label' && key !== 'name') {
        throw new SparseIhtError(`sparse-iht ${call}: unknown option '${key}' (options: label, name)`,
          { code: 'unknown-option', option: key });
      }
      if (options[key] !== undefined && typeof options[key] !== 'string') {
        throw badOption(call, key, `expected a string, got ${describeValue(options[key])}`);
      }
    }
    return { label: options.label ?? '', name: options.name || '<csv>' };
  }

  /** A CSV read piece by piece into WebAssembly; finish() gives the Dataset. */
  function createDataReader(options = {}) {
    const { label, name } = checkReadOptions('createDataReader', options);
    const native = new Module.DatasetReader(label, name);
    let done = false;
    const use = () => {
      if (done) throw misuse('sparse-iht: this data reader has finished or was freed', 'bad-state');
      return native;
    };
    const end = () => {
      if (!done) {
        done = true;
        native.delete();
      }
    };
    return {
      feed(piece) {
        if (typeof piece !== 'string' && !(piece instanceof Uint8Array)) {
          throw misuse(`sparse-iht dataReader.feed: a piece must be a string or a Uint8Array, got ${describeValue(piece)}`);
        }
        const reader = use();
        try {
          call(() => reader.feed(piece));
        } catch (error) {
          end();
          throw error;
        }
      },
      finish() {
        const reader = use();
        try {
          return makeDataset(call(() => reader.finish()), name);
        } finally {
          end();
        }
      },
      free: end,
      get bytesFed() {
        return done ? 0 : native.bytesFed();
      },
    };
  }

  function loadData(source, options = {}) {
    const { label, name } = checkReadOptions('loadData', options);
    if (source === 'iris') {
      if (label) throw badOption('loadData', 'label', 'names a column of CSV data; the built-in IRIS data set\'s label is fixed (its species)');
      return makeDataset(call(() => Module.irisDataset()), options.name ?? 'IRIS');
    }
    if (source === 'digits' || isDigitsModule(source)) {
      if (label) throw badOption('loadData', 'label', 'names a column of CSV data; the built-in digits data set\'s label is fixed (the digit)');
      const text = digitsText('loadData', source);
      return makeDataset(call(() => Module.digitsDataset(text)), options.name ?? 'digits');
    }
    let bytes = source;
    if (source instanceof ArrayBuffer) bytes = new Uint8Array(source);
    if (typeof bytes !== 'string' && !(bytes instanceof Uint8Array)) {
      throw misuse(`sparse-iht loadData: source must be 'iris', 'digits', the digits data module, CSV text or bytes, got ${describeValue(source)}`);
    }
    const reader = createDataReader({ label: options.label, name });
    for (const piece of piecesOf(bytes)) reader.feed(piece);
    if (bytes.length === 0) reader.feed(bytes);
    return reader.finish();
  }

  function createTrainer(options) {
    // The trainer keeps its own layout of the features, not the data set.
    const native = withOptions('train', options, (pairs, data) => new Module.Trainer(pairs, data));
    live.add(native);
    let freed = false;
    const use = () => {
      if (freed) throw misuse('sparse-iht: this trainer was freed', 'bad-state');
      return native;
    };
    return {
      advance(k = 1) {
        if (!Number.isInteger(k) || k < 0 || k > 2147483647) {
          throw misuse(`sparse-iht trainer.advance: k must be an integer ≥ 0, got ${describeValue(k)}`);
        }
        return call(() => use().advance(k));
      },
      state: () => call(() => use().state()),
      history(from = 0) {
        if (!Number.isInteger(from) || from < 0 || from > 2147483647) {
          throw misuse(`sparse-iht trainer.history: from must be an integer ≥ 0, got ${describeValue(from)}`);
        }
        return call(() => use().history(from));
      },
      result: () => call(() => use().result()),
      l2sEstimate: () => call(() => use().l2sEstimate()),
      lastStep: () => call(() => use().lastStep()),
      predictions(count = 16) {
        if (!Number.isInteger(count) || count < 0 || count > 2147483647) {
          throw misuse(`sparse-iht trainer.predictions: count must be an integer ≥ 0, got ${describeValue(count)}`);
        }
        return call(() => use().predictions(count));
      },
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
    train: (options) => withOptions('train', options, (pairs, data) => Module.train(pairs, data)),
    /** The network train(options) would build, and what every entry of its θ is. */
    describe: (options) => withOptions('describe', options, (pairs, data) => Module.describe(pairs, data)),
    sweep(options, onProgress) {
      if (onProgress !== undefined && typeof onProgress !== 'function') {
        throw misuse(`sparse-iht sweep: onProgress must be a function, got ${describeValue(onProgress)}`);
      }
      return withOptions('sweep', options, (pairs, data) => Module.sweep(pairs, data, onProgress));
    },
    estimateL2s: (options) =>
      withOptions('lipschitz', options, (pairs, data) => Module.estimateL2s(pairs, data), 'estimateL2s'),
    /**
     * The option table: one entry per option of the package, with its type,
     * default, range or choices, the calls that take it ('train' also covers
     * describe and createTrainer; 'lipschitz' is estimateL2s) and its help.
     */
    options: () => table.map((o) => ({
      ...o,
      default: Array.isArray(o.default) ? [...o.default] : o.default,
      choices: o.choices && [...o.choices],
      commands: [...o.commands],
    })),
    iris: () => call(() => Module.iris()),
    /** The built-in digits data set as plain arrays, imageShape [8, 8] (a copy in JavaScript). */
    digits(source) {
      const text = digitsText('digits', source);
      return call(() => Module.digits(text));
    },
    parseCsv(text, options = {}) {
      if (typeof text !== 'string' && !(text instanceof Uint8Array)) {
        throw misuse(`sparse-iht parseCsv: text must be a string or a Uint8Array, got ${describeValue(text)}`);
      }
      const label = options.label === undefined ? '' : String(options.label);
      const name = options.name === undefined ? '<csv>' : String(options.name);
      return call(() => Module.parseCsv(text, label, name));
    },
    createTrainer,
    /**
     * Reads CSV text or bytes (or 'iris') into a Dataset that stays in
     * WebAssembly memory; pass it as `data` to any call, then free() it.
     */
    loadData,
    createDataReader,
    /** Dataset handles loaded and not yet freed. */
    get liveDatasets() { return liveData.size; },
    // onProgress(bar), when given, receives a sweep's progress bar line by
    // line (the npm command writes it to stderr when that is a terminal).
    runCli(args, files, onProgress) {
      if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
        throw misuse('sparse-iht runCli: args must be an array of strings');
      }
      if (onProgress !== undefined && typeof onProgress !== 'function') {
        throw misuse(`sparse-iht runCli: onProgress must be a function, got ${describeValue(onProgress)}`);
      }
      if (typeof Module.runCli !== 'function') {
        throw misuse("sparse-iht runCli: the command line is only in the CommonJS build " +
          "(require('sparse-iht'), as `npx sparse-iht` uses); the ES module build leaves it out " +
          'to keep the browser download small', 'bad-state');
      }
      return call(() => Module.runCli(args, files, onProgress));
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

// The smallest module that uses WebAssembly exception handling as the core's
// -fwasm-exceptions build does (a tag section, try, throw, catch): engines with
// SIMD but without it (Chrome 91-94, Firefox 89-99, Node 16) fail here with a
// clear message instead of a CompileError.
const EXCEPTIONS_PROBE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // types: () -> ()
  0x03, 0x02, 0x01, 0x00, // functions: one, of type 0
  0x0d, 0x03, 0x01, 0x00, 0x00, // tags: one, of type 0
  0x0a, 0x0b, 0x01, 0x09, 0x00, 0x06, 0x40, 0x08, 0x00, 0x07, 0x00, 0x0b, 0x0b]; // try; throw 0; catch 0; end

// SIMD and exception handling together, from the engines' feature tables;
// Node 18 is the oldest Node the package declares (package.json engines).
const REQUIREMENT = 'Node 18+, Chrome/Edge 95+, Firefox 100+ or Safari 16.4+';

function checkEngine() {
  if (typeof WebAssembly !== 'object' || WebAssembly === null) {
    throw new Error(`sparse-iht: this JavaScript engine has no WebAssembly (needs ${REQUIREMENT})`);
  }
  if (!WebAssembly.validate(new Uint8Array(SIMD_PROBE))) {
    throw new Error(`sparse-iht: this JavaScript engine lacks WebAssembly SIMD, which sparse-iht is compiled for (needs ${REQUIREMENT})`);
  }
  if (!WebAssembly.validate(new Uint8Array(EXCEPTIONS_PROBE))) {
    throw new Error(`sparse-iht: this JavaScript engine lacks WebAssembly exception handling, which sparse-iht is compiled for (needs ${REQUIREMENT})`);
  }
}

/**
 * Loads the WebAssembly module and returns the API. The browser's ES module
 * fetches sparse-iht-core.wasm beside itself; `wasmBinary` (the file's bytes)
 * skips that fetch, for environments that cannot make it.
 * `digits` is the package's digits data module ('sparse-iht/digits'), for
 * `data: 'digits'` in a browser: the browser's ES module build leaves it out
 * of the default download. Node's ES module entry (dist/index.node.mjs, the
 * "node" condition of the package's exports) passes it by itself, and the
 * CommonJS build has the table built in.
 * @param {{ wasmBinary?: ArrayBuffer | Uint8Array, digits?: object }} [options]
 */
async function load(options = {}) {
  checkEngine();
  if (options.digits !== undefined && !isDigitsModule(options.digits)) {
    throw misuse("sparse-iht load: digits must be the package's digits data module (import digits from 'sparse-iht/digits')");
  }
  const moduleOptions = {};
  if (options.wasmBinary) moduleOptions.wasmBinary = options.wasmBinary;
  let Module;
  try {
    Module = await createSparseIhtModule(moduleOptions);
  } catch (err) {
    // Emscripten's own text ("Aborted(CompileError: … expected magic word …)")
    // does not say which file or what to do about it.
    const why = err && err.message ? err.message : String(err);
    throw new Error(
      `sparse-iht load: the WebAssembly could not be loaded (${why}). In a browser it is the file ` +
        "sparse-iht-core.wasm beside the package's module, fetched from there: a bundler must emit or copy it " +
        "(under Vite's dev server, set optimizeDeps: { exclude: ['sparse-iht'] }), and a server should send it " +
        "as application/wasm. Or pass its bytes as load({ wasmBinary }).",
      { cause: err },
    );
  }
  return makeApi(Module, options.digits);
}
