// The demo page's URL state (web/state.js) as a contract: a query string in,
// a state and readable notices out; a state in, the query that reproduces it
// out; a parent frame's partial state accepted or refused with a reason; and
// the package options a state runs with. Every range is probed on both sides
// of each end, because an off-by-one there silently changes which links work.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { OPTIONS as TABLE } from '../../dist/options.mjs';
import { isRunOptions } from '../../web/protocol.js';
import { createState } from '../../web/state.js';

// The page's state for the package's option table, as main.js builds it.
const {
  FIELDS,
  defaultState,
  parseField,
  parsePartialState,
  runKey,
  runOptions,
  serialiseField,
  stateFromQuery,
  stateToQuery,
} = createState(TABLE);

// What web/README.md documents, written out here so that a changed default
// or a dropped name is a visible change of the contract.
const DEFAULTS = {
  data: 'iris',
  s: 5,
  step: 'auto',
  stepFactor: 0.9,
  iters: 1000,
  ridge: 0,
  refine: false,
  stopWhenStable: false,
  seed: 1,
  hidden: [],
  activation: 'tanh',
  samples: 1000,
  testFraction: 0.2,
  cv: 0,
  sGrid: [],
  exact: false,
  speed: 'auto',
  embed: false,
  hide: [],
  debug: false,
  lesson: 0,
};
const DEFAULT_QUERY =
  'data=iris&s=5&step=auto&stepFactor=0.9&iters=1000&ridge=0&refine=0&stopWhenStable=0&seed=1&hidden=&activation=tanh' +
  '&samples=1000&testFraction=0.2&cv=0&sGrid=&exact=0';
const HIDEABLE_NAMES = [
  'data', 's', 'step', 'iters', 'ridge', 'refine', 'stopWhenStable', 'seed', 'hidden', 'activation', 'samples',
  'testFraction', 'speed', 'cv', 'sGrid', 'exact',
  'train', 'stop', 'reset', 'sweep', 'export',
  'curves', 'sparsity', 'l2s', 'network', 'stability', 'confusion',
  'stepOnce', 'pin', 'import', 'ihtStep', 'compare', 'code',
];

const INT_RANGE = (min, max) => `expected an integer from ${min} to ${max}`;
const LAYERS_ERROR = 'expected up to 4 widths from 1 to 64 separated by commas, e.g. 8,8 (empty: no hidden layer)';
const GRID_ERROR = 'expected up to 100 values of s from 1 to 1000000 separated by commas, e.g. 1,2,5,10,50 (empty: the default grid)';

/** Asserts that `text` parses as `key` to exactly `value`. */
function accepts(key, text, value) {
  assert.deepStrictEqual(parseField(key, text), { value }, `${key}=${JSON.stringify(text)}`);
}

/** Asserts that `text` is refused for `key` with exactly `error`. */
function refuses(key, text, error) {
  assert.deepStrictEqual(parseField(key, text), { error }, `${key}=${JSON.stringify(text)}`);
}

describe('defaults', () => {
  test('defaultState() is the documented state', () => {
    assert.deepStrictEqual(defaultState(), DEFAULTS);
  });

  test('each defaultState() owns its arrays', () => {
    const first = defaultState();
    first.hidden.push(8);
    first.hide.push('seed');
    assert.deepStrictEqual(defaultState().hidden, []);
    assert.deepStrictEqual(defaultState().hide, []);
    assert.deepStrictEqual(stateFromQuery('').state, DEFAULTS);
  });

  test('an empty query gives the defaults and no notice', () => {
    for (const search of ['', '?']) {
      assert.deepStrictEqual(stateFromQuery(search), { state: DEFAULTS, notices: [] });
    }
  });

  test('the default state serialises to every run value, in a stable order', () => {
    assert.equal(stateToQuery(defaultState()), DEFAULT_QUERY);
  });
});

describe('integer fields: both sides of each end of the range', () => {
  const RANGES = [
    ['s', 1, 1_000_000],
    ['iters', 1, 100_000],
    ['samples', 1, 100_000],
    ['seed', 0, Number.MAX_SAFE_INTEGER],
  ];
  for (const [key, min, max] of RANGES) {
    test(`${key}: ${min} … ${max}`, () => {
      accepts(key, String(min), min);
      accepts(key, String(max), max);
      refuses(key, String(min - 1), INT_RANGE(min, max));
      // max + 1 is not exact above 2^53; BigInt writes the intended digits.
      refuses(key, String(BigInt(max) + 1n), INT_RANGE(min, max));
    });
  }

  test('cv: 0 (none) or 2 … 20 folds; one fold cannot validate', () => {
    const error = 'expected an integer from 0 to 20 other than 1';
    for (const k of [0, 2, 3, 5, 10, 20]) accepts('cv', String(k), k);
    for (const text of ['1', '-1', '21', '3.5', 'three', '']) refuses('cv', text, error);
  });

  test('integer syntax: a sign and surrounding spaces are allowed, nothing else', () => {
    accepts('s', '+7', 7);
    accepts('s', ' 7 ', 7);
    accepts('s', '12', 12);
    for (const text of ['', ' ', '7x', 'x7', '7.0', '7.5', '1e3', '0x10', '7 7', '--7', 'Infinity', 'NaN']) {
      refuses('s', text, INT_RANGE(1, 1_000_000));
    }
  });
});

describe('number fields', () => {
  test('stepFactor: above 0 (open) and at most 1 (closed)', () => {
    const error = 'expected a number above 0 and at most 1';
    accepts('stepFactor', '1', 1);
    accepts('stepFactor', '0.5', 0.5);
    accepts('stepFactor', '1e-9', 1e-9);
    accepts('stepFactor', '5e-324', 5e-324);
    for (const text of ['0', '0.0', '-0', '+0', '1.0000001', '-0.5', '2', '1e999']) refuses('stepFactor', text, error);
  });

  test('ridge: from 0 to 10, both closed (the package takes any λ ≥ 0; the page stops at 10)', () => {
    const error = 'expected a number from 0 to 10';
    accepts('ridge', '0', 0);
    accepts('ridge', '0.01', 0.01);
    accepts('ridge', '1e-2', 0.01);
    accepts('ridge', '10', 10);
    for (const text of ['-0.0001', '-1', '10.000001', '11', '1e999', '', 'none', 'NaN']) refuses('ridge', text, error);
  });

  test('testFraction: from 0 to 0.9, both closed', () => {
    const error = 'expected a number from 0 to 0.9';
    accepts('testFraction', '0', 0);
    accepts('testFraction', '0.9', 0.9);
    accepts('testFraction', '0.25', 0.25);
    for (const text of ['0.9000001', '-0.0001', '1', '-1e999']) refuses('testFraction', text, error);
  });

  test('number syntax: decimals and exponents; no hex, words or empty text', () => {
    const error = 'expected a number from 0 to 0.9';
    accepts('testFraction', '.5', 0.5);
    accepts('testFraction', '.25', 0.25);
    accepts('testFraction', '0.', 0);
    accepts('testFraction', '+0.3', 0.3);
    accepts('testFraction', '2e-1', 0.2);
    accepts('testFraction', '2E-1', 0.2);
    accepts('testFraction', '0.02e+1', 0.2);
    accepts('testFraction', ' 0.3 ', 0.3);
    // Number() reads each of these as 0 or a small number, the pattern must not.
    const REFUSED = ['', ' ', '0x0', '0b1', '0o0', '.', 'e1', '1e', '0.1.2', '0,5', 'NaN', 'Infinity', 'x0.1', '0.1x'];
    for (const text of REFUSED) refuses('testFraction', text, error);
  });
});

describe('step, speed and the enumerations', () => {
  test("step: 'auto' or any finite number above 0", () => {
    const error = "expected 'auto', 'bound', 'backtracking', 'normalized', 'estimate' or a number above 0";
    accepts('step', 'auto', 'auto');
    accepts('step', ' auto ', 'auto');
    accepts('step', 'bound', 'bound');
    accepts('step', 'estimate', 'estimate');
    accepts('step', 'backtracking', 'backtracking');
    accepts('step', 'normalized', 'normalized');
    accepts('step', '0.5', 0.5);
    accepts('step', '1e-300', 1e-300);
    accepts('step', '1e300', 1e300);
    for (const text of ['0', '-0', '-1', '1e999', 'Infinity', 'NaN', '', 'AUTO', 'fast', '0x1', 'auto1', 'Bound', 'Backtracking', 'normalised']) {
      refuses('step', text, error);
    }
  });

  test("speed: 'auto', 'max' or 1 … 100000 iterations per frame", () => {
    const error = "expected 'auto', 'max' or iterations per frame from 1 to 100000";
    accepts('speed', 'auto', 'auto');
    accepts('speed', 'max', 'max');
    accepts('speed', ' max ', 'max');
    accepts('speed', '1', 1);
    accepts('speed', '100000', 100000);
    accepts('speed', '25', 25);
    for (const text of ['0', '100001', '+5', '-1', '1.5', '1e3', '', 'fast', 'x5', '5x']) refuses('speed', text, error);
  });

  test('activation and data: only the listed names, exactly', () => {
    for (const name of ['tanh', 'relu', 'sigmoid']) accepts('activation', name, name);
    accepts('activation', ' relu ', 'relu');
    for (const text of ['swish', 'RELU', '', 'tanh,relu']) {
      refuses('activation', text, 'expected one of tanh, relu, sigmoid');
    }
    accepts('data', 'iris', 'iris');
    accepts('data', 'digits', 'digits');
    accepts('data', 'csv', 'csv');
    for (const text of ['mnist', 'IRIS', 'Digits', '']) refuses('data', text, 'expected one of iris, digits, csv');
  });

  test("flags: '1'/'true' on, '0'/'false'/empty off, anything else refused", () => {
    for (const key of ['embed', 'debug', 'refine', 'stopWhenStable', 'exact']) {
      accepts(key, '1', true);
      accepts(key, 'true', true);
      accepts(key, ' 1 ', true);
      accepts(key, '0', false);
      accepts(key, 'false', false);
      accepts(key, '', false);
      for (const text of ['yes', '2', 'TRUE', 'on']) refuses(key, text, 'expected 1 or 0');
    }
    for (const key of ['embed', 'refine', 'stopWhenStable', 'exact']) {
      assert.equal(serialiseField(key, true), '1');
      assert.equal(serialiseField(key, false), '0');
    }
  });
});

describe('lists', () => {
  test('hidden: up to 4 widths from 1 to 64, spaces ignored, empty for none', () => {
    accepts('hidden', '', []);
    accepts('hidden', ' ', []);
    accepts('hidden', '8', [8]);
    accepts('hidden', '8,8', [8, 8]);
    accepts('hidden', ' 8 , 16 ', [8, 16]);
    accepts('hidden', '1,64,1,64', [1, 64, 1, 64]);
    for (const text of ['1,2,3,4,5', '0', '65', '8,0', '8,65', '8,,8', ',8', '8,', '8.5', '-1', '+8', 'a', '8;8', '1e1',
      '8,x', '8,+8', '8,0x8']) {
      refuses('hidden', text, LAYERS_ERROR);
    }
    assert.equal(serialiseField('hidden', [8, 16]), '8,16');
    assert.equal(serialiseField('hidden', []), '');
  });

  test('sGrid: up to 100 values of s from 1 to 1,000,000, empty for the default grid; a sweep-only option', () => {
    accepts('sGrid', '', []);
    accepts('sGrid', '5', [5]);
    accepts('sGrid', ' 1, 2 ,5,10 ', [1, 2, 5, 10]);
    // The order is the user's; the sweep sorts the grid and drops repeats.
    accepts('sGrid', '9,3,3', [9, 3, 3]);
    accepts('sGrid', Array.from({ length: 100 }, (_, i) => i + 1).join(','), Array.from({ length: 100 }, (_, i) => i + 1));
    accepts('sGrid', '1000000', [1000000]);
    for (const text of [Array.from({ length: 101 }, (_, i) => i + 1).join(','), '0', '1000001', '1,,2', ',1', '1,',
      '2.5', '-1', '+3', 'five', '1;2', '1e2']) {
      refuses('sGrid', text, GRID_ERROR);
    }
    assert.equal(serialiseField('sGrid', [1, 2, 5]), '1,2,5');
    assert.equal(serialiseField('sGrid', []), '');
    assert.equal(FIELDS.sGrid.sweepOnly, true);
    assert.deepStrictEqual(runOptions({ ...DEFAULTS, sGrid: [2, 5] }, 'sweep').sGrid, '2,5');
    assert.equal('sGrid' in runOptions({ ...DEFAULTS, sGrid: [2, 5] }, 'train'), false);
    // A different grid is a different path; it leaves a training run's identity alone.
    assert.notEqual(runKey({ ...DEFAULTS, sGrid: [2, 5] }, { withS: false }), runKey(DEFAULTS, { withS: false }));
    assert.equal(runKey({ ...DEFAULTS, sGrid: [2, 5] }), runKey(DEFAULTS));
  });

  test('hide: every documented name, duplicates dropped, unknown names listed', () => {
    accepts('hide', '', []);
    accepts('hide', HIDEABLE_NAMES.join(','), HIDEABLE_NAMES);
    for (const name of HIDEABLE_NAMES) accepts('hide', name, [name]);
    accepts('hide', 'seed, samples,seed', ['seed', 'samples']);
    const expected = `expected some of ${HIDEABLE_NAMES.join(', ')}`;
    refuses('hide', 'seed,bogus,x', `unknown names bogus, x; ${expected}`);
    refuses('hide', 'toString', `unknown names toString; ${expected}`);
    assert.equal(serialiseField('hide', ['seed', 'samples']), 'seed,samples');
  });
});

describe('parseField', () => {
  test('an unknown key is refused by name, inherited property names included', () => {
    for (const key of ['nope', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      assert.deepStrictEqual(parseField(key, '1'), { error: `unknown setting '${key}'` });
    }
  });
});

describe('stateFromQuery: a link in, a state and notices out', () => {
  test('valid values replace the defaults; the rest stay', () => {
    const { state, notices } = stateFromQuery(
      '?s=7&step=0.25&stepFactor=0.5&iters=300&ridge=0.01&refine=1&stopWhenStable=true&seed=42&hidden=8,8' +
      '&activation=relu&samples=50&testFraction=0&cv=5&sGrid=2,5,9&exact=1&data=csv&speed=max&embed=1&hide=seed,samples&debug=true&lesson=3',
    );
    assert.deepStrictEqual(notices, []);
    assert.deepStrictEqual(state, {
      data: 'csv', s: 7, step: 0.25, stepFactor: 0.5, iters: 300, ridge: 0.01, refine: true, stopWhenStable: true,
      seed: 42, hidden: [8, 8],
      activation: 'relu', samples: 50, testFraction: 0, cv: 5, sGrid: [2, 5, 9], exact: true, speed: 'max', embed: true, hide: ['seed', 'samples'],
      debug: true, lesson: 3,
    });
    assert.deepStrictEqual(stateFromQuery('s=9').state, { ...DEFAULTS, s: 9 });
    assert.deepStrictEqual(stateFromQuery('?hidden=8%2C4').state.hidden, [8, 4]);
    assert.deepStrictEqual(stateFromQuery('?step=backtracking&ridge=1e-2').state, { ...DEFAULTS, step: 'backtracking', ridge: 0.01 });
  });

  test('an unknown key is ignored with a notice, and reading goes on', () => {
    assert.deepStrictEqual(stateFromQuery('?foo=1&s=7&toString=2'), {
      state: { ...DEFAULTS, s: 7 },
      notices: [
        "The link's setting 'foo' is unknown and was ignored.",
        "The link's setting 'toString' is unknown and was ignored.",
      ],
    });
  });

  test('an invalid number of folds or exact flag keeps its default, with a notice', () => {
    assert.deepStrictEqual(stateFromQuery('?cv=1&exact=yes&seed=3'), {
      state: { ...DEFAULTS, seed: 3 },
      notices: [
        "The link's value cv=1 is invalid (expected an integer from 0 to 20 other than 1); using the default cv=0.",
        "The link's value exact=yes is invalid (expected 1 or 0); using the default exact=0.",
      ],
    });
    assert.deepStrictEqual(stateFromQuery('?cv=21').state, DEFAULTS);
  });

  test('an invalid ridge or flag keeps its default, with a notice', () => {
    assert.deepStrictEqual(stateFromQuery('?ridge=-1&refine=yes&stopWhenStable=2'), {
      state: DEFAULTS,
      notices: [
        "The link's value ridge=-1 is invalid (expected a number from 0 to 10); using the default ridge=0.",
        "The link's value refine=yes is invalid (expected 1 or 0); using the default refine=0.",
        "The link's value stopWhenStable=2 is invalid (expected 1 or 0); using the default stopWhenStable=0.",
      ],
    });
  });

  test('an invalid value keeps the default and names the value, the reason and the default', () => {
    assert.deepStrictEqual(stateFromQuery('?s=0&seed=3&activation=swish'), {
      state: { ...DEFAULTS, seed: 3 },
      notices: [
        `The link's value s=0 is invalid (${INT_RANGE(1, 1_000_000)}); using the default s=5.`,
        "The link's value activation=swish is invalid (expected one of tanh, relu, sigmoid); " +
          'using the default activation=tanh.',
      ],
    });
  });

  test('an empty default is shown as (empty), a list default as its text', () => {
    assert.deepStrictEqual(stateFromQuery('?hidden=0&hide=x&step=0').notices, [
      `The link's value hidden=0 is invalid (${LAYERS_ERROR}); using the default hidden=(empty).`,
      `The link's value hide=x is invalid (unknown names x; expected some of ${HIDEABLE_NAMES.join(', ')}); ` +
        'using the default hide=(empty).',
      "The link's value step=0 is invalid (expected 'auto', 'bound', 'backtracking', 'normalized', 'estimate' or a number above 0); using the default step=auto.",
    ]);
  });
});

describe('stateToQuery: a state in, the link that reproduces it out', () => {
  test('view settings appear only when they differ from their defaults', () => {
    const state = { ...defaultState(), speed: 'max', embed: true, hide: ['seed', 'samples'], debug: true };
    assert.equal(stateToQuery(state), `${DEFAULT_QUERY}&speed=max&embed=1&hide=seed,samples&debug=1`);
    assert.equal(stateToQuery({ ...defaultState(), speed: 40 }), `${DEFAULT_QUERY}&speed=40`);
  });

  test('run values always appear, even at their defaults; commas stay readable', () => {
    const state = { ...defaultState(), s: 3, hidden: [8, 4], step: 0.5, activation: 'sigmoid' };
    assert.equal(
      stateToQuery(state),
      'data=iris&s=3&step=0.5&stepFactor=0.9&iters=1000&ridge=0&refine=0&stopWhenStable=0&seed=1&hidden=8,4' +
        '&activation=sigmoid&samples=1000&testFraction=0.2&cv=0&sGrid=&exact=0',
    );
    assert.match(stateToQuery({ ...defaultState(), ridge: 0.01, refine: true, stopWhenStable: true }),
      /&iters=1000&ridge=0\.01&refine=1&stopWhenStable=1&seed=1&/);
  });

  test('round trips: query(state) read back gives the same state and no notice', () => {
    const states = [
      defaultState(),
      { ...defaultState(), s: 1_000_000, seed: Number.MAX_SAFE_INTEGER, iters: 1, samples: 100_000 },
      { ...defaultState(), step: 1e-7, stepFactor: 1, testFraction: 0.9, hidden: [1, 64, 2, 3], activation: 'relu' },
      { ...defaultState(), data: 'csv', speed: 1, embed: true, hide: [...HIDEABLE_NAMES], debug: true },
      { ...defaultState(), testFraction: 0, seed: 0, step: 123.456, speed: 100_000 },
      { ...defaultState(), ridge: 0.01, refine: true, stopWhenStable: true },
      { ...defaultState(), ridge: 10, step: 'backtracking' },
      { ...defaultState(), ridge: 1e-7, step: 'normalized', refine: true },
      { ...defaultState(), cv: 20, exact: true },
      { ...defaultState(), cv: 2 },
      ...['auto', 'bound', 'backtracking', 'normalized', 'estimate'].map((step) => ({ ...defaultState(), step })),
    ];
    for (const state of states) {
      const query = stateToQuery(state);
      assert.deepStrictEqual(stateFromQuery(query), { state, notices: [] }, query);
      assert.deepStrictEqual(stateFromQuery(`?${query}`).state, state, query);
    }
  });
});

describe('parsePartialState: what a parent frame may send', () => {
  test('anything but a plain object is refused', () => {
    for (const input of [undefined, null, 5, 'x', true, [], [1]]) {
      assert.deepStrictEqual(parsePartialState(input), { error: 'state must be an object' }, String(input));
    }
    class Settings { constructor() { this.s = 3; } }
    for (const input of [new Settings(), new Map(), new Date(0), Object.create({ s: 3 })]) {
      assert.deepStrictEqual(parsePartialState(input), { error: 'state must be a plain object' });
    }
  });

  test('known keys with URL-style values, numbers, booleans and arrays are accepted', () => {
    assert.deepStrictEqual(parsePartialState({}), { values: {} });
    assert.deepStrictEqual(parsePartialState({ s: 7, seed: '3', step: 'auto', testFraction: 0.5 }), {
      values: { s: 7, seed: 3, step: 'auto', testFraction: 0.5 },
    });
    assert.deepStrictEqual(parsePartialState({ hidden: [8, 4], hide: ['seed', 'l2s'], embed: true, debug: false }), {
      values: { hidden: [8, 4], hide: ['seed', 'l2s'], embed: true, debug: false },
    });
    assert.deepStrictEqual(parsePartialState({ hidden: ['8', 4] }), { values: { hidden: [8, 4] } });
    assert.deepStrictEqual(parsePartialState({ ridge: 0.01, refine: true, stopWhenStable: '0', step: 'backtracking' }), {
      values: { ridge: 0.01, refine: true, stopWhenStable: false, step: 'backtracking' },
    });
    assert.deepStrictEqual(parsePartialState({ hidden: [] }), { values: { hidden: [] } });
    assert.deepStrictEqual(parsePartialState({ cv: 5, exact: true }), { values: { cv: 5, exact: true } });
    const bare = Object.create(null);
    bare.iters = 20;
    assert.deepStrictEqual(parsePartialState(bare), { values: { iters: 20 } });
  });

  test('an unknown key, a bad value or an unsupported type is refused, naming the key', () => {
    const CASES = [
      [{ nope: 1 }, "unknown setting 'nope'"],
      [JSON.parse('{"__proto__": 1}'), "unknown setting '__proto__'"],
      [{ toString: 1 }, "unknown setting 'toString'"],
      [{ s: 0 }, `s: ${INT_RANGE(1, 1_000_000)}`],
      [{ s: 2.5 }, `s: ${INT_RANGE(1, 1_000_000)}`],
      [{ embed: 2 }, 'embed: expected 1 or 0'],
      [{ refine: 'on' }, 'refine: expected 1 or 0'],
      [{ cv: 1 }, 'cv: expected an integer from 0 to 20 other than 1'],
      [{ exact: 'yes' }, 'exact: expected 1 or 0'],
      [{ ridge: 11 }, 'ridge: expected a number from 0 to 10'],
      [{ ridge: -0.5 }, 'ridge: expected a number from 0 to 10'],
      [{ hidden: [8, 65] }, `hidden: ${LAYERS_ERROR}`],
      [{ s: null }, 's: unsupported value type'],
      [{ s: undefined }, 's: unsupported value type'],
      [{ s: { value: 3 } }, 's: unsupported value type'],
      [{ hidden: [8, null] }, 'hidden: unsupported value type'],
      [{ hidden: [true] }, 'hidden: unsupported value type'],
      [{ hidden: [[8]] }, 'hidden: unsupported value type'],
      [{ s: 3, seed: -1, nope: 1 }, `seed: ${INT_RANGE(0, Number.MAX_SAFE_INTEGER)}`],
    ];
    for (const [input, error] of CASES) {
      assert.deepStrictEqual(parsePartialState(input), { error }, JSON.stringify(input));
    }
  });
});

describe('runKey and runOptions: what a run computes with', () => {
  test("runKey: a training's leaves out the sweep's own options; a sweep's (withS: false) leaves out s only", () => {
    const training = DEFAULT_QUERY.replace('&cv=0&sGrid=&exact=0', '');
    assert.equal(runKey(defaultState()), training);
    assert.equal(runKey(defaultState(), { withS: false }), DEFAULT_QUERY.replace('&s=5', ''));
    assert.equal(runKey({ ...defaultState(), hidden: [8, 4] }), training.replace('hidden=', 'hidden=8,4'));
    for (const [key, value] of Object.entries({ cv: 5, sGrid: [2, 5], exact: true })) {
      assert.equal(runKey({ ...defaultState(), [key]: value }), runKey(defaultState()), `${key} trains nothing new`);
      assert.notEqual(runKey({ ...defaultState(), [key]: value }, { withS: false }), runKey(defaultState(), { withS: false }),
        `${key} changes the sweep`);
    }
  });

  test('runKey changes with each run value and with nothing else', () => {
    const base = runKey(defaultState());
    const RUN_CHANGES = {
      data: 'csv', s: 6, step: 0.5, stepFactor: 0.5, iters: 10, ridge: 0.01, refine: true, stopWhenStable: true,
      seed: 2, hidden: [3], activation: 'relu', samples: 10, testFraction: 0.3,
    };
    for (const [key, value] of Object.entries(RUN_CHANGES)) {
      assert.notEqual(runKey({ ...defaultState(), [key]: value }), base, key);
    }
    for (const [key, value] of Object.entries({ speed: 'max', embed: true, hide: ['seed'], debug: true })) {
      assert.equal(runKey({ ...defaultState(), [key]: value }), base, key);
    }
    assert.equal(runKey({ ...defaultState(), s: 9 }, { withS: false }), runKey(defaultState(), { withS: false }));
  });

  test("runOptions gives each call exactly the package options it takes", () => {
    const state = {
      ...defaultState(), s: 4, hidden: [8, 4], activation: 'relu', seed: 7, samples: 50, testFraction: 0.1, step: 0.5,
      stepFactor: 0.8, iters: 30, ridge: 0.01, refine: true, stopWhenStable: true, speed: 'max', embed: true,
    };
    // The ridge changes the bracket on L₂ₛ too (upper adds λ), so estimateL2s takes it.
    const common = { hidden: '8,4', activation: 'relu', ridge: 0.01, seed: 7, samples: 50, testFraction: 0.1 };
    const training = { ...common, step: 0.5, stepFactor: 0.8, iters: 30, refine: true, stopWhenStable: true };
    assert.deepStrictEqual(runOptions(state), { s: 4, ...training });
    assert.deepStrictEqual(runOptions(state, 'train'), { s: 4, ...training });
    assert.deepStrictEqual(runOptions(state, 'sweep'), { ...training, cv: 0, sGrid: '', exact: false });
    assert.deepStrictEqual(runOptions({ ...state, cv: 5, sGrid: [2, 9], exact: true }, 'sweep'), { ...training, cv: 5, sGrid: '2,9', exact: true });
    assert.deepStrictEqual(runOptions({ ...state, cv: 5, sGrid: [2, 9], exact: true }, 'train'), { s: 4, ...training });
    assert.deepStrictEqual(runOptions(state, 'l2s'), { s: 4, ...common });
    assert.deepStrictEqual(runOptions(defaultState(), 'l2s'), {
      s: 5, ridge: 0, hidden: '', activation: 'tanh', seed: 1, samples: 1000, testFraction: 0.2,
    });
  });

  test('the options of every call pass the worker protocol', () => {
    const links = [
      '?hidden=8,8&step=0.1&seed=9007199254740991',
      '?step=backtracking&ridge=10&refine=1&stopWhenStable=1',
      '?step=normalized&ridge=0.01',
      '?cv=10&exact=1&ridge=0.01',
    ];
    for (const state of [defaultState(), ...links.map((link) => stateFromQuery(link).state)]) {
      for (const call of ['train', 'sweep', 'l2s']) {
        assert.ok(isRunOptions(runOptions(state, call), TABLE), `${call}: ${JSON.stringify(runOptions(state, call))}`);
      }
    }
  });
});

describe('the option table decides the package settings', () => {
  test('every package setting takes its default and its type from the table, and only narrows its range', () => {
    const { FIELDS } = createState(TABLE);
    const byName = new Map(TABLE.map((o) => [o.name, o]));
    let options = 0;
    for (const [key, field] of Object.entries(FIELDS)) {
      const spec = byName.get(key);
      if (!field.option) continue;
      options += 1;
      assert.equal(field.option, spec, key);
      assert.deepEqual(field.default, spec.default, key);
      if (spec.min !== null) assert.ok(field.min >= spec.min, `${key}: min ${field.min} narrows ${spec.min}`);
      if (spec.max !== null) assert.ok(field.max <= spec.max, `${key}: max ${field.max} narrows ${spec.max}`);
    }
    assert.equal(options, 15, 'the page shows fifteen package options');
  });

  test('a changed default or range in the table changes the page', () => {
    const table = TABLE.map((o) => (o.name === 'iters' ? { ...o, default: 500, max: 2000 } : o));
    const { defaultState: defaults, parseField: parse } = createState(table);
    assert.equal(defaults().iters, 500);
    assert.deepEqual(parse('iters', '2000'), { value: 2000 });
    assert.match(parse('iters', '2001').error, /from 1 to 2000/);
    const words = TABLE.map((o) => (o.name === 'step' ? { ...o, choices: ['auto', 'normalized'] } : o));
    assert.deepEqual(createState(words).parseField('step', 'normalized'), { value: 'normalized' });
    assert.ok('error' in createState(words).parseField('step', 'bound'), 'a word the table drops is refused');
  });

  test("open and absent ends in the table give the page's ranges and words", () => {
    const change = (name, fields) => createState(TABLE.map((o) => (o.name === name ? { ...o, ...fields } : o)));
    // An integer whose ends the table excludes: the page takes 1 … 4,999.
    const iters = change('iters', { min: 0, minExclusive: true, max: 5000, maxExclusive: true }).parseField;
    assert.deepEqual(iters('iters', '1'), { value: 1 });
    assert.deepEqual(iters('iters', '4999'), { value: 4999 });
    for (const text of ['0', '5000']) assert.deepEqual(iters('iters', text), { error: INT_RANGE(1, 4999) });
    // Its open end lies beyond the page's own cap: the cap is closed.
    const capped = change('iters', { max: 200_000, maxExclusive: true }).parseField;
    assert.deepEqual(capped('iters', '100000'), { value: 100000 });
    // A number open at the top: 5 itself is refused, and the words say so.
    const ridge = change('ridge', { max: 5, maxExclusive: true }).parseField;
    assert.deepEqual(ridge('ridge', '4.99'), { value: 4.99 });
    assert.deepEqual(ridge('ridge', '5'), { error: 'expected a number from 0 and below 5' });
    // No lower end: anything up to the top.
    const below = change('ridge', { min: null, max: 5 }).parseField;
    assert.deepEqual(below('ridge', '-3'), { value: -3 });
    assert.deepEqual(below('ridge', '6'), { error: 'expected a number at most 5' });
    // No end at all.
    const free = change('stepFactor', { min: null, max: null, minExclusive: false, maxExclusive: false }).parseField;
    assert.deepEqual(free('stepFactor', '-7'), { value: -7 });
    assert.deepEqual(free('stepFactor', 'c'), { error: 'expected a number' });
    // The page's own integer field without exclusions (the lesson panel) names no exception.
    assert.deepEqual(parseField('lesson', '9'), { error: INT_RANGE(0, 8) });
  });

  test('a list default from the table is checked whole and copied into each state', () => {
    const { defaultState: defaults } = createState(TABLE.map((o) => (o.name === 'hidden' ? { ...o, default: [8, 8] } : o)));
    const first = defaults();
    assert.deepEqual(first.hidden, [8, 8]);
    first.hidden.push(4);
    assert.deepEqual(defaults().hidden, [8, 8], 'each state has its own copy');
  });

  test('a table type the page has no field for, or a list without words, is refused by name', () => {
    const retype = (type) => TABLE.map((o) => (o.name === 'samples' ? { ...o, type } : o));
    assert.throws(() => createState(retype('matrix')), /^Error: state\.js: no page field for the matrix option 'samples'$/);
    assert.throws(() => createState(retype('integer-list')), /^Error: state\.js: the list option 'samples' needs words for its messages$/);
  });

  test('a table without a setting the page shows, or a default outside the page range, is refused', () => {
    assert.throws(() => createState(TABLE.filter((o) => o.name !== 'samples')), /no option 'samples'/);
    const wide = TABLE.map((o) => (o.name === 'iters' ? { ...o, default: 200_000 } : o));
    assert.throws(() => createState(wide), /default iters=200000 is outside/);
  });
});
