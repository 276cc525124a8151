// Saved runs (web/saved-runs.js): the page's JSON export opened again. A file
// the page wrote is accepted and gives back every number exactly; a wrong,
// damaged, edited or inconsistent file is refused with a readable reason.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import load from '../../dist/index.node.mjs';
import { OPTIONS as TABLE } from '../../dist/options.mjs';
import { checksumOf, readRunFile, runFileText, RUN_FILE_FORMAT, RUN_FILE_VERSION } from '../../web/saved-runs.js';
import { createState } from '../../web/state.js';

const pageState = createState(TABLE);
let iht;
let train;
let l2s;
let sweep;

before(async () => {
  iht = await load();
  // What the page saves: the package's own results (typed arrays and all).
  train = iht.train({ s: 4, iters: 200, seed: 2 });
  l2s = iht.estimateL2s({ s: 4, samples: 20, seed: 2 });
  sweep = iht.sweep({ iters: 50, seed: 2, sGrid: '2,4' });
});

const settings = () => ({ ...pageState.defaultState(), s: 4, iters: 200, seed: 2 });
const contents = (over = {}) => ({
  generator: 'sparse-iht demo page, package test',
  link: 'http://127.0.0.1/?s=4',
  settings: settings(),
  data: { name: 'IRIS (built in)' },
  train,
  l2s,
  sweep,
  sweepSettings: 'data=iris&step=auto',
  ...over,
});

// Rewrites a saved file's JSON with `edit`, keeping its checksum (a forged
// file) or recomputing it (a consistent forgery the content checks must catch).
function edited(text, edit, { rechecksum = false } = {}) {
  const doc = JSON.parse(text);
  edit(doc);
  if (rechecksum) {
    const { checksum, ...body } = doc;
    doc.checksum = checksumOf(JSON.stringify(body));
  }
  return JSON.stringify(doc, null, 2);
}

describe('saved runs', () => {
  test('a file the page wrote opens with every number as it was', () => {
    const text = runFileText(contents());
    const doc = JSON.parse(text);
    assert.equal(doc.format, RUN_FILE_FORMAT);
    assert.equal(doc.version, RUN_FILE_VERSION);
    assert.match(doc.checksum, /^[0-9a-f]{16}$/);
    const { run, error } = readRunFile(text, pageState);
    assert.equal(error, undefined);
    assert.equal(run.settings.s, 4);
    assert.equal(run.settings.seed, 2);
    assert.deepEqual(run.train.theta, Array.from(train.theta), 'θ exactly');
    assert.deepEqual(run.train.history.loss, Array.from(train.history.loss), 'the history exactly');
    assert.deepEqual(run.l2s.ratios, Array.from(l2s.ratios));
    assert.equal(run.sweep.points.length, sweep.points.length);
    assert.deepEqual(run.sweep.points[1].theta, Array.from(sweep.points[1].theta));
    assert.equal(run.sweepSettings, 'data=iris&step=auto');
    assert.equal(run.dataName, 'IRIS (built in)');
  });

  test('without an L₂ₛ estimate or a sweep, and with a byte-order mark, it still opens', () => {
    const text = `\uFEFF${runFileText(contents({ l2s: null, sweep: null, sweepSettings: null }))}`;
    const { run, error } = readRunFile(text, pageState);
    assert.equal(error, undefined);
    assert.equal(run.l2s, null);
    assert.equal(run.sweep, null);
  });

  test('a file that is not a saved run is refused, saying why', () => {
    const cases = [
      ['', /^the file is empty\.$/],
      ['{"s": 5', /^it is not JSON/],
      ['[1, 2]', /^it is not a run saved by this page/],
      ['a,b\n1,2\n', /^it is not JSON/],
      [JSON.stringify({ settings: settings(), train }), /^it is not a run saved by this page/],
      [JSON.stringify({ format: 'something-else', version: 1 }), /^it is not a run saved by this page/],
    ];
    for (const [text, reason] of cases) assert.match(readRunFile(text, pageState).error, reason, text.slice(0, 30));
  });

  test('the format version: missing, invalid or newer is refused', () => {
    const text = runFileText(contents());
    assert.match(readRunFile(edited(text, (d) => delete d.version), pageState).error, /format version is missing/);
    assert.match(readRunFile(edited(text, (d) => { d.version = '1'; }), pageState).error, /format version is missing or invalid/);
    assert.match(readRunFile(edited(text, (d) => { d.version = 2; }), pageState).error, /saved in format version 2, by a newer version of the page; this page reads version 1/);
  });

  test('a tampered file is refused: any edited value breaks its checksum', () => {
    const text = runFileText(contents());
    const edits = [
      (d) => { d.train.theta[d.train.support[0]] += 1e-12; },
      (d) => { d.settings.s = 5; },
      (d) => { d.train.testAccuracy = 1; },
      (d) => { d.sweep.points[0].trainLoss = 0; },
      (d) => { d.l2s.upper = 10; },
      (d) => { d.extra = 'x'; },
      (d) => { delete d.checksum; },
    ];
    for (const edit of edits) {
      const { error, run } = readRunFile(edited(text, edit), pageState);
      assert.equal(run, undefined, String(edit));
      assert.match(error, /changed after it was saved|no checksum/, String(edit));
    }
    // Whitespace is not content: the same document laid out otherwise still opens.
    assert.equal(readRunFile(JSON.stringify(JSON.parse(text)), pageState).error, undefined);
  });

  test('a consistent forgery (checksum recomputed) is still checked: settings, θ, support, history', () => {
    const text = runFileText(contents());
    const forged = (edit) => readRunFile(edited(text, edit, { rechecksum: true }), pageState).error;
    assert.match(forged((d) => { d.settings.s = 0; }), /settings are invalid: s: expected an integer/);
    assert.match(forged((d) => { delete d.settings.seed; }), /settings lack seed/);
    assert.match(forged((d) => { d.settings.s = 5; }), /the run's s = 4 differs from its settings' s = 5/);
    assert.match(forged((d) => { d.train.theta.pop(); }), /θ is not 15 finite numbers/);
    assert.match(forged((d) => { d.train.theta[d.train.theta.findIndex((x) => x === 0)] = 0.5; }), /nonzero entry outside its support/);
    assert.match(forged((d) => { d.train.support.push(d.train.support[0]); }), /more than s = 4|twice/);
    assert.match(forged((d) => { d.train.history.loss.pop(); }), /history/);
    assert.match(forged((d) => { d.train.iterations += 1; }), /the history has \d+ entries for \d+ iterations/);
    assert.match(forged((d) => { d.train.htStable = null; }), /incomplete or malformed/);
    assert.match(forged((d) => { d.l2s.ratios = 'x'; }), /L₂ₛ estimate is malformed/);
    assert.match(forged((d) => { d.sweep.points = 'x'; }), /sweep is malformed/);
    assert.match(forged((d) => { d.settings.data = 'csv'; d.data = null; }), /names no CSV file/);
  });
});

test("the CSV hint in index.html quotes data-panel.js's file limit", async () => {
  const { readFileSync } = await import('node:fs');
  const { MAX_BYTES } = await import('../../web/data-panel.js');
  const html = readFileSync(new URL('../../web/index.html', import.meta.url), 'utf8');
  const m = html.match(/id="csv-hint">Or drop one here, up to (\d+) MB\./);
  assert.ok(m, 'the hint');
  assert.equal(Number(m[1]) * 1_000_000, MAX_BYTES);
});
