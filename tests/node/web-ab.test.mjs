// The A/B comparison's URL state (web/ab-compare.js): run A's settings travel
// as a.* keys beside B's plain keys, so a link reproduces a comparison. Every
// A setting round-trips; a bad value falls back to its default with a notice;
// the page's own state ignores a.* keys without a notice.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { OPTIONS as TABLE } from '../../dist/options.mjs';
import { abFromQuery, abKeys, abSettingsOf, abToQuery, pathRows } from '../../web/ab-compare.js';
import { createState, HIDEABLE, LESSON_PANELS } from '../../web/state.js';

const pageState = createState(TABLE);
const { defaultState, stateFromQuery, stateToQuery } = pageState;

describe('A/B settings in the URL', () => {
  test("A's settings are the run settings but the data set", () => {
    assert.deepEqual(abKeys(pageState), [
      's', 'step', 'stepFactor', 'iters', 'ridge', 'refine', 'stopWhenStable', 'seed', 'hidden', 'activation', 'samples', 'testFraction',
    ]);
  });

  test('no a.* key: no run A', () => {
    assert.deepEqual(abFromQuery('?s=5&step=bound', pageState), { a: null, notices: [] });
    assert.equal(abToQuery(null, pageState), '');
  });

  test("the issue's link: A with s = 5 and the estimate rule, B with bound", () => {
    const search = '?a.s=5&a.step=estimate&s=5&step=bound';
    const { a, notices } = abFromQuery(search, pageState);
    assert.deepEqual(notices, []);
    assert.deepEqual(a, { ...abSettingsOf(defaultState(), pageState), s: 5, step: 'estimate' });
    const b = stateFromQuery(search);
    assert.deepEqual(b.notices, [], 'the page state ignores a.* keys quietly');
    assert.equal(b.state.step, 'bound');
    assert.equal(b.state.s, 5);
  });

  test('every A setting round-trips through the URL, also with B beside it', () => {
    const a = {
      ...abSettingsOf(defaultState(), pageState),
      s: 7, step: 0.25, stepFactor: 0.5, iters: 300, ridge: 0.01, refine: true, stopWhenStable: true, seed: 42,
      hidden: [8, 4], activation: 'relu', samples: 50, testFraction: 0.3,
    };
    const query = abToQuery(a, pageState);
    assert.match(query, /^a\.s=7&a\.step=0\.25&a\.stepFactor=0\.5&a\.iters=300&/);
    assert.match(query, /a\.hidden=8,4/);
    assert.deepEqual(abFromQuery(`?${query}`, pageState), { a, notices: [] });
    const b = { ...defaultState(), s: 3, step: 'normalized' };
    const link = `?${query}&${stateToQuery(b)}`;
    assert.deepEqual(abFromQuery(link, pageState).a, a);
    const back = stateFromQuery(link);
    assert.deepEqual(back.notices, []);
    assert.deepEqual(back.state, b);
  });

  test('a bad value falls back to its default, with a notice naming it; an unknown a.* key is ignored', () => {
    const { a, notices } = abFromQuery('?a.s=0&a.step=huge&a.hidden=8,x&a.seed=3&a.data=csv&a.nope=1', pageState);
    const defaults = abSettingsOf(defaultState(), pageState);
    assert.deepEqual(a, { ...defaults, seed: 3 });
    assert.equal(notices.length, 5);
    assert.match(notices[0], /^The link's value a\.s=0 is invalid \(expected an integer from 1 to \d+\); run A uses the default a\.s=5\.$/);
    assert.match(notices[1], /a\.step=huge is invalid .*default a\.step=auto/);
    assert.match(notices[2], /a\.hidden=8,x is invalid .*default a\.hidden=\(empty\)/);
    assert.equal(notices[3], "The link's setting 'a.data' is unknown and was ignored.");
    assert.equal(notices[4], "The link's setting 'a.nope' is unknown and was ignored.");
  });

  test("A's settings are copies: changing the page's state later does not change A", () => {
    const state = { ...defaultState(), hidden: [8] };
    const a = abSettingsOf(state, pageState);
    state.hidden.push(4);
    state.s = 9;
    assert.deepEqual(a.hidden, [8]);
    assert.equal(a.s, 5);
  });
});

describe("view 8's rows for the two paths", () => {
  const HT = { stable: true, margin: 1, supportGradInf: 0, reason: 'stable' };
  // A path over s = 1 … 3 with these test accuracies; the dense network's is 0.9.
  const sweep = (accuracies, cv = null) => ({
    dense: { n: 3, trainLoss: 0.1, testLoss: 0.1, trainAccuracy: 0.9, testAccuracy: 0.9, htStable: HT },
    points: accuracies.map((acc, i) => ({ s: i + 1, trainLoss: 0.5, testLoss: 0.5, trainAccuracy: acc, testAccuracy: acc, htStable: HT })),
    grid: accuracies.map((_, i) => i + 1),
    cv,
    complete: true,
  });
  const text = (rows) => rows.map((r) => [r[0].text, ...r.slice(1)]);

  test('the smallest s as accurate as dense and the accuracy at B’s s, without CV', () => {
    assert.deepEqual(text(pathRows(sweep([0.5, 0.9, 0.95]), sweep([0.5, 0.6, 0.7]), 2)), [
      ['path: smallest s as accurate as dense', 's = 2', 'none', ''],
      ['path: test accuracy at s = 2', '90.0 %', '60.0 %', ''],
    ]);
  });

  test('a CV row when either path has cross-validation; an s off a grid shows a dash', () => {
    const cv = { folds: 3, s: [1, 2, 3], minS: 3, chosenS: 2 };
    assert.deepEqual(text(pathRows(sweep([0.9, 0.9, 0.9], cv), sweep([0.5, 0.6, 0.7]), 7)), [
      ['path: smallest s as accurate as dense', 's = 1', 'none', ''],
      ['path: s chosen by CV (1-SE)', 's = 2', 'no CV', ''],
      ['path: test accuracy at s = 7', '—', '—', ''],
    ]);
  });
});

describe('teaching settings of the page state', () => {
  test('lesson: 0 … LESSON_PANELS, absent from the URL when 0', () => {
    assert.equal(stateFromQuery('?lesson=1').state.lesson, 1);
    assert.equal(stateFromQuery(`?lesson=${LESSON_PANELS}`).state.lesson, LESSON_PANELS);
    const bad = stateFromQuery(`?lesson=${LESSON_PANELS + 1}`);
    assert.equal(bad.state.lesson, 0);
    assert.match(bad.notices[0], /lesson=9 is invalid/);
    assert.doesNotMatch(stateToQuery(defaultState()), /lesson/);
    assert.match(stateToQuery({ ...defaultState(), lesson: 2 }), /(^|&)lesson=2(&|$)/);
  });

  test('hide= knows the new controls and views', () => {
    for (const name of ['stepOnce', 'pin', 'import', 'ihtStep', 'compare', 'code']) {
      assert.ok(HIDEABLE.includes(name), name);
      assert.deepEqual(stateFromQuery(`?hide=${name}`).state.hide, [name]);
    }
  });
});
