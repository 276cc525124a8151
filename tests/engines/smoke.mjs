// The smoke suite: the page's main flows as one sequence of steps that runs
// unchanged in Chromium, Firefox and WebKit (drivers.mjs gives each engine the
// same small interface). It covers what a new user meets: the default run and
// every view, Sweep, the L̂₂ₛ histogram, a CSV file, embed mode, a model
// worker that crashes mid-session, and a worker script that cannot start.
// Every step checks the engine's console errors where its driver shows them,
// and in every engine the page's own list of uncaught errors and policy
// violations (web/boot.js). The full suite stays Chromium's: tests/browser/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { resultsDir, startServer, until, webRoot } from '../browser/harness.mjs';
import { scratch } from './drivers.mjs';

const FINISHED = /after [\d,]+ iterations?\b/;
const DEFAULT_STATUS = 'Reached the iteration limit after 1,000 iterations: test accuracy 96.7 %, 5 nonzero parameters.';
const WAIT = 60_000; // a guard against a hang, not a time limit

// Polls fn(arg) in the page until it returns something truthy, and returns it.
async function waitIn(d, fn, arg, what) {
  let value;
  await until(async () => (value = await d.evaluate(fn, arg)), what, WAIT);
  return value;
}

const text = (d, id) => d.evaluate((el) => document.getElementById(el).textContent, id);
const rows = (d, selector) =>
  d.evaluate((sel) => [...document.querySelectorAll(`${sel} tbody tr`)].map((r) => [...r.cells].map((c) => c.textContent.trim())), selector);
const visible = (d, selector) =>
  d.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  }, selector);

const waitForRun = (d) =>
  waitIn(d, (source) => new RegExp(source).test(document.getElementById('run-status').textContent), FINISHED.source, 'a finished run');

/** Does action (which starts a run) and waits for that run, not the one before, to finish. */
async function runStartedBy(d, action) {
  await d.evaluate(() => {
    const status = document.getElementById('run-status');
    const seen = (window.__statusesSeen = []);
    window.__statusObserver?.disconnect();
    window.__statusObserver = new MutationObserver(() => seen.push(status.textContent));
    window.__statusObserver.observe(status, { childList: true, characterData: true, subtree: true });
  });
  await action();
  await waitIn(
    d,
    (source) => {
      const finished = new RegExp(source);
      const seen = window.__statusesSeen;
      const started = seen.findIndex((t) => !finished.test(t));
      return started >= 0 && seen.slice(started + 1).some((t) => finished.test(t));
    },
    FINISHED.source,
    'the run that the action started, finished',
  );
}

// How many of a chart's canvases hold a drawing: some pixel that is not
// transparent. (uPlot draws its axes, grid and series on one canvas.)
const drawnCanvases = (d, id) =>
  d.evaluate((el) => {
    const canvases = [...document.getElementById(el).querySelectorAll('canvas')];
    return canvases.filter((c) => {
      if (!c.width || !c.height) return false;
      const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
      return false;
    }).length;
  }, id);

// The engine's console (where its driver shows it) and the page's own list.
async function assertClean(d, what) {
  const problems = d.problems();
  if (problems !== null) assert.deepEqual(problems, [], `${d.engine} console, ${what}`);
  assert.deepEqual(await d.evaluate(() => window.sparseIhtBoot.errors), [], `${d.engine} page errors, ${what}`);
}

// Two label boxes overlap when they share any area.
const overlapping = (boxes) =>
  boxes.flatMap((a, i) =>
    boxes.slice(i + 1).filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom).map((b) => `${a.label} × ${b.label}`),
  );

/** Registers the smoke steps as node:test tests, in one browser that launch() starts. */
export function smokeSuite(launch) {
  let d;
  let server;
  let tmp;
  const broken = {}; // the page with its worker script missing, or throwing

  before(async () => {
    tmp = scratch();
    const root = webRoot();
    for (const [name, worker] of [['missing', null], ['throws', "throw new Error('worker.js made to fail for this test');\n"]]) {
      const copy = path.join(tmp, name);
      fs.cpSync(root, copy, { recursive: true });
      if (worker === null) fs.rmSync(path.join(copy, 'worker.js'));
      else fs.writeFileSync(path.join(copy, 'worker.js'), worker);
    }
    [server, broken.missing, broken.throws, d] = await Promise.all([
      startServer(root),
      startServer(path.join(tmp, 'missing')),
      startServer(path.join(tmp, 'throws')),
      launch(),
    ]);
    console.log(`# ${d.version}`);
  });

  after(async () => {
    await d?.close();
    for (const s of [server, broken.missing, broken.throws]) s?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const shot = (name) => {
    fs.mkdirSync(resultsDir, { recursive: true });
    return d.screenshot(path.join(resultsDir, `engine-${d.engine}-${name}.png`));
  };

  test('the default page starts, finishes its run with the same numbers, and draws every view', async () => {
    await d.open(`${server.url}?debug=1&speed=max`);
    const state = await waitIn(d, () => window.sparseIhtBoot.state !== 'starting' && window.sparseIhtBoot.state, null, 'the page ready or failed');
    assert.equal(state, 'ready', await text(d, 'boot-error'));
    await waitForRun(d);
    assert.equal(await text(d, 'run-status'), DEFAULT_STATUS);
    assert.equal(await visible(d, '#boot-error'), false);

    // 1 · the network: θ's 15 entries, 5 kept, and a drawing.
    const theta = await rows(d, '#network-table');
    assert.equal(theta.length, 15);
    assert.equal(theta.filter((r) => r[3] === 'yes').length, 5);
    assert.ok(await d.evaluate(() => document.querySelectorAll('#network-svg line').length >= 15), 'the network is drawn');
    // 2 · the curves, to iteration 1000, on both charts.
    const history = await rows(d, '#curves-table');
    assert.equal(history.at(-1)[0], '1000');
    assert.equal(await drawnCanvases(d, 'curves-loss'), 1);
    assert.equal(await drawnCanvases(d, 'curves-accuracy'), 1);
    // 3 · the verdict; 4 · the confusion matrix.
    assert.match(await text(d, 'stability-verdict'), /HT-stable/);
    assert.equal((await rows(d, '#confusion-table')).length, 3);
    // 5 · the histogram (its own step below); 7 · the last step; 9 · the code.
    assert.equal(await drawnCanvases(d, 'l2s-chart'), 1);
    assert.ok(await d.evaluate(() => document.querySelectorAll('#step-svg rect').length > 0), 'the step view is drawn');
    assert.match(await text(d, 'code-native'), /^iht train /);
    await shot('default');
    await assertClean(d, 'the default run');
  });

  test('Sweep traces the path of s from 1 to 15 and draws it', async () => {
    await d.click('#sweep');
    await waitIn(d, () => document.querySelectorAll('#sparsity-table tbody tr').length === 15, null, '15 rows in the sweep table');
    const path = await rows(d, '#sparsity-table');
    assert.deepEqual(path.map((r) => r[0]), Array.from({ length: 15 }, (_, i) => String(i + 1)));
    assert.equal(await drawnCanvases(d, 'sparsity-loss'), 1);
    assert.equal(await drawnCanvases(d, 'sparsity-accuracy'), 1);
    assert.match(await text(d, 'sparsity-summary'), /\S/);
    await assertClean(d, 'Sweep');
  });

  test('the L̂₂ₛ histogram: its bins, its key, and tags that do not overlap', async () => {
    const bins = await rows(d, '#l2s-table');
    assert.ok(bins.length >= 10, `${bins.length} bins`);
    assert.match(await text(d, 'l2s-key'), /^p50 [\d.]+p90 [\d.]+p99 [\d.]+L̂₂ₛ = max [\d.]+lower [\d.]+upper [\d.]+1\/γ [\d.]+$/);
    const boxes = await d.evaluate(() => window.sparseIhtDebug.l2sLabels());
    assert.deepEqual(boxes.map((b) => b.label), ['p50', 'p90', 'p99', 'L̂₂ₛ', 'lower', 'upper', '1/γ']);
    // The tags are measured with this engine's fonts.
    assert.ok(boxes.every((b) => b.right > b.left && b.bottom > b.top), JSON.stringify(boxes));
    assert.deepEqual(overlapping(boxes), [], JSON.stringify(boxes));
    await assertClean(d, 'the histogram');
  });

  test('a CSV file chosen in the file input loads and trains', async () => {
    const file = path.join(tmp, 'petals.csv');
    const lines = ['width,length,kind'];
    for (let i = 0; i < 24; i++) lines.push(`${(i % 3) + i / 50},${((i * 7) % 5) / 4 + (i % 3)},${['setosa', 'versicolor', 'virginica'][i % 3]}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    await runStartedBy(d, () => d.setInputFile('#csv-file', file));
    assert.match(await text(d, 'data-info'), /petals\.csv/);
    assert.deepEqual((await rows(d, '#confusion-table')).map((r) => r[0]), ['setosa', 'versicolor', 'virginica']);
    assert.match(await text(d, 'network-caption'), /of 9 parameters nonzero/);
    assert.equal(await text(d, 'data-error'), '');
    await assertClean(d, 'the CSV file');
  });

  test('embed mode is compact, hides the listed controls and runs', async () => {
    await d.open(`${server.url}?embed=1&hide=seed,samples&speed=max&debug=1`);
    await waitForRun(d);
    assert.equal(await text(d, 'run-status'), DEFAULT_STATUS);
    assert.equal(await d.evaluate(() => document.body.classList.contains('embed')), true);
    for (const hidden of ['#seed', '#samples', '.intro', '.footer']) assert.equal(await visible(d, hidden), false, hidden);
    for (const shown of ['#s', '#train', '#card-network', '#card-curves']) assert.equal(await visible(d, shown), true, shown);
    assert.ok(await d.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scrolling');
    await shot('embed');
    await assertClean(d, 'embed mode');
  });

  test('a model worker that crashes is a visible message, and Train works again', async () => {
    await d.open(`${server.url}?debug=1&speed=max`);
    await waitForRun(d);
    const network = await rows(d, '#network-table');
    await d.evaluate(() => window.sparseIhtDebug.terminateWorker());
    await waitIn(d, () => /stopped unexpectedly/.test(document.getElementById('run-error').textContent), null, 'the crash message');
    assert.match(await text(d, 'run-error'), /^The model worker stopped unexpectedly.*\. It has been restarted; your data and settings are kept\.$/);
    assert.equal(await visible(d, '#run-error'), true);
    await shot('worker-crash');
    await runStartedBy(d, () => d.click('#train'));
    assert.equal(await text(d, 'run-error'), '');
    assert.deepEqual(await rows(d, '#network-table'), network, 'the same settings give the same network');
    await assertClean(d, 'the crash');
  });

  for (const fault of ['missing', 'throws']) {
    test(`a worker script that ${fault === 'missing' ? 'is missing' : 'throws'} is a visible start-up message`, async () => {
      await d.open(broken[fault].url);
      await waitIn(d, () => window.sparseIhtBoot.state === 'failed', null, 'the start-up message');
      assert.equal(await visible(d, '#boot-error'), true);
      assert.equal(await text(d, 'boot-error-title'), 'The demo could not start');
      const message = await text(d, 'boot-error-text');
      assert.match(message, /^The model could not be loaded: .+\. Reload the page to try again\.$/);
      if (fault === 'throws') assert.match(message, /worker\.js made to fail for this test/);
      assert.match(await text(d, 'boot-error-hint'), /^Reload the page\./);
      assert.equal(await text(d, 'run-error'), message);
      assert.equal(await text(d, 'curves-summary'), 'The model is not loaded: see the message at the top of the page.');
      assert.deepEqual(await d.evaluate(() => window.sparseIhtBoot.errors), [`start-up failure: ${message}`]);
      await shot(`worker-${fault}`);
    });
  }
}
