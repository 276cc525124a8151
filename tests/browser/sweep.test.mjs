// The sparsity sweep (view 6: the path, its baselines, cross-validation and
// support stability), stopping a run or a sweep, and the downloads. What the
// page shows is compared with the package's own sweep for the same options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import load from '../../dist/index.node.mjs';
import { formatNumber, formatPercent } from '../../web/format.js';
import { cvSummary, pathSummary, reachesOptimum } from '../../web/path-summary.js';
import { demoSuite, numberOf, openPage, screenshot, screenshotOf, tableHead, tableRows, waitForRun } from './harness.mjs';

const suite = demoSuite();

// The package in this process, to compute what the page should show.
const iht = await load();

// The series named in a chart's legend, with whether each is shown (a series without values leaves it).
const legend = (page, chart) =>
  page.$$eval(`${chart} .u-legend .u-series`, (rows) => Object.fromEntries(rows.map((r) => [r.textContent.trim(), !r.hidden])));

// The page's table of the path against the package's points, column by column (web/charts/sparsity-curve.js).
function assertPathTable(rows, result) {
  assert.deepEqual(rows.map((r) => r[0]), result.points.map((p) => String(p.s)));
  result.points.forEach((p, i) => {
    const r = rows[i];
    const at = `s = ${p.s}`;
    assert.equal(r[1], formatNumber(p.trainLoss, 6), `${at}: train loss`);
    assert.equal(r[6], p.start, `${at}: start`);
    assert.equal(r[7], formatNumber(p.cold.trainLoss, 6), `${at}: cold start`);
    assert.equal(r[8], formatNumber(p.baselines.magnitude.trainLoss, 6), `${at}: magnitude pruning`);
    assert.equal(r[9], formatPercent(p.baselines.magnitude.testAccuracy), `${at}: magnitude test accuracy`);
    assert.equal(r[10], formatNumber(p.baselines.l1.trainLoss, 6), `${at}: L1`);
    assert.equal(r[11], formatPercent(p.baselines.l1.testAccuracy), `${at}: L1 test accuracy`);
  });
}

test('Sweep fills the sparsity table with one row per s = 1 … n and the dense reference', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?speed=max`);
  await waitForRun(page);
  const start = Date.now();
  await page.click('#sweep');
  await page.waitForFunction(() => document.querySelectorAll('#sparsity-table tbody tr').length > 0, null, { timeout: 30_000 });
  console.log(`# sweep of s = 1 … 15 took ${Date.now() - start} ms`);
  const rows = await tableRows(page, '#sparsity-table');
  assert.deepEqual(rows.map((r) => r[0]), Array.from({ length: 15 }, (_, i) => String(i + 1)));
  assert.ok(rows.every((r) => Number.isFinite(numberOf(r[1]))));
  const dense = await tableRows(page, '#sparsity-table', 'tfoot');
  assert.equal(dense.length, 1);
  assert.match(dense[0][0], /dense \(15\)/);
  // The path, its cold starts and both baselines are the package's, and drawn;
  // nothing was enumerated and no cross-validation ran, so neither is shown.
  const expected = iht.sweep({});
  assertPathTable(rows, expected);
  assert.equal(await page.textContent('#sparsity-summary'), pathSummary(expected));
  assert.match(await page.textContent('#sparsity-summary'), /smallest s/);
  assert.deepEqual(await legend(page, '#sparsity-loss'), {
    'IHT path (best start): train loss': true,
    'cold start: train loss': true,
    'IHT path: test loss': true,
    'magnitude pruning: train loss': true,
    'L1: train loss': true,
    'dense train loss': true,
    'dense test loss': true,
    'best of all C(n, s) supports': false,
  });
  const accuracyLegend = await legend(page, '#sparsity-accuracy');
  assert.equal(accuracyLegend['magnitude pruning: test accuracy'], true);
  assert.equal(accuracyLegend['L1: test accuracy'], true);
  assert.equal(await page.isVisible('#sparsity-cv-box'), false);
  assert.equal(await page.isVisible('#sparsity-heatmap'), false);
  assert.equal(await page.isVisible('#sweep-stale'), false);
  assert.equal(await page.isEnabled('#sweep'), true);

  // s does not change a sweep; the seed does, so the sweep is marked stale.
  await page.fill('#s', '7');
  await page.press('#s', 'Enter');
  await page.waitForFunction(() => /7 of 15 parameters nonzero/.test(document.getElementById('network-caption').textContent));
  assert.equal(await page.isVisible('#sweep-stale'), false);
  await page.fill('#seed', '2');
  await page.press('#seed', 'Enter');
  await page.waitForSelector('#sweep-stale', { state: 'visible' });
  await waitForRun(page);
  assert.deepEqual(problems, []);
  await screenshot(page, 'sweep-desktop');
  await page.setViewportSize({ width: 360, height: 800 });
  // Nothing may stick out sideways on a phone, once the charts have followed
  // the new width (they resize a frame or more later).
  await page.waitForFunction(() => document.documentElement.scrollWidth <= 360, null, { timeout: 10_000 })
    .catch(async () => assert.fail(`horizontal overflow at 360 px: ${await page.evaluate(() => document.documentElement.scrollWidth)} px wide`));
  await screenshot(page, 'page-narrow');
  await page.close();
});

test('Stop pauses a long run, and pressed again ends it with status stopped, keeping its results', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?iters=100000&speed=1`);
  // At least 10 iterations in (one per frame), whatever the machine's speed.
  await page.waitForFunction(() => /^Iteration (\d{2,}|[1-9]\d*,)/.test(document.getElementById('run-status').textContent));
  await page.click('#stop');
  await page.waitForFunction(() => /^Paused at iteration/.test(document.getElementById('run-status').textContent));
  await page.click('#stop');
  await waitForRun(page);
  const status = await page.textContent('#run-status');
  assert.match(status, /^Stopped after [\d,]+ iterations/);
  const history = await tableRows(page, '#curves-table');
  assert.ok(history.length > 2);
  assert.ok(numberOf(history.at(-1)[0]) < 100000);
  assert.equal(await page.isDisabled('#stop'), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('results download as JSON and CSV, and charts as PNG', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?speed=max&s=4`);
  await waitForRun(page);
  const save = async (selector) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: download.suggestedFilename(), bytes: fs.readFileSync(await download.path()) };
  };
  const json = await save('#export-json');
  assert.equal(json.name, 'sparse-iht-s4-seed1.json');
  const data = JSON.parse(json.bytes.toString('utf8'));
  assert.equal(data.train.theta.length, 15);
  assert.equal(data.train.theta.filter((v) => v !== 0).length, 4);
  assert.equal(data.l2s.ratios.length, 1000);
  assert.equal(data.settings.s, 4);

  const history = (await save('#export-history')).bytes.toString('utf8').trim().split('\n');
  assert.equal(history[0], 'iteration,train_loss,train_accuracy,test_accuracy,nnz,entered,left');
  assert.equal(history.length, 1002);
  const theta = (await save('#export-theta')).bytes.toString('utf8').trim().split('\n');
  assert.equal(theta.length, 16);

  const png = [0x89, 0x50, 0x4e, 0x47];
  for (const view of ['network', 'curves', 'l2s']) {
    const image = await save(`[data-png="${view}"]`);
    assert.deepEqual([...image.bytes.subarray(0, 4)], png, view);
    assert.ok(image.bytes.length > 2000, `${view} PNG is ${image.bytes.length} bytes`);
  }
  // Before a sweep there is nothing to download for it: a message says so.
  await page.click('#export-sweep');
  assert.match(await page.textContent('#export-error'), /press Sweep first/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Sweep with cv=3: the CV curve, the chosen s, the optimum per s and the stability heat map are the package\'s', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?speed=max&cv=3&exact=1&ridge=0.01`);
  await waitForRun(page);
  assert.equal(await page.inputValue('#cv'), '3');
  assert.equal(await page.isChecked('#exact'), true);
  await page.click('#sweep');
  await page.waitForSelector('#sparsity-cv-box', { state: 'visible', timeout: 60_000 });
  const expected = iht.sweep({ cv: 3, exact: true, ridge: 0.01 });
  const { cv } = expected;
  assert.ok(cv.chosenS >= 1 && cv.chosenS <= 15);

  // The choice of s, in words: the 1-SE rule, the lowest mean, EBIC, and no test split.
  const cvText = await page.textContent('#sparsity-cv-summary');
  assert.equal(cvText, cvSummary(expected));
  assert.match(cvText, new RegExp(`chooses s = ${cv.chosenS} by the one-standard-error rule`));
  assert.match(cvText, /The test split was not used to choose s\./);
  assert.equal(await page.textContent('#sparsity-summary'), pathSummary(expected));

  // The table: the path and baselines, the gap to the best support, and the CV mean ± SE per s.
  const rows = await tableRows(page, '#sparsity-table');
  assertPathTable(rows, expected);
  const head = await tableHead(page, '#sparsity-table');
  const column = (label) => head.indexOf(label);
  assert.ok(column('CV loss ± SE') > 0 && column('gap to best support') > 0);
  expected.points.forEach((p, i) => {
    const k = Array.from(cv.s).indexOf(p.s);
    assert.equal(rows[i][column('CV loss ± SE')], `${formatNumber(cv.meanLoss[k], 4)} ± ${formatNumber(cv.stdErrLoss[k], 3)}`, `s = ${p.s}`);
    assert.equal(rows[i][column('gap to best support')], reachesOptimum(p) ? 'optimal' : formatNumber(p.exactGap, 3), `s = ${p.s}`);
  });
  assert.ok(expected.points.every((p) => p.exact !== null), 'every s has its optimum');
  assert.equal((await legend(page, '#sparsity-loss'))['best of all C(n, s) supports'], true);
  const cvLegend = await legend(page, '#sparsity-cv');
  assert.deepEqual(cvLegend, { 'mean validation loss': true, 'mean + 1 SE': true, 'mean − 1 SE': true });

  // The stability heat map and its table: the share of folds that kept each parameter, per s.
  const box = await page.locator('#sparsity-heatmap canvas').boundingBox();
  assert.ok(box && box.width > 100 && box.height > 100, `heat map ${JSON.stringify(box)}`);
  const labels = iht.describe({}).parameters.map((p) => p.label);
  const kept = labels.map((_, j) => j).filter((j) => expected.supportFrequency.some((row) => row[j] > 0));
  assert.ok(kept.length > 0 && kept.length <= labels.length);
  assert.deepEqual(await tableHead(page, '#sparsity-stability-table'), ['s', ...kept.map((j) => labels[j])]);
  const stability = await tableRows(page, '#sparsity-stability-table');
  assert.deepEqual(stability, Array.from(cv.s, (s, i) => [String(s), ...kept.map((j) => formatPercent(expected.supportFrequency[i][j]))]));

  // Its CSV has every parameter and the exact shares; the sweep's CSV has the new columns.
  const save = async (selector) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: download.suggestedFilename(), lines: fs.readFileSync(await download.path(), 'utf8').trim().split('\n') };
  };
  const csv = await save('#export-stability');
  assert.equal(csv.name, 'sparse-iht-stability-seed1-cv3.csv');
  assert.equal(csv.lines[0], ['s', ...labels].join(','));
  assert.deepEqual(csv.lines.slice(1).map((line) => line.split(',').map(Number)),
    Array.from(cv.s, (s, i) => [s, ...expected.supportFrequency[i]]));
  const sweepCsv = await save('#export-sweep');
  const header = sweepCsv.lines[0].split(',');
  for (const name of ['start', 'cold_train_loss', 'magnitude_train_loss', 'l1_test_accuracy', 'exact_gap', 'cv_mean_loss', 'cv_std_err_loss']) {
    assert.ok(header.includes(name), name);
  }
  const first = Object.fromEntries(header.map((h, i) => [h, sweepCsv.lines[1].split(',')[i]]));
  const p0 = expected.points[0];
  assert.equal(first.start, p0.start);
  assert.equal(Number(first.cold_train_loss), p0.cold.trainLoss);
  assert.equal(Number(first.magnitude_train_loss), p0.baselines.magnitude.trainLoss);
  assert.equal(Number(first.l1_train_loss), p0.baselines.l1.trainLoss);
  assert.equal(Number(first.exact_gap), p0.exactGap);
  assert.equal(Number(first.cv_mean_loss), cv.meanLoss[0]);
  assert.equal(Number(first.cv_std_err_loss), cv.stdErrLoss[0]);
  await screenshotOf(page, '#card-sparsity', 'sweep-cv');
  const png = await save('[data-png="sparsity"]');
  assert.equal(png.name, 'sparse-iht-s5-seed1-sparsity.png');

  // Another K marks the sweep stale; it changes no training, so none starts.
  const status = await page.textContent('#run-status');
  await page.selectOption('#cv', '5');
  await page.waitForSelector('#sweep-stale', { state: 'visible' });
  assert.match(page.url(), /[?&]cv=5(&|$)/);
  assert.equal(await page.textContent('#run-status'), status);
  assert.equal(await page.isDisabled('#stop'), true, 'nothing runs');
  assert.deepEqual(problems, []);
  await page.close();
});

test('sGrid: a link traces only the listed s (and n); a value above n is refused next to its control and the path stays', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?speed=max&sGrid=2,5,9`);
  await waitForRun(page);
  assert.equal(await page.inputValue('#sGrid'), '2,5,9');
  await page.click('#sweep');
  await page.waitForFunction(() => document.querySelectorAll('#sparsity-table tbody tr').length > 0, null, { timeout: 30_000 });
  const expected = iht.sweep({ sGrid: '2,5,9' });
  assert.deepEqual(expected.points.map((p) => p.s), [2, 5, 9, 15]);
  const rows = await tableRows(page, '#sparsity-table');
  assertPathTable(rows, expected);
  assert.equal(await page.textContent('#sparsity-summary'), pathSummary(expected));

  // 40 is above n = 15: the core's message, under the grid's control; the path drawn stays, and is marked stale.
  await page.fill('#sGrid', '3, 40');
  await page.press('#sGrid', 'Enter');
  await page.waitForSelector('#sweep-stale', { state: 'visible' });
  assert.match(page.url(), /[?&]sGrid=3%2C40(&|$)|[?&]sGrid=3,40(&|$)/);
  await page.click('#sweep');
  await page.waitForFunction(() => document.getElementById('sGrid-error').textContent !== '', null, { timeout: 30_000 });
  assert.equal(await page.textContent('#sGrid-error'), 'sGrid (--s-grid): 40 is outside 1..15 (n = 15 parameters)');
  assert.equal(await page.getAttribute('#sGrid', 'aria-invalid'), 'true');
  assert.deepEqual(await tableRows(page, '#sparsity-table'), rows);
  assert.equal(await page.isEnabled('#sweep'), true);

  // Text that is not a list never reaches the worker: the form says what it expects.
  await page.fill('#sGrid', '2;5');
  await page.press('#sGrid', 'Enter');
  assert.match(await page.textContent('#sGrid-error'), /^Values of s: expected up to 100 values of s from 1 to 1000000 separated by commas/);
  // Emptied, it is the default grid again: every s = 1 … 15.
  await page.fill('#sGrid', '');
  await page.press('#sGrid', 'Enter');
  assert.equal(await page.textContent('#sGrid-error'), '');
  await page.click('#sweep');
  await page.waitForFunction(() => document.querySelectorAll('#sparsity-table tbody tr').length === 15, null, { timeout: 30_000 });
  assert.equal(await page.textContent('#sGrid-error'), '');
  assert.deepEqual(problems, []);
  await page.close();
});

test('Stop during a sweep ends it after its current training and shows the partial path, labelled; the page stays usable', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?hidden=8&speed=max&cv=3`);
  await waitForRun(page);
  // The server isolates the page (COOP and COEP), so the stop flag is shared memory.
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  await page.click('#sweep');
  await page.waitForFunction(() => /^Sweeping: [1-9]\d* of \d+ trainings/.test(document.getElementById('sweep-progress-text').textContent),
    null, { timeout: 30_000 });
  await page.click('#stop');
  await page.waitForFunction(() => /^Sweep stopped after/.test(document.getElementById('sweep-progress-text').textContent),
    null, { timeout: 30_000 });
  const note = await page.textContent('#sweep-progress-text');
  const m = /^Sweep stopped after (\d+) of (\d+) trainings: the view shows the partial path \((\d+) of (\d+) values of s\)\./.exec(note);
  assert.ok(m, note);
  assert.ok(Number(m[1]) < Number(m[2]), `stopped before the end: ${note}`);
  assert.match(await page.textContent('#sparsity-summary'), /^Partial path: the sweep was stopped/);
  assert.match(await page.textContent('#sparsity-table caption'), /^Partial: the sweep was stopped\./);
  const rows = await tableRows(page, '#sparsity-table');
  assert.equal(rows.length, Number(m[3]));
  assert.ok(rows.length >= 1);
  assert.equal(await page.isVisible('#sweep-progress'), false);
  assert.equal(await page.isEnabled('#sweep'), true);
  assert.equal(await page.isDisabled('#stop'), true);
  // The partial path downloads, named so.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-sweep')]);
  assert.equal(download.suggestedFilename(), 'sparse-iht-sweep-seed1-partial.csv');
  await page.fill('#s', '9');
  await page.press('#s', 'Enter');
  await page.waitForFunction(() => /9 of 67 parameters nonzero/.test(document.getElementById('network-caption').textContent));
  await waitForRun(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('without cross-origin isolation Stop ends a sweep by replacing the worker; the page keeps working', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  // A host that sends no COOP/COEP headers: no shared memory, so no stop flag.
  await page.route(`${suite.server.url}**`, async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  await page.goto(`${suite.server.url}?hidden=8&speed=max`);
  await waitForRun(page);
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  await page.click('#sweep');
  await page.waitForFunction(() => /^Sweeping: [1-9]\d* of \d+ trainings/.test(document.getElementById('sweep-progress-text').textContent),
    null, { timeout: 30_000 });
  await page.click('#stop');
  await page.waitForFunction(() => document.getElementById('sweep-progress-text').textContent === 'Sweep stopped.');
  assert.equal(await page.isVisible('#sweep-progress'), false);
  assert.equal((await tableRows(page, '#sparsity-table')).length, 0);
  assert.equal(await page.isEnabled('#sweep'), true);
  await page.fill('#s', '9');
  await page.press('#s', 'Enter');
  await page.waitForFunction(() => /9 of 67 parameters nonzero/.test(document.getElementById('network-caption').textContent));
  await waitForRun(page);
  assert.deepEqual(problems, []);
  await page.close();
});
