// Every user-settable value of the page, in one typed table (after TensorFlow
// Playground's state.ts): its default, how it is parsed from text (URL query,
// form controls, a parent frame) and written back. The page's state is one
// plain object of these keys, mirrored in the URL so a link reproduces a run.
//
// The settings that are package options take their type, default and range
// from the core's option table (iht.options(), shipped to the page as
// lib/options.mjs); this file may only narrow a range, so that every link
// the page accepts is a run the package accepts. createState(table) builds
// the fields from the table.

// Controls and views an embedding page may hide with ?hide=a,b,c.
export const HIDEABLE = [
  'data', 's', 'step', 'iters', 'ridge', 'refine', 'stopWhenStable', 'seed', 'hidden', 'activation', 'samples',
  'testFraction', 'speed', 'cv', 'sGrid', 'exact',
  'train', 'stop', 'reset', 'sweep', 'export',
  'curves', 'sparsity', 'l2s', 'network', 'stability', 'confusion',
  // Teaching (issue #14): the Step button, Pin as A, opening a saved run; the
  // views of one IHT step, the A/B comparison and the code snippets.
  'stepOnce', 'pin', 'import',
  'ihtStep', 'compare', 'code',
];

// The number of panels of the guided lesson (lesson.js); ?lesson=k opens panel k.
export const LESSON_PANELS = 8;

// The page's narrowing of the package options it shows, in URL order. Hidden
// layers are capped so the network drawing stays readable in a lecture;
// iterations and samples so that a link cannot freeze a student's laptop.
// A ridge above 10 would swamp the data loss on any data set the page is for.
// cv, sGrid and exact are options of the sweep only: K folds (0 = none; one
// fold cannot validate, so 1 is refused), the path's values of s (at most 100,
// so that a link cannot ask a laptop for thousands of trainings) and the
// enumeration of every support. A list's `list` names its items in messages.
const PAGE_OPTIONS = {
  s: { max: 1_000_000 },
  step: {},
  stepFactor: {},
  iters: { max: 100_000 },
  ridge: { max: 10 },
  refine: {},
  stopWhenStable: {},
  seed: {},
  hidden: { maxItems: 4, max: 64, list: { items: 'widths', example: '8,8', empty: 'no hidden layer' } },
  activation: {},
  samples: { max: 100_000 },
  testFraction: { max: 0.9, maxExclusive: false },
  cv: { exclude: [1] },
  sGrid: { maxItems: 100, max: 1_000_000, list: { items: 'values of s', example: '1,2,5,10,50', empty: 'the default grid' } },
  exact: {},
};

const INT = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function intField(min, max, exclude = []) {
  const other = exclude.length ? ` other than ${exclude.join(', ')}` : '';
  return {
    parse(text) {
      const t = String(text).trim();
      const v = Number(t);
      if (!INT.test(t) || !Number.isSafeInteger(v) || v < min || v > max || exclude.includes(v)) {
        return { error: `expected an integer from ${min} to ${max}${other}` };
      }
      return { value: v };
    },
    serialise: String,
    min,
    max,
  };
}

// A number in a range, or (for the step) one of some words. Either end may
// be open or absent (±Infinity).
function numberField(min, max, { minOpen, maxOpen, words }) {
  const lower = `${minOpen ? 'above' : 'from'} ${min}`;
  const upper = `${maxOpen ? 'below' : 'at most'} ${max}`;
  let range = '';
  if (Number.isFinite(min) && Number.isFinite(max)) {
    range = minOpen || maxOpen ? ` ${lower} and ${upper}` : ` from ${min} to ${max}`;
  } else if (Number.isFinite(min)) {
    range = ` ${lower}`;
  } else if (Number.isFinite(max)) {
    range = ` ${upper}`;
  }
  const quoted = words.map((w) => `'${w}'`).join(', ');
  const expected = words.length ? `${quoted} or a number${range}` : `a number${range}`;
  return {
    parse(text) {
      const t = String(text).trim();
      if (words.includes(t)) return { value: t };
      const v = Number(t);
      if (!NUMBER.test(t) || !Number.isFinite(v) || v > max || v < min || (minOpen && v === min) || (maxOpen && v === max)) {
        return { error: `expected ${expected}` };
      }
      return { value: v };
    },
    serialise: String,
    min,
    max,
    minOpen,
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

// A comma-separated list of integers (hidden layer widths, the path's values
// of s); `words` names the items, gives an example and says what empty means.
function listField(maxItems, min, max, words) {
  return {
    parse(text) {
      const t = String(text).replace(/\s+/g, '');
      if (t === '') return { value: [] };
      const parts = t.split(',');
      const values = parts.map(Number);
      if (parts.length > maxItems || parts.some((p) => !/^\d+$/.test(p)) || values.some((w) => w < min || w > max)) {
        return {
          error: `expected up to ${maxItems} ${words.items} from ${min} to ${max} separated by commas, e.g. ${words.example} (empty: ${words.empty})`,
        };
      }
      return { value: values };
    },
    serialise: (v) => v.join(','),
    // The range of each item.
    min,
    max,
    maxItems,
  };
}

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

// The field of a package option: its table entry narrowed by the page.
function optionField(spec, narrow) {
  const tighter = (a, b, pick) => (a === undefined ? b : b === null ? a : pick(a, b));
  const min = tighter(narrow.min, spec.min, Math.max) ?? -Infinity;
  const max = tighter(narrow.max, spec.max, Math.min) ?? Infinity;
  const maxOpen = narrow.maxExclusive ?? (max === spec.max && spec.maxExclusive);
  const minOpen = min === spec.min && spec.minExclusive;
  switch (spec.type) {
    case 'integer':
      return intField(minOpen ? min + 1 : min, maxOpen ? max - 1 : max, narrow.exclude ?? []);
    case 'number':
      return numberField(min, max, { minOpen, maxOpen, words: spec.choices ?? [] });
    case 'choice':
      return enumField(spec.choices);
    case 'integer-list':
      if (!narrow.list) throw new Error(`state.js: the list option '${spec.name}' needs words for its messages`);
      return listField(Math.min(narrow.maxItems ?? Infinity, spec.maxItems), min, max, narrow.list);
    case 'boolean':
      return boolField;
    default:
      throw new Error(`state.js: no page field for the ${spec.type} option '${spec.name}'`);
  }
}

/**
 * The page's state functions for the package's option table (lib/options.mjs,
 * the same as iht.options()). Throws when the table lacks an option the page
 * shows, or a default falls outside the page's narrower range.
 */
export function createState(optionTable) {
  const specs = new Map(optionTable.map((o) => [o.name, o]));
  const optionFields = {};
  for (const [key, narrow] of Object.entries(PAGE_OPTIONS)) {
    const spec = specs.get(key);
    if (!spec) throw new Error(`state.js: the package has no option '${key}'`);
    const field = optionField(spec, narrow);
    const d = spec.default;
    if ('error' in field.parse(Array.isArray(d) ? d.join(',') : String(d))) {
      throw new Error(`state.js: the default ${key}=${d} is outside the page's range`);
    }
    // sweepOnly: an option of the sweep alone (the option table says which
    // calls take it); changing it marks a sweep stale but trains nothing.
    const sweepOnly = !spec.commands.includes('train');
    optionFields[key] = { default: d, run: true, sweepOnly, option: spec, ...field };
  }

  // `run: true` marks values that change the computed numbers; only those go
  // into a run's identity (a sparsity sweep ignores s).
  const FIELDS = {
    // The built-in IRIS and digits (8 × 8 images), or the CSV file loaded in this tab.
    data: { default: 'iris', run: true, ...enumField(['iris', 'digits', 'csv']) },
    ...optionFields,
    // Iterations per animation frame: 'auto' spreads a run over about a second
    // so the curves and support changes can be watched; 'max' as fast as the
    // worker goes.
    speed: { default: 'auto', run: false, ...speedField },
    embed: { default: false, run: false, ...boolField },
    hide: { default: [], run: false, ...hideField },
    // ?debug=1 puts a handle for tests and the console on window.sparseIhtDebug (README).
    debug: { default: false, run: false, ...boolField },
    // ?lesson=k shows the guided lesson at panel k (0: no lesson).
    lesson: { default: 0, run: false, ...intField(0, LESSON_PANELS) },
  };
  const KEYS = Object.keys(FIELDS);
  function defaultState() {
    const state = {};
    for (const key of KEYS) {
      const d = FIELDS[key].default;
      state[key] = Array.isArray(d) ? [...d] : d;
    }
    return state;
  }

  /** Parses one value from text: { value } or { error }. */
  function parseField(key, text) {
    if (!Object.hasOwn(FIELDS, key)) return { error: `unknown setting '${key}'` };
    return FIELDS[key].parse(text);
  }

  function serialiseField(key, value) {
    return FIELDS[key].serialise(value);
  }

  /**
   * Reads the state from a URL query. Unknown keys and invalid values fall back
   * to the defaults; each one gives a readable notice.
   */
  function stateFromQuery(search) {
    const state = defaultState();
    const notices = [];
    const params = new URLSearchParams(search);
    for (const [key, text] of params) {
      // a.s, a.step, …: run A of an A/B comparison, read by ab-compare.js.
      if (key.startsWith('a.')) continue;
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
  function stateToQuery(state) {
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
  function parsePartialState(input) {
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

  /**
   * A key that changes whenever a run's numbers would change: a training's
   * (withS, the default), which leaves out the sweep's own options, or a
   * sweep's (withS: false), which leaves out s.
   */
  function runKey(state, { withS = true } = {}) {
    return KEYS.filter((k) => FIELDS[k].run && (withS ? !FIELDS[k].sweepOnly : k !== 's'))
      .map((k) => `${k}=${serialiseField(k, state[k])}`)
      .join('&');
  }

  /**
   * The package options (sparse-iht Options) for a state, without the data, for
   * one of the package's calls: 'train' (createTrainer), 'sweep' (every s, so
   * no s) or 'l2s' (estimateL2s): the page's options that the call takes, as
   * the option table says.
   */
  function runOptions(state, call = 'train') {
    const command = { train: 'train', sweep: 'sweep', l2s: 'lipschitz' }[call];
    const options = {};
    for (const key of Object.keys(optionFields)) {
      if (!FIELDS[key].option.commands.includes(command)) continue;
      options[key] = Array.isArray(state[key]) ? state[key].join(',') : state[key];
    }
    return options;
  }

  return {
    FIELDS,
    KEYS,
    defaultState,
    parseField,
    serialiseField,
    stateFromQuery,
    stateToQuery,
    parsePartialState,
    runKey,
    runOptions,
  };
}
