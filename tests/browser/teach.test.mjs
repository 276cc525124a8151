// Teaching the algorithm (issue #14): step mode and the view of H_s, A/B runs,
// A's path beside B's in view 6, saved runs, copy as code and the guided
// lesson, in Chromium. The numbers
// the page shows are compared with the package's, computed here again.
// Screenshots of the new views at 1280 and 360 px go to test-results/ (and
// to $SPARSE_IHT_SHOTS when set).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import load from '../../dist/index.node.mjs';
import { OPTIONS as TABLE } from '../../dist/options.mjs';
import { createState } from '../../web/state.js';
import { abFromQuery, pathRows } from '../../web/ab-compare.js';
import { formatNumber, formatPercent } from '../../web/format.js';
import { pathSummary, pinnedPathSummary } from '../../web/path-summary.js';
import { demoSuite, numberOf, openPage, resultsDir, runStartedBy, tableHead, tableRows, until, waitForRun } from './harness.mjs';

const suite = demoSuite();
const iht = await load();
const pageState = createState(TABLE);

// The package options a page URL stands for, as the page computes them (state.js).
const optionsOf = (url) => pageState.runOptions(pageState.stateFromQuery(new URL(url).search).state);

// The sweep options of a page URL's two runs, as the page computes them: B's
// from the plain keys, A's from the a.* keys over them (null without A).
function sweepOptionsOf(url) {
  const { search } = new URL(url);
  const b = pageState.stateFromQuery(search).state;
  const a = abFromQuery(search, pageState).a;
  return { b: pageState.runOptions(b, 'sweep'), a: a && pageState.runOptions({ ...b, ...a }, 'sweep') };
}

// View 6's series as drawn (the debug hook): 'chart: label' → how many values.
const sparsitySeries = (page) =>
  page.evaluate(() => Object.fromEntries(window.sparseIhtDebug.sparsity().map((s) => [`${s.chart}: ${s.label}`, s.points])));

// Records every text of the sweep's progress line, to tell which run's sweep ran, and in which order.
const watchSweepProgress = (page) =>
  page.evaluate(() => {
    const el = document.getElementById('sweep-progress-text');
    const seen = (window.__sweepTexts = []);
    window.__sweepObserver?.disconnect();
    window.__sweepObserver = new MutationObserver(() => seen.push(el.textContent));
    window.__sweepObserver.observe(el, { childList: true, characterData: true, subtree: true });
  });
const sweepProgressSeen = (page) => page.evaluate(() => window.__sweepTexts);

const announced = (page, text, timeout = 90_000) =>
  page.waitForFunction((text) => document.getElementById('announce').textContent === text, text, { timeout });

// View 6's table with A pinned: per s of both grids, B's four figures, then A's (— where a run has no point).
async function assertAbPathTable(page, a, b) {
  const head = await tableHead(page, '#sparsity-table');
  assert.deepEqual(head.slice(0, 9), [
    's', 'B: train loss', 'B: test loss', 'B: train accuracy', 'B: test accuracy', 'A: train loss', 'A: test loss', 'A: train accuracy', 'A: test accuracy',
  ]);
  const rows = await tableRows(page, '#sparsity-table');
  const grid = [...new Set([...b.points, ...a.points].map((p) => p.s))].sort((x, y) => x - y);
  assert.deepEqual(rows.map((r) => r[0]), grid.map(String));
  const figures = (p) => (p ? [formatNumber(p.trainLoss, 6), formatNumber(p.testLoss, 6), formatPercent(p.trainAccuracy), formatPercent(p.testAccuracy)] : ['—', '—', '—', '—']);
  grid.forEach((s, i) => {
    assert.deepEqual(rows[i].slice(1, 5), figures(b.points.find((p) => p.s === s)), `B at s = ${s}`);
    assert.deepEqual(rows[i].slice(5, 9), figures(a.points.find((p) => p.s === s)), `A at s = ${s}`);
  });
  const dense = await tableRows(page, '#sparsity-table', 'tfoot');
  assert.deepEqual(dense[0].slice(1, 9), [...figures(b.dense), ...figures(a.dense)]);
}

async function shot(page, selector, name) {
  for (const dir of [resultsDir, process.env.SPARSE_IHT_SHOTS].filter(Boolean)) {
    fs.mkdirSync(dir, { recursive: true });
    await page.locator(selector).screenshot({ path: path.join(dir, `${name}.png`) });
  }
}

const status = (page) => page.textContent('#run-status');
const pausedAt = (page, k) =>
  page.waitForFunction((k) => new RegExp(`^Paused at iteration ${k} of`).test(document.getElementById('run-status').textContent), k);

test('Step after Reset: iteration 1, then 2, and view 7 shows n bars and the package’s threshold', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?debug=1&speed=max&s=7`);
  await waitForRun(page);
  await runStartedBy(page, () => page.click('#reset'));
  assert.equal(await page.inputValue('#s'), '5', 'Reset restored the defaults');
  // The button once, the keyboard shortcut (.) once.
  await page.click('#step-once');
  await pausedAt(page, 1);
  assert.equal(await page.getAttribute('#step-once', 'aria-keyshortcuts'), '.');
  await page.keyboard.press('.');
  await pausedAt(page, 2);
  assert.match(await page.textContent('#curves-summary'), /^Iteration 2 of 1000\./);

  // The package's own second step for the same options.
  const trainer = iht.createTrainer(optionsOf(page.url()));
  trainer.advance(1);
  trainer.advance(1);
  const expected = trainer.lastStep();
  trainer.free();
  const shown = await page.evaluate(() => {
    const d = window.sparseIhtDebug.lastStep();
    return { ...d, gradientStep: Array.from(d.gradientStep), kept: Array.from(d.kept) };
  });
  assert.equal(shown.iteration, 2);
  assert.equal(shown.threshold, expected.threshold, 'the threshold is lastStep().threshold');
  assert.deepEqual(shown.gradientStep, Array.from(expected.gradientStep));
  assert.deepEqual(shown.kept, Array.from(expected.kept));

  // n = 15 bars, 5 filled (kept), the threshold line, a label per bar from describe().
  assert.equal(await page.locator('#step-svg .hs-bar').count(), 15);
  assert.equal(await page.locator('#step-svg .hs-bar[data-kept="1"]').count(), 5);
  assert.equal(await page.locator('#step-svg .hs-threshold').count(), 1);
  const labels = await page.$$eval('#step-svg .hs-label', (ts) => ts.map((t) => t.textContent));
  const described = iht.describe(optionsOf(page.url())).parameters.map((p) => p.label);
  assert.deepEqual([...labels].sort(), [...described].sort());
  // The bars run by |v|, largest first; the table says the same, and the threshold to 6 digits.
  const order = [...expected.gradientStep.keys()].sort((a, b) => Math.abs(expected.gradientStep[b]) - Math.abs(expected.gradientStep[a]) || a - b);
  assert.deepEqual(labels, order.map((i) => described[i]));
  const rows = await tableRows(page, '#step-table');
  assert.equal(rows.length, 15);
  assert.deepEqual(rows.map((r) => r[1]), labels);
  assert.equal(rows.filter((r) => r[6] === 'kept').length, 5);
  const caption = await page.textContent('#step-table caption');
  const threshold = numberOf(/threshold \(the 5th largest \|v\|\) = ([\d.e-]*\d);/.exec(caption)[1]);
  assert.ok(Math.abs(threshold - expected.threshold) <= 1e-5 * expected.threshold, `${threshold} against ${expected.threshold}`);
  // γ against the bracket: this rule (bound) is below 1/upper.
  await page.waitForFunction(() => /1\/upper = 0\.6885, 1\/lower = /.test(document.getElementById('step-summary').textContent));
  assert.match(await page.textContent('#step-summary'), /the theorem covers this step/);
  await shot(page, '#card-step', 'teach-step-1280');

  // Two halves: Step shows v first (no colours), the next Step H_s(v), the next a new iteration.
  await page.check('#step-halves');
  await page.click('#step-once');
  await pausedAt(page, 3);
  await page.waitForFunction(() => document.getElementById('phase-gradient').checked);
  assert.equal(await page.locator('#step-svg .hs-bar[data-kept]').count(), 0, 'the gradient half colours nothing');
  assert.match(await page.textContent('#step-summary'), /^Half 1 of iteration 3/);
  await page.click('#step-once');
  await page.waitForFunction(() => document.getElementById('phase-projection').checked);
  assert.match(await status(page), /^Paused at iteration 3 of/, 'the second half takes no iteration');
  assert.equal(await page.locator('#step-svg .hs-bar[data-kept="1"]').count(), 5);
  // The phase toggle switches halves by itself, from the keyboard too.
  await page.focus('#phase-projection');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.isChecked('#phase-gradient'), true);

  // Train plays on from iteration 3 to the end; the curves keep iterations 0–3.
  await page.uncheck('#step-halves');
  await page.click('#train');
  await waitForRun(page);
  assert.match(await status(page), /after 1,000 iterations/);
  const history = await tableRows(page, '#curves-table');
  assert.equal(history.at(-1)[0], '1000');
  const full = iht.train(optionsOf(page.url()));
  assert.deepEqual(await page.evaluate(() => window.sparseIhtDebug.run().theta), Array.from(full.theta), 'stepping then playing gives train()’s θ');
  // The finished run's last step is shown.
  assert.equal(await page.evaluate(() => window.sparseIhtDebug.lastStep().iteration), 1000);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Stop pauses a playing run, Step continues it by one, Stop again ends it', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?debug=1&iters=100000&speed=1`);
  await page.waitForFunction(() => /^Iteration (\d{2,}|[1-9]\d*,)/.test(document.getElementById('run-status').textContent));
  await page.click('#stop');
  await page.waitForFunction(() => /^Paused at iteration/.test(document.getElementById('run-status').textContent));
  const at = numberOf(/^Paused at iteration ([\d,]+)/.exec(await status(page))[1]);
  // The view shows the step the run paused after.
  await page.waitForFunction((k) => window.sparseIhtDebug.lastStep()?.iteration === k, at);
  await page.click('#step-once');
  await pausedAt(page, (at + 1).toLocaleString('en-US'));
  assert.equal(await page.isDisabled('#stop'), false);
  await page.click('#stop');
  await waitForRun(page);
  assert.match(await status(page), new RegExp(`^Stopped after ${(at + 1).toLocaleString('en-US')} iterations`));
  assert.equal(await page.isDisabled('#stop'), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('A/B: with A pinned a second run draws both curves; the link reproduces the comparison', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?debug=1&speed=max&s=5&step=estimate&samples=200`);
  await waitForRun(page);
  await page.click('#pin-a');
  assert.match(page.url(), /\?a\.s=5&a\.step=estimate&.*a\.samples=200.*&data=iris&s=5&step=estimate/);
  await runStartedBy(page, async () => {
    await page.selectOption('#step-mode', 'bound');
  });
  const url = page.url();
  assert.match(url, /a\.step=estimate&.*&step=bound/);
  const a = iht.train({ ...optionsOf(url), step: 'estimate' });
  const b = iht.train(optionsOf(url));
  const series = await page.evaluate(() => window.sparseIhtDebug.curves());
  const points = Object.fromEntries(series.map((s) => [`${s.chart}: ${s.label}`, s.points]));
  assert.equal(points['loss: A: train loss'], a.history.loss.length, 'A drawn');
  assert.equal(points['loss: B: train loss'], b.history.loss.length, 'B drawn');
  assert.equal(points['accuracy: A: test accuracy'], a.history.loss.length);
  assert.equal(points['accuracy: B: test accuracy'], b.history.loss.length);
  // The table: settings (step differs), final figures, supports.
  const rows = await tableRows(page, '#compare-table');
  const row = (name) => rows.find((r) => r[0] === name);
  assert.deepEqual(row('step'), ['step', 'estimate', 'bound', 'differs']);
  assert.deepEqual(row('s'), ['s', '5', '5', '']);
  assert.equal(row('train loss')[1], String(Number(a.trainLoss.toPrecision(6))));
  assert.equal(row('train loss')[2], String(Number(b.trainLoss.toPrecision(6))));
  const labels = iht.describe(optionsOf(url)).parameters.map((p) => p.label);
  assert.equal(row('support')[1], Array.from(a.support, (i) => labels[i]).join(', '));
  assert.match(await page.textContent('#compare-summary'), /^A and B differ in step\./);
  await shot(page, '#card-compare', 'teach-compare-1280');
  await shot(page, '#card-curves', 'teach-curves-ab-1280');

  // The link alone: a fresh page trains A from the a.* keys, then B.
  const fresh = await openPage(suite.browser.context);
  await fresh.page.goto(url);
  await fresh.page.waitForFunction(() => document.querySelectorAll('#compare-table tbody tr').length > 15 && /^A and B/.test(document.getElementById('compare-summary').textContent));
  assert.deepEqual(await tableRows(fresh.page, '#compare-table'), rows);
  assert.equal(fresh.page.url(), url);
  // Unpin: back to one run, and the a.* keys leave the URL.
  await fresh.page.click('#unpin-a');
  assert.doesNotMatch(fresh.page.url(), /a\.s=/);
  const after = await fresh.page.evaluate(() => window.sparseIhtDebug.curves().map((s) => s.label));
  assert.deepEqual(after, ['train loss', 'test loss (final)', 'train accuracy', 'test accuracy']);
  assert.deepEqual(fresh.problems, []);
  assert.deepEqual(problems, []);
  await fresh.page.close();
  await page.close();
});

test('a saved run re-opens in a fresh page with its s and θ; a tampered one is refused and changes nothing', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?debug=1&speed=max&s=4&seed=3&iters=300`);
  await waitForRun(page);
  await page.click('#sweep');
  await page.waitForFunction(() => /^Sweep finished/.test(document.getElementById('announce').textContent), null, { timeout: 60_000 });
  const saved = await page.evaluate(() => window.sparseIhtDebug.run());
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const file = await download.path();
  const text = fs.readFileSync(file, 'utf8');
  const doc = JSON.parse(text);
  assert.equal(doc.format, 'sparse-iht-run');
  assert.equal(doc.version, 1);
  assert.equal(doc.train.s, 4);
  await page.close();

  const fresh = await openPage(suite.browser.context, { width: 1280 });
  await fresh.page.goto(`${suite.server.url}?debug=1&speed=max`);
  await waitForRun(fresh.page);
  const before = { url: fresh.page.url(), run: await fresh.page.evaluate(() => window.sparseIhtDebug.run()), status: await status(fresh.page) };
  assert.equal(before.run.s, 5);

  // Tampered: one digit of θ changed. Refused with a message; the page is as it was.
  const k = doc.train.support[0];
  const tampered = text.replace(String(doc.train.theta[k]), String(doc.train.theta[k] * 1.001));
  assert.notEqual(tampered, text);
  await fresh.page.setInputFiles('#run-file', { name: 'tampered.json', mimeType: 'application/json', buffer: Buffer.from(tampered) });
  await fresh.page.waitForFunction(() => document.getElementById('import-error').textContent !== '');
  assert.equal(
    await fresh.page.textContent('#import-error'),
    'tampered.json: it was changed after it was saved: its checksum does not match its contents. Nothing was changed.',
  );
  assert.equal(fresh.page.url(), before.url);
  assert.deepEqual(await fresh.page.evaluate(() => window.sparseIhtDebug.run()), before.run);
  assert.equal(await status(fresh.page), before.status);
  // Not a run at all: the CSV the page reads is no run.
  await fresh.page.setInputFiles('#run-file', { name: 'iris.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,x\n') });
  await fresh.page.waitForFunction(() => /^iris\.csv: it is not JSON/.test(document.getElementById('import-error').textContent));
  assert.deepEqual(await fresh.page.evaluate(() => window.sparseIhtDebug.run()), before.run);

  // The file as saved: s, θ, the history and the sweep come back exactly, without a new run.
  await fresh.page.setInputFiles('#run-file', file);
  await fresh.page.waitForFunction(() => /^Opened /.test(document.getElementById('run-status').textContent));
  assert.equal(await fresh.page.textContent('#import-error'), '');
  assert.equal(await fresh.page.inputValue('#s'), '4');
  assert.equal(await fresh.page.inputValue('#seed'), '3');
  assert.match(fresh.page.url(), /&s=4&/);
  assert.deepEqual(await fresh.page.evaluate(() => window.sparseIhtDebug.run()), saved);
  const theta = await tableRows(fresh.page, '#network-table');
  assert.equal(theta.filter((r) => r[3] === 'yes').length, 4);
  const history = await tableRows(fresh.page, '#curves-table');
  assert.equal(history.at(-1)[0], String(doc.train.iterations));
  const sweepRows = await tableRows(fresh.page, '#sparsity-table');
  assert.ok(sweepRows.length >= doc.sweep.points.length, 'the sweep is back in view 6');
  assert.equal(await fresh.page.isHidden('#sweep-stale'), true, 'the restored sweep is for these settings');
  assert.deepEqual(fresh.problems, []);
  assert.deepEqual(problems, []);
  await fresh.page.close();
});

test('copy as code shows the command for the current settings', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?speed=max&s=3&hidden=4&activation=relu&step=backtracking&iters=200`);
  await waitForRun(page);
  assert.equal(await page.textContent('#code-native'), 'iht train --s 3 --hidden 4 --activation relu --step backtracking --iters 200');
  assert.match(await page.textContent('#code-js'), /iht\.train\(\{ s: 3, hidden: \[4\], activation: "relu", step: "backtracking", iters: 200 \}\)/);
  assert.match(await page.textContent('#code-cpp'), /options\.hidden = std::vector<int>\{4\};/);
  // A change of settings changes the snippets at once.
  await runStartedBy(page, () => page.fill('#s', '6').then(() => page.press('#s', 'Enter')));
  assert.match(await page.textContent('#code-native'), /^iht train --s 6 /);
  await page.click('[data-copy="code-native"]');
  await page.waitForFunction(() => document.getElementById('code-status').textContent !== '');
  await shot(page, '#card-code', 'teach-code-1280');
  assert.deepEqual(problems, []);
  await page.close();
});

test('?lesson=1 shows panel 1; Next moves to panel 2 and sets its state', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?lesson=1&speed=max`);
  await page.waitForSelector('#lesson:not([hidden])');
  assert.equal(await page.textContent('#lesson-count'), 'Lesson · 1 of 8');
  assert.equal(await page.textContent('#lesson-title'), 'One IHT step, in two halves');
  assert.match(await page.textContent('#lesson-question'), /threshold/);
  assert.equal(await page.isDisabled('#lesson-back'), true);
  // Panel 1 pauses a run at iteration 1, showing the gradient half.
  await pausedAt(page, 1);
  await page.waitForFunction(() => document.getElementById('phase-gradient').checked);
  await shot(page, '#lesson', 'teach-lesson-1280');
  await page.click('#lesson-next');
  assert.equal(await page.textContent('#lesson-count'), 'Lesson · 2 of 8');
  assert.equal(await page.textContent('#lesson-title'), 's = 1: a single weight');
  assert.match(page.url(), /lesson=2/);
  await waitForRun(page);
  assert.equal(await page.inputValue('#s'), '1');
  await page.waitForFunction(() => /^This run: train accuracy/.test(document.getElementById('lesson-evidence').textContent));
  const r = iht.train(optionsOf(page.url()));
  assert.match(await page.textContent('#lesson-evidence'), new RegExp(`test accuracy ${(100 * r.testAccuracy).toFixed(1)} %`));
  await page.click('#lesson-back');
  assert.equal(await page.textContent('#lesson-count'), 'Lesson · 1 of 8');
  await page.click('#lesson-close');
  assert.equal(await page.isHidden('#lesson'), true);
  assert.doesNotMatch(page.url(), /lesson=/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('embedded and at 360 px: the lesson, the new controls and views fit; hide= removes them', async () => {
  const { page, problems } = await openPage(suite.browser.context, { width: 360, height: 800 });
  await page.goto(`${suite.server.url}?embed=1&lesson=3&speed=max&debug=1`);
  await page.waitForSelector('#lesson:not([hidden])');
  assert.equal(await page.textContent('#lesson-count'), 'Lesson · 3 of 8');
  await waitForRun(page);
  await page.click('#pin-a');
  await page.click('#step-once');
  await pausedAt(page, 1);
  await until(async () => (await page.evaluate(() => document.documentElement.scrollWidth)) <= 360, 'no horizontal overflow at 360 px, embedded');
  await shot(page, '#lesson', 'teach-lesson-embed-360');
  await shot(page, '#card-step', 'teach-step-360');
  await shot(page, '#card-compare', 'teach-compare-360');
  await shot(page, '#card-code', 'teach-code-360');
  await shot(page, '.actions', 'teach-actions-embed-360');
  await page.close();

  const narrow = await openPage(suite.browser.context, { width: 360, height: 800 });
  await narrow.page.goto(`${suite.server.url}?speed=max`);
  await waitForRun(narrow.page);
  await until(async () => (await narrow.page.evaluate(() => document.documentElement.scrollWidth)) <= 360, 'no horizontal overflow at 360 px');
  await shot(narrow.page, '[data-control="import"]', 'teach-import-360');
  await shot(narrow.page, '#card-step', 'teach-step-finished-360');
  await narrow.page.close();

  const hidden = await openPage(suite.browser.context);
  await hidden.page.goto(`${suite.server.url}?embed=1&speed=max&hide=stepOnce,pin,import,ihtStep,compare,code`);
  await waitForRun(hidden.page);
  for (const selector of ['#step-once', '#pin-a', '#run-file', '#card-step', '#card-compare', '#card-code']) {
    assert.equal(await hidden.page.isHidden(selector), true, selector);
  }
  assert.deepEqual([...problems, ...narrow.problems, ...hidden.problems], []);
  await hidden.page.close();
});

test('A/B on the sparsity path: the sweep on screen becomes A’s path, B’s is drawn beside it, view 8 compares them, Unpin clears it', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?debug=1&speed=max`);
  await waitForRun(page);
  await page.click('#sweep');
  await announced(page, 'Sweep finished: 15 values of s.');
  await page.click('#pin-a');
  // The sweep on screen was traced for A's settings: it is A's path at once.
  let series = await sparsitySeries(page);
  assert.equal(series['loss: A: IHT path: train loss'], 15);
  assert.equal(series['loss: B: IHT path (best start): train loss'], 15);
  assert.match(await page.textContent('#sparsity-summary'), /A's path is B's, drawn over it\.$/);

  // B: another seed. B's sweep is then stale; Sweep traces B's alone, as A has its path.
  await runStartedBy(page, () => page.fill('#seed', '3').then(() => page.press('#seed', 'Enter')));
  await page.waitForSelector('#sweep-stale', { state: 'visible' });
  await watchSweepProgress(page);
  await page.click('#sweep');
  await announced(page, 'Sweep finished: 15 values of s, and 15 for run A.');
  const seen = await sweepProgressSeen(page);
  assert.ok(seen.some((t) => /^Sweeping run B: \d+ of \d+ trainings done\.$/.test(t)), seen.join(' | '));
  assert.ok(!seen.some((t) => /run A/.test(t)), 'A kept the path it was pinned with');
  assert.equal(await page.isHidden('#sweep-stale'), true);

  // What is drawn and tabulated is the package's sweep of each run's settings.
  const options = sweepOptionsOf(page.url());
  assert.equal(options.a.seed, 1);
  assert.equal(options.b.seed, 3);
  const a = iht.sweep(options.a);
  const b = iht.sweep(options.b);
  series = await sparsitySeries(page);
  for (const [label, n] of [
    ['loss: A: IHT path: train loss', a.points.length],
    ['loss: A: IHT path: test loss', a.points.length],
    ['accuracy: A: IHT path: train accuracy', a.points.length],
    ['accuracy: A: IHT path: test accuracy', a.points.length],
    ['loss: B: IHT path (best start): train loss', b.points.length],
    ['accuracy: B: IHT path: test accuracy', b.points.length],
  ]) {
    assert.equal(series[label], n, label);
  }
  const legend = await page.$$eval('#sparsity-loss .u-legend .u-series', (rows) => rows.filter((r) => !r.hidden).map((r) => r.textContent.trim()));
  assert.ok(legend.includes('A: IHT path: train loss') && legend.includes('B: IHT path (best start): train loss'), legend.join(' | '));
  await assertAbPathTable(page, a, b);
  assert.equal(await page.textContent('#sparsity-summary'), `${pathSummary(b)} ${pinnedPathSummary(a, b)}`);
  // View 8: the paths' figures beside the runs'.
  const compare = await tableRows(page, '#compare-table');
  const expected = pathRows(a, b, 5).map((r) => [r[0].text, ...r.slice(1)]);
  assert.equal(expected.length, 2);
  for (const row of expected) assert.deepEqual(compare.find((r) => r[0] === row[0]), row);
  await shot(page, '#card-sparsity', 'teach-sparsity-ab-1280');

  // Unpin clears A's path: no A series or columns, B's labels without their prefix.
  await page.click('#unpin-a');
  series = await sparsitySeries(page);
  assert.deepEqual(Object.keys(series).filter((k) => /A: /.test(k)), []);
  assert.equal(series['loss: IHT path (best start): train loss'], b.points.length);
  assert.equal((await tableHead(page, '#sparsity-table')).filter((h) => /^[AB]: /.test(h)).length, 0);
  assert.equal(await page.textContent('#sparsity-summary'), pathSummary(b));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a link with a.* settings: Sweep traces B’s path, then A’s, and view 6 draws both (1280 and 360 px)', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?debug=1&speed=max&a.seed=3&a.s=4&s=5`);
  await page.waitForFunction(() => /^A and B/.test(document.getElementById('compare-summary').textContent));
  // A was trained from the link, not swept: view 6 says what Sweep will do.
  assert.match(await page.textContent('#sparsity-summary'), /for run B and run A\.$/);
  await watchSweepProgress(page);
  await page.click('#sweep');
  await announced(page, 'Sweep finished: 15 values of s, and 15 for run A.');
  const seen = await sweepProgressSeen(page);
  const firstB = seen.findIndex((t) => /^Sweeping run B: /.test(t));
  const firstA = seen.findIndex((t) => /^Sweeping run A: /.test(t));
  assert.ok(firstB >= 0 && firstA > firstB, `B's sweep, then A's: ${seen.join(' | ')}`);
  assert.ok(seen.slice(firstA).every((t) => !/^Sweeping run B/.test(t)), 'one after the other');

  const options = sweepOptionsOf(page.url());
  assert.equal(options.a.seed, 3);
  assert.equal(options.b.seed, 1);
  const a = iht.sweep(options.a);
  const b = iht.sweep(options.b);
  const series = await sparsitySeries(page);
  assert.equal(series['loss: A: IHT path: train loss'], a.points.length);
  assert.equal(series['accuracy: A: IHT path: test accuracy'], a.points.length);
  assert.equal(series['loss: B: IHT path (best start): train loss'], b.points.length);
  await assertAbPathTable(page, a, b);
  assert.equal(await page.textContent('#sparsity-summary'), `${pathSummary(b)} ${pinnedPathSummary(a, b)}`);
  assert.ok((await tableRows(page, '#compare-table')).some((r) => r[0] === 'path: smallest s as accurate as dense'));
  await shot(page, '#card-sparsity', 'teach-sparsity-link-ab-1280');
  await page.setViewportSize({ width: 360, height: 800 });
  await until(async () => (await page.evaluate(() => document.documentElement.scrollWidth)) <= 360, 'no horizontal overflow at 360 px');
  await shot(page, '#card-sparsity', 'teach-sparsity-link-ab-360');
  assert.deepEqual(problems, []);
  await page.close();
});

test('Stop during A’s sweep keeps B’s path and A’s partial one; a crash during A’s next sweep loses neither', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  // A with a hidden layer: 67 parameters, a sweep long enough to stop.
  await page.goto(`${suite.server.url}?debug=1&speed=max&a.hidden=8`);
  await page.waitForFunction(() => /^A and B/.test(document.getElementById('compare-summary').textContent));
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  const b = iht.sweep(sweepOptionsOf(page.url()).b);
  const bRows = async () => (await tableRows(page, '#sparsity-table')).filter((r) => r[1] !== '—').map((r) => r.slice(0, 5));
  const bExpected = b.points.map((p) => [String(p.s), formatNumber(p.trainLoss, 6), formatNumber(p.testLoss, 6), formatPercent(p.trainAccuracy), formatPercent(p.testAccuracy)]);

  await page.click('#sweep');
  await page.waitForFunction(() => /^Sweeping run A: [1-9]\d* of \d+ trainings/.test(document.getElementById('sweep-progress-text').textContent), null, { timeout: 60_000 });
  await page.click('#stop');
  await page.waitForFunction(() => /^Run A's sweep stopped after/.test(document.getElementById('sweep-progress-text').textContent), null, { timeout: 60_000 });
  const note = await page.textContent('#sweep-progress-text');
  const m = /its path is partial \((\d+) of (\d+) values of s\); run B's is whole\./.exec(note);
  assert.ok(m, note);
  const kept = Number(m[1]);
  assert.ok(kept >= 1 && kept < Number(m[2]), note);
  assert.deepEqual(await bRows(), bExpected, "B's path is whole");
  let series = await sparsitySeries(page);
  assert.equal(series['loss: A: IHT path: train loss'], kept);
  assert.equal(series['loss: B: IHT path (best start): train loss'], b.points.length);
  assert.match(await page.textContent('#sparsity-table caption'), /^Partial: run A’s sweep was stopped\./);
  assert.match(await page.textContent('#sparsity-summary'), new RegExp(`A's path is partial \\(${kept} of ${m[2]} values of s\\)`));
  assert.equal(await page.isDisabled('#stop'), true);
  assert.equal(await page.isEnabled('#sweep'), true);

  // Sweep again: B's path is whole for these settings, so only A's is traced. The worker ends during it.
  await watchSweepProgress(page);
  await page.click('#sweep');
  await page.waitForFunction(() => /^Sweeping run A: [1-9]\d* of \d+ trainings/.test(document.getElementById('sweep-progress-text').textContent), null, { timeout: 60_000 });
  await page.evaluate(() => window.sparseIhtDebug.terminateWorker());
  await page.waitForFunction(() => /^Run A's sweep was interrupted/.test(document.getElementById('sweep-progress-text').textContent), null, { timeout: 30_000 });
  assert.equal(
    await page.textContent('#sweep-progress-text'),
    "Run A's sweep was interrupted: the model worker stopped. Run B's path is whole. A’s path shown is from an earlier sweep. Press Sweep to trace A's.",
  );
  assert.ok(!(await sweepProgressSeen(page)).some((t) => /^Sweeping run B/.test(t)), "B's path was not traced again");
  assert.deepEqual(await bRows(), bExpected, "B's path is still there");
  series = await sparsitySeries(page);
  assert.equal(series['loss: A: IHT path: train loss'], kept, "A's partial path is still there");
  // The page works on: a new run finishes.
  await runStartedBy(page, () => page.fill('#s', '6').then(() => page.press('#s', 'Enter')));
  assert.deepEqual(problems, []);
  await page.close();
});
