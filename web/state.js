// Every user-settable value of the page, in one typed table (after TensorFlow
// Playground's state.ts): its default, how it is parsed from text (URL query,
// form controls, a parent frame) and written back. The page's state is one
// plain object of these keys, mirrored in the URL so a link reproduces a run.

export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid'];

// Controls and views an embedding page may hide with ?hide=a,b,c.
export const HIDEABLE = [
  'data', 's', 'step', 'iters', 'seed', 'hidden', 'activation', 'samples', 'testFraction', 'speed',
  'train', 'stop', 'reset', 'sweep', 'export',
  'curves', 'sparsity', 'l2s', 'network', 'stability', 'confusion',
];

// Hidden layers are capped so the network drawing stays readable in a lecture.
const MAX_LAYERS = 4;
const MAX_WIDTH = 64;

const INT = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function intField(min, max) {
  return {
    parse(text) {
      const t = String(text).trim();
      const v = Number(t);
      if (!INT.test(t) || !Number.isSafeInteger(v) || v < min || v > max) {
        return { error: `expected an integer from ${min} to ${max}` };
      }
      return { value: v };
    },
    serialise: String,
  };
}

function numberField(min, max, { minOpen = false } = {}) {
  const range = minOpen ? `above ${min} and at most ${max}` : `from ${min} to ${max}`;
  return {
    parse(text) {
      const t = String(text).trim();
      const v = Number(t);
      if (!NUMBER.test(t) || !Number.isFinite(v) || v > max || v < min || (minOpen && v === min)) {
        return { error: `expected a number ${range}` };
      }
      return { value: v };
    },
    serialise: String,
  };
}

function enumField(values) {
  return {
    parse(text) {
      const t = String(text).trim();
      return values.includes(t) ? { value: t } : { error: `expected one of ${values.join(', ')}` };
    },
    serialise: String,
  };
}

const boolField = {
  parse(text) {
    const t = String(text).trim();
    if (t === '1' || t === 'true') return { value: true };
    if (t === '0' || t === 'false' || t === '') return { value: false };
    return { error: 'expected 1 or 0' };
  },
  serialise: (v) => (v ? '1' : '0'),
};

const stepField = {
  parse(text) {
    const t = String(text).trim();
    if (t === 'auto') return { value: 'auto' };
    const v = Number(t);
    if (!NUMBER.test(t) || !Number.isFinite(v) || v <= 0) {
      return { error: "expected 'auto' or a number above 0" };
    }
    return { value: v };
  },
  serialise: String,
};

const speedField = {
  parse(text) {
    const t = String(text).trim();
    if (t === 'auto' || t === 'max') return { value: t };
    const v = Number(t);
    if (!/^\d+$/.test(t) || v < 1 || v > 100_000) return { error: "expected 'auto', 'max' or iterations per frame from 1 to 100000" };
    return { value: v };
  },
  serialise: String,
};

const layersField = {
  parse(text) {
    const t = String(text).replace(/\s+/g, '');
    if (t === '') return { value: [] };
    const parts = t.split(',');
    const widths = parts.map(Number);
    if (
      parts.length > MAX_LAYERS ||
      parts.some((p) => !/^\d+$/.test(p)) ||
      widths.some((w) => w < 1 || w > MAX_WIDTH)
    ) {
      return {
        error: `expected up to ${MAX_LAYERS} widths from 1 to ${MAX_WIDTH} separated by commas, e.g. 8,8 (empty: no hidden layer)`,
      };
    }
    return { value: widths };
  },
  serialise: (v) => v.join(','),
};

const hideField = {
  parse(text) {
    const t = String(text).replace(/\s+/g, '');
    if (t === '') return { value: [] };
    const names = t.split(',');
    const unknown = names.filter((n) => !HIDEABLE.includes(n));
    if (unknown.length) return { error: `unknown names ${unknown.join(', ')}; expected some of ${HIDEABLE.join(', ')}` };
    return { value: [...new Set(names)] };
  },
  serialise: (v) => v.join(','),
};

// `run: true` marks values that change the computed numbers; only those go
// into a run's identity (a sparsity sweep ignores s).
export const FIELDS = {
  data: { default: 'iris', run: true, ...enumField(['iris', 'csv']) },
  s: { default: 5, run: true, ...intField(1, 1_000_000) },
  step: { default: 'auto', run: true, ...stepField },
  stepFactor: { default: 0.9, run: true, ...numberField(0, 1, { minOpen: true }) },
  iters: { default: 1000, run: true, ...intField(1, 100_000) },
  seed: { default: 1, run: true, ...intField(0, Number.MAX_SAFE_INTEGER) },
  hidden: { default: [], run: true, ...layersField },
  activation: { default: 'tanh', run: true, ...enumField(ACTIVATIONS) },
  samples: { default: 1000, run: true, ...intField(1, 100_000) },
  testFraction: { default: 0.2, run: true, ...numberField(0, 0.9) },
  // Iterations per animation frame: 'auto' spreads a run over about a second
  // so the curves and support changes can be watched; 'max' as fast as the
  // worker goes.
  speed: { default: 'auto', run: false, ...speedField },
  embed: { default: false, run: false, ...boolField },
  hide: { default: [], run: false, ...hideField },
  // ?debug=1 puts a handle for tests and the console on window.sparseIhtDebug (README).
  debug: { default: false, run: false, ...boolField },
};

export const KEYS = Object.keys(FIELDS);

export function defaultState() {
  const state = {};
  for (const key of KEYS) {
    const d = FIELDS[key].default;
    state[key] = Array.isArray(d) ? [...d] : d;
  }
  return state;
}

/** Parses one value from text: { value } or { error }. */
export function parseField(key, text) {
  if (!Object.hasOwn(FIELDS, key)) return { error: `unknown setting '${key}'` };
  return FIELDS[key].parse(text);
}

export function serialiseField(key, value) {
  return FIELDS[key].serialise(value);
}

/**
 * Reads the state from a URL query. Unknown keys and invalid values fall back
 * to the defaults; each one gives a readable notice.
 */
export function stateFromQuery(search) {
  const state = defaultState();
  const notices = [];
  const params = new URLSearchParams(search);
  for (const [key, text] of params) {
    if (!Object.hasOwn(FIELDS, key)) {
      notices.push(`The link's setting '${key}' is unknown and was ignored.`);
      continue;
    }
    const parsed = FIELDS[key].parse(text);
    if ('error' in parsed) {
      notices.push(
        `The link's value ${key}=${text} is invalid (${parsed.error}); using the default ${key}=${serialiseField(key, FIELDS[key].default) || '(empty)'}.`,
      );
    } else {
      state[key] = parsed.value;
    }
  }
  return { state, notices };
}

/** The URL query for a state: every run value, and embed/hide only when set. */
export function stateToQuery(state) {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const text = serialiseField(key, state[key]);
    if (!FIELDS[key].run && text === serialiseField(key, FIELDS[key].default)) continue;
    params.set(key, text);
  }
  return params.toString().replaceAll('%2C', ',');
}

/**
 * Validates a partial state sent by a parent frame: a plain object whose keys
 * are all known and whose values (strings, numbers, booleans or arrays of
 * numbers/strings) all parse. Returns { values } or { error }.
 */
export function parsePartialState(input) {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { error: 'state must be an object' };
  }
  if (Object.getPrototypeOf(input) !== Object.prototype && Object.getPrototypeOf(input) !== null) {
    return { error: 'state must be a plain object' };
  }
  const values = {};
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(FIELDS, key)) return { error: `unknown setting '${key}'` };
    let raw = input[key];
    if (Array.isArray(raw) && raw.every((x) => typeof x === 'number' || typeof x === 'string')) raw = raw.join(',');
    if (typeof raw === 'boolean') raw = raw ? '1' : '0';
    if (typeof raw !== 'string' && typeof raw !== 'number') return { error: `${key}: unsupported value type` };
    const parsed = FIELDS[key].parse(String(raw));
    if ('error' in parsed) return { error: `${key}: ${parsed.error}` };
    values[key] = parsed.value;
  }
  return { values };
}

/** A key that changes whenever a run's numbers would change. */
export function runKey(state, { withS = true } = {}) {
  return KEYS.filter((k) => FIELDS[k].run && (withS || k !== 's'))
    .map((k) => `${k}=${serialiseField(k, state[k])}`)
    .join('&');
}

/**
 * The package options (sparse-iht Options) for a state, without the data, for
 * one of the package's calls: 'train' (createTrainer), 'sweep' (every s, so
 * no s) or 'l2s' (estimateL2s, which takes no step or iteration options).
 */
export function runOptions(state, call = 'train') {
  const common = {
    hidden: state.hidden.join(','),
    activation: state.activation,
    seed: state.seed,
    samples: state.samples,
    testFraction: state.testFraction,
  };
  if (call === 'l2s') return { s: state.s, ...common };
  const training = { ...common, step: state.step, stepFactor: state.stepFactor, iters: state.iters };
  return call === 'sweep' ? training : { s: state.s, ...training };
}
