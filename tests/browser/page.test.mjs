// The demo page with the built-in IRIS data: a clean load, every view filled
// by a default run, state from the URL, keyboard access, and embedding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import load from '../../dist/index.node.mjs';
import { demoSuite, numberOf, openPage, runStartedBy, screenshot, screenshotOf, tableRows, waitForRun } from './harness.mjs';

const suite = demoSuite();
let main; // the default page, shared by the first tests

// The package in this process, to compute what the page should show.
const iht = await load();

const RULES = ['auto', 'bound', 'backtracking', 'normalized', 'estimate'];
const FLAGS = ['refine', 'stopWhenStable'];

// The run options a page URL stands for (web/state.js runOptions; the
// package's defaults fill in what the URL leaves out).
function runOptionsOf(url) {
  const params = new URL(url).searchParams;
  const options = {};
  const keys = ['s', 'step', 'stepFactor', 'iters', 'ridge', ...FLAGS, 'seed', 'hidden', 'activation', 'samples', 'testFraction'];
  for (const key of keys) {
    if (!params.has(key)) continue;
    const text = params.get(key);
    if (FLAGS.includes(key)) options[key] = text === '1';
    else options[key] = ['hidden', 'activation'].includes(key) || RULES.includes(text) ? text : Number(text);
  }
  return options;
}

// The largest step a run took: γ for a fixed rule, max of history.step for an adaptive one.
const largestStep = (result) => (result.history.step.length ? Math.max(...result.history.step) : result.stepSize);

// The HT-stability card must show the verdict and figures of the run it shows,
// which the package computes again here from the page's URL.
async function checkStabilityCard(page, result) {
  const { stable, margin, supportGradInf } = result.htStable;
  assert.equal(await page.textContent('#stability-verdict'), stable ? '✓ HT-stable' : '✗ Not HT-stable');
  const figures = await page.$$eval('#stability-list dd', (dds) => dds.map((dd) => dd.textContent));
  // Four significant digits on the page (web/format.js).
  const close = (text, value, what) => {
    assert.ok(Math.abs(numberOf(text) - value) <= 5e-4 * Math.abs(value), `${what}: shown ${text}, computed ${value}`);
  };
  close(figures[0], margin, 'margin');
  close(figures[1], supportGradInf, 'largest gradient on the support');
}

test('the default page loads without errors and shows its first curve', async () => {
  main = await openPage(suite.browser.context);
  const { page, problems } = main;
  await page.goto(suite.server.url);
  // How soon it appears is a figure of `npm run bench` (workload page), not
  // a test: a bound on it failed whenever another job shared the cores.
  await page.waitForFunction(() => /^(Iteration|Finished)/.test(document.getElementById('curves-summary').textContent));
  await waitForRun(page);
  assert.deepEqual(problems, []);
  // The URL now holds every run setting, so the link reproduces the run.
  const params = new URL(page.url()).searchParams;
  for (const key of ['s', 'step', 'iters', 'ridge', ...FLAGS, 'seed', 'hidden', 'activation', 'samples', 'data']) {
    assert.ok(params.has(key), key);
  }
  await screenshot(page, 'page-desktop');
});

test('a default run fills every view and its text alternative', async () => {
  const { page, problems } = main;

  const history = await tableRows(page, '#curves-table');
  assert.ok(history.length > 10);
  assert.equal(history.at(-1)[0], '1000');
  assert.ok(Number.isFinite(numberOf(history.at(-1)[1])));
  assert.match(await page.textContent('#curves-summary'), /test accuracy \d+\.\d %/);

  const theta = await tableRows(page, '#network-table');
  assert.equal(theta.length, 15);
  assert.equal(theta.filter((r) => r[3] === 'yes').length, 5);
  const pruned = theta.filter((r) => r[3] === 'no');
  assert.equal(pruned.length, 10);
  assert.equal(pruned.every((r) => numberOf(r[2]) === 0), true);
  assert.equal(await page.locator('#network-svg line title').count(), 12);
  assert.match(await page.textContent('#network-caption'), /5 of 15 parameters nonzero/);

  // The histogram follows the run (the default rule needs no Monte Carlo estimate).
  await page.waitForFunction(() => /1\/upper/.test(document.getElementById('l2s-summary').textContent));
  const bins = await tableRows(page, '#l2s-table');
  assert.ok(bins.length >= 10);
  assert.equal(bins.reduce((sum, r) => sum + numberOf(r[2]), 0), 1000);
  const l2sText = await page.textContent('#l2s-summary');
  assert.match(l2sText, /L̂₂ₛ = \d/);
  assert.match(l2sText, /lower bound/);
  // The default, auto, runs the certified rule bound on the paper's network: γ = 0.9 / upper,
  // below 1/upper, so the page says the theorem covers it, judged on the bracket, never on L̂₂ₛ.
  const result = iht.train(runOptionsOf(page.url()));
  assert.equal(result.stepRule, 'bound');
  assert.equal(result.stepCertified, true);
  assert.match(l2sText, /The certified upper bound is 1\.45\d* \(Böhning's bound/);
  assert.match(l2sText, /The run uses γ = c \/ upper = 0\.6197, marked as 1\/γ = 1\.614\. This run's γ = 0\.6197 is below 1\/upper = 0\.6885, so γ < 1\/L₂ₛ: the theorem covers it/);
  const hint = await page.textContent('#step-bound');
  assert.match(hint, /^auto: bound \(γ = c \/ upper, certified\) without hidden layers; with them, where no certified bound exists, backtracking/);
  assert.match(hint, /It ran bound\. This run's γ = 0\.6197 is below 1\/upper/);
  assert.ok(!/auto \(for now the estimate\)|L̂₂ₛ/.test(hint), `the hint no longer says auto = estimate: ${hint}`);

  // Unstable for every seed from 1 to 40: after 1,000 iterations the gradient
  // on the support is still at least 5 times the tolerance.
  assert.equal(result.htStable.stable, false, 'the default run is the unstable case');
  await checkStabilityCard(page, result);
  // Why, in the package's words: setosa is separable on this support, so the loss has no finite minimiser.
  assert.equal(await page.textContent('#stability-reason'), result.htStable.reason);
  assert.match(result.htStable.reason, /^Not stable: .*separable.*ridge/);
  assert.match(await page.textContent('#stability-list'), /margin/);
  assert.ok((await page.textContent('#stability-explain')).length > 80);

  const confusion = await tableRows(page, '#confusion-table');
  assert.equal(confusion.length, 3);
  assert.deepEqual(confusion.map((r) => r[0]), ['Iris-setosa', 'Iris-versicolor', 'Iris-virginica']);
  assert.equal(confusion.flatMap((r) => r.slice(1)).reduce((a, c) => a + numberOf(c), 0), 30);
  assert.deepEqual(problems, []);
});

test('the HT-stability verdict is the shown run’s: stable at s = 1', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  // Stable for every seed from 1 to 100 after 3,000 iterations (margin ≥ 2,
  // gradient on the support ≤ 0.05 × the tolerance), so no one trajectory matters.
  await page.goto(`${suite.server.url}?s=1&iters=3000&speed=max`);
  await waitForRun(page);
  const result = iht.train(runOptionsOf(page.url()));
  assert.equal(result.s, 1);
  assert.equal(result.htStable.stable, true, 'the run at s = 1 is the stable case');
  await checkStabilityCard(page, result);
  assert.match(await page.textContent('#stability-explain'), /it is a fixed point/);
  assert.deepEqual(problems, []);
  await page.close();
});

async function runWithS(page, s) {
  await page.goto(`${suite.server.url}?s=${s}&speed=max`);
  await waitForRun(page);
  const theta = await tableRows(page, '#network-table');
  const loss = /Train loss ([\d.e-]+)/.exec(await page.textContent('#curves-summary'))[1];
  return { nnz: theta.filter((r) => r[3] === 'yes').length, loss: Number(loss), input: await page.inputValue('#s') };
}

test('s from the URL sets the run: a different s gives a different network and loss', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  const three = await runWithS(page, 3);
  const eight = await runWithS(page, 8);
  assert.equal(three.input, '3');
  assert.equal(eight.input, '8');
  assert.equal(three.nnz, 3);
  assert.equal(eight.nnz, 8);
  assert.notEqual(three.loss, eight.loss);
  assert.ok(eight.loss < three.loss, `s = 8 (${eight.loss}) should fit better than s = 3 (${three.loss})`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('invalid URL values fall back to the defaults with a visible notice', async () => {
  const { page } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?s=abc&iters=-4&activation=cosine&speed=max`);
  await waitForRun(page);
  const notices = await page.locator('#notices .notice').allTextContents();
  assert.equal(notices.length, 3);
  assert.match(notices.join(' '), /s=abc/);
  assert.match(notices.join(' '), /iters=-4/);
  assert.match(notices.join(' '), /activation=cosine/);
  assert.equal(await page.inputValue('#s'), '5');
  assert.equal(await page.inputValue('#iters'), '1000');
  assert.equal(await page.inputValue('#activation'), 'tanh');
  assert.match(page.url(), /[?&]s=5(&|$)/);
  await page.close();
});

test('Tab reaches every control in order, each with an accessible name', async () => {
  const { page } = main;
  await page.evaluate(() => document.activeElement?.blur());
  const expected = [
    'skip-link', 'data', 'csv-file', 'testFraction', 'hidden', 'activation', 's-range', 's', 'step-mode', 'stepFactor',
    'ridge', 'refine', 'stopWhenStable', 'iters', 'seed', 'samples', 'speed', 'cv', 'sGrid', 'exact', 'train', 'step-once', 'reset',
    'sweep', 'pin-a', 'export-json', 'export-history', 'export-theta', 'export-ratios', 'export-sweep', 'export-stability',
    'run-file',
  ];
  const seen = [];
  for (let i = 0; i < expected.length; i++) {
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    const id = await focused.getAttribute('id');
    const snapshot = await focused.ariaSnapshot();
    const name = /^- [\w ]+ "([^"]+)"/.exec(snapshot)?.[1] ?? '';
    seen.push(id);
    assert.ok(name.trim().length > 0, `#${id} has no accessible name: ${snapshot}`);
  }
  assert.deepEqual(seen, expected);
  // The controls are operable from the keyboard: arrow keys move s, Enter trains.
  await page.focus('#s-range');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /6 of 15 parameters nonzero/.test(document.getElementById('network-caption').textContent));
  await waitForRun(page);
  assert.equal(await page.inputValue('#s'), '6');
  assert.match(page.url(), /[?&]s=6(&|$)/);
});

test('hidden layers change n, the range of s and the drawing', async () => {
  const { page, problems } = main;
  await page.fill('#hidden', '8');
  await page.press('#hidden', 'Enter');
  await page.waitForFunction(() => /of 67 parameters nonzero/.test(document.getElementById('network-caption').textContent));
  await waitForRun(page);
  // 4·8 + 8 weights and biases into the hidden layer, 8·3 + 3 out of it.
  assert.equal(await page.getAttribute('#s', 'max'), '67');
  assert.equal(await page.getAttribute('#s-range', 'max'), '67');
  assert.equal(await page.locator('#network-svg line title').count(), 56);
  assert.equal((await tableRows(page, '#network-table')).length, 67);
  assert.match(page.url(), /hidden=8(&|$)/);

  await page.fill('#hidden', '8,x');
  await page.press('#hidden', 'Enter');
  assert.match(await page.textContent('#hidden-error'), /Hidden layers: expected/);
  assert.equal(await page.getAttribute('#hidden', 'aria-invalid'), 'true');

  // Reset brings back every default, and the paper's network.
  await page.click('#reset');
  await page.waitForFunction(() => /of 15 parameters nonzero/.test(document.getElementById('network-caption').textContent));
  await waitForRun(page);
  assert.equal(await page.inputValue('#hidden'), '');
  assert.equal(await page.textContent('#hidden-error'), '');
  assert.equal(await page.inputValue('#s'), '5');
  assert.match(page.url(), /[?&]s=5&/);
  assert.deepEqual(problems, []);
});

test('a diverging fixed step is reported next to the step size, with the last finite results', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  // The settings of the bad-input table's step-diverges-later row: 1 or 2
  // finite iterations, then divergence, for every seed tried (its "why").
  await page.goto(`${suite.server.url}?step=60&hidden=32&activation=relu&s=150&speed=max`);
  await waitForRun(page);
  assert.match(await page.textContent('#run-status'), /^Diverged after (1 iteration|2 iterations):/);
  assert.match(await page.textContent('#step-error'), /diverged at iteration [12]:/);
  assert.equal(await page.inputValue('#step-mode'), 'fixed');
  assert.equal(await page.inputValue('#step-value'), '60');
  const theta = await tableRows(page, '#network-table');
  assert.equal(theta.length, 259);
  assert.ok(theta.every((r) => Number.isFinite(numberOf(r[2]))));
  // The bracket for comparison still arrives once the run is over, and judges the step.
  await page.waitForFunction(() => /1\/lower = \d/.test(document.getElementById('l2s-summary').textContent));
  assert.match(await page.textContent('#l2s-summary'), /γ = 60 is at least 1\/lower = [\d.e-]+, so γ ≥ 1\/L₂ₛ: the theorem does not cover it/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('embed mode is compact and hides the listed controls', async () => {
  const { page, problems } = await openPage(suite.browser.context, { width: 760, height: 700 });
  await page.goto(`${suite.server.url}?embed=1&hide=seed,samples,sweep,l2s&speed=max`);
  await waitForRun(page);
  assert.equal(await page.evaluate(() => document.body.classList.contains('embed')), true);
  for (const id of ['seed', 'samples', 'sweep', 'card-l2s']) assert.equal(await page.isVisible(`#${id}`), false, id);
  for (const id of ['s', 'hidden', 'train', 'card-network', 'card-curves']) assert.equal(await page.isVisible(`#${id}`), true, id);
  assert.equal(await page.isVisible('.intro'), false);
  assert.equal(await page.isVisible('.footer'), false);
  // Hidden settings still reproduce: they stay in the link.
  assert.match(page.url(), /embed=1/);
  assert.match(page.url(), /hide=seed,samples,sweep,l2s/);
  assert.deepEqual(problems, []);
  await screenshot(page, 'page-embed');
  await page.close();
});

// A course page on another origin (another port), served by the test, that
// frames the demo at `query` and collects its messages in window.received. It
// is a real loopback server because Chromium blocks pages it cannot place on
// the local network from framing loopback addresses.
async function openCoursePage(t, page, query) {
  const course = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>Lecture</title><iframe id="demo" width="900" height="700"></iframe>');
  });
  await new Promise((resolve) => course.listen(0, '127.0.0.1', resolve));
  t.after(() => course.close());
  await page.goto(`http://127.0.0.1:${course.address().port}/lecture.html`);
  await page.evaluate((src) => {
    window.received = [];
    window.addEventListener('message', (e) => window.received.push(e.data));
    document.getElementById('demo').src = src;
  }, `${suite.server.url}${query}`);
}

test('a parent frame sets the state by postMessage and receives the result', async (t) => {
  const { page } = await openPage(suite.browser.context);
  await openCoursePage(t, page, '?embed=1&speed=max');
  await page.waitForFunction(() => window.received.some((m) => m?.type === 'sparse-iht:ready'));
  await page.evaluate(() => {
    const frame = document.getElementById('demo').contentWindow;
    frame.postMessage({ type: 'sparse-iht:other', state: { s: 2 } }, '*');
    frame.postMessage({ type: 'sparse-iht:set-state', state: { s: 'abc' } }, '*');
    frame.postMessage({ type: 'sparse-iht:set-state', state: { s: 4, seed: 3 } }, '*');
  });
  await page.waitForFunction(() => window.received.some((m) => m?.type === 'sparse-iht:result' && m.s === 4), null, { timeout: 20_000 });
  const messages = await page.evaluate(() => window.received);
  const errors = messages.filter((m) => m.type === 'sparse-iht:error');
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /^s: expected an integer/);
  const results = messages.filter((m) => m.type === 'sparse-iht:result');
  assert.equal(results.every((r) => r.s === 4), true, 'no run for the ignored or invalid messages');
  const result = results.at(-1);
  assert.equal(result.nnz, 4);
  assert.equal(result.theta.length, 15);
  assert.match(result.settings, /seed=3/);
  assert.equal(messages.some((m) => m.type === 'sparse-iht:notice'), false, 'nothing was changed');
  // An s above n passes the shape check (n depends on the network); the demo
  // lowers it to n and tells the parent, which would otherwise only see s = 15
  // come back.
  await page.evaluate(() => document.getElementById('demo').contentWindow.postMessage({ type: 'sparse-iht:set-state', state: { s: 99 } }, '*'));
  await page.waitForFunction(() => window.received.some((m) => m?.type === 'sparse-iht:result' && m.s === 15), null, { timeout: 20_000 });
  const notices = (await page.evaluate(() => window.received)).filter((m) => m.type === 'sparse-iht:notice');
  assert.deepEqual(notices, [{ type: 'sparse-iht:notice', message: "s = 99 is more than this network's n = 15 parameters; using s = 15." }]);
  await page.close();
});

test('a parent frame hears when the demo cannot start', async (t) => {
  const { page } = await openPage(suite.browser.context);
  // The model's WebAssembly cannot be fetched: the worker fails to load the package.
  await page.route('**/lib/sparse-iht-core.wasm', (route) => route.abort());
  await openCoursePage(t, page, '?embed=1&speed=max');
  await page.waitForFunction(() => window.received.some((m) => m?.type === 'sparse-iht:error'), null, { timeout: 20_000 });
  const messages = await page.evaluate(() => window.received);
  const failures = messages.filter((m) => m.type === 'sparse-iht:error');
  assert.equal(failures.length, 1);
  assert.equal(failures[0].phase, 'startup');
  assert.equal(failures[0].kind, 'worker');
  assert.match(failures[0].message, /could not be loaded/);
  assert.deepEqual(Object.keys(failures[0]).sort(), ['kind', 'message', 'phase', 'type']);
  assert.equal(messages.some((m) => m.type === 'sparse-iht:result'), false);
  await page.close();
});

// Two label boxes overlap when they share any area.
const overlapping = (boxes) =>
  boxes.flatMap((a, i) =>
    boxes.slice(i + 1).filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom).map((b) => `${a.label} × ${b.label}`),
  );

test('the L̂₂ₛ histogram’s tags never overlap, however close the quantiles; the key gives the values', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  // Three Monte Carlo pairs: p90, p99 and the maximum all but coincide.
  await page.goto(`${suite.server.url}?debug=1&speed=max&samples=3`);
  await waitForRun(page);
  const key = await page.textContent('#l2s-key');
  const values = /^p50 ([\d.]+)p90 ([\d.]+)p99 ([\d.]+)L̂₂ₛ = max ([\d.]+)lower ([\d.]+)upper ([\d.]+)1\/γ ([\d.]+)$/.exec(key);
  assert.ok(values, key);
  assert.ok(Number(values[4]) - Number(values[2]) < 0.1 * Number(values[4]), `close quantiles: ${key}`);
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForFunction((w) => document.getElementById('l2s-chart').clientWidth < w, width);
    await page.waitForTimeout(100);
    const boxes = await page.evaluate(() => window.sparseIhtDebug.l2sLabels());
    assert.deepEqual(boxes.map((b) => b.label), ['p50', 'p90', 'p99', 'L̂₂ₛ', 'lower', 'upper', '1/γ']);
    assert.deepEqual(overlapping(boxes), [], `${width} px: ${JSON.stringify(boxes)}`);
    const plot = await page.evaluate(() => document.querySelector('#l2s-chart canvas').getBoundingClientRect().width);
    assert.ok(boxes.every((b) => b.left >= 0 && b.right <= plot), `${width} px: tags inside the chart`);
    await screenshotOf(page, '#card-l2s', `l2s-close-quantiles-${width}`);
  }

  // The placement itself, on the cases that overlapped before: equal and
  // nearly equal positions, and labels at the right edge.
  const cases = await page.evaluate(async () => {
    const { placeLabels } = await import('./charts/line-chart.js');
    const run = (xs, width, max) => {
      const placed = placeLabels(xs.map((x) => ({ x, width })), { min: 0, max });
      return placed.map((p, i) => ({ label: String(i), left: p.left, right: p.right, top: p.row * 15, bottom: p.row * 15 + 13 }));
    };
    return [run([100, 100, 101, 102], 40, 300), run([280, 290, 295, 299], 40, 300), run([10, 12], 400, 300), run([50, 150, 250], 30, 300)];
  });
  for (const boxes of cases) {
    assert.deepEqual(overlapping(boxes), [], JSON.stringify(boxes));
  }
  assert.ok(cases[1].every((b) => b.right <= 300), 'labels at the right edge go left of their line');
  assert.ok(cases[3].every((b) => b.top === 0), 'labels far apart share the first row');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the certified step from a link: step=bound runs with γ = c / upper, and the page says the theorem covers it', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?step=bound&speed=max`);
  await waitForRun(page);
  assert.equal(await page.inputValue('#step-mode'), 'bound');
  assert.equal(await page.isVisible('#stepFactor'), true, 'a rule takes the factor c');
  // The estimate for the histogram follows the run.
  await page.waitForFunction(() => /covers it/.test(document.getElementById('step-bound').textContent));
  assert.match(await page.textContent('#step-bound'), /^bound: γ = c \/ upper, where upper is a certified upper bound of L₂ₛ/);
  assert.match(await page.textContent('#step-bound'), /\. This run's γ = 0\.6\d* is below 1\/upper = 0\.68\d*, so γ < 1\/L₂ₛ: the theorem covers it/);
  assert.match(await page.textContent('#l2s-summary'), /The run uses γ = c \/ upper = 0\.6\d*, marked as 1\/γ = 1\.6\d*\./);
  assert.match(page.url(), /step=bound/);
  assert.deepEqual(problems, []);
  await page.close();
});

// The x of a marker's line, from its tag: the tag sits 2 px right of its line, or 2 px left of it at the right edge.
const tagOf = (boxes, label) => {
  const box = boxes.find((b) => b.label === label);
  assert.ok(box, `a ${label} tag among ${boxes.map((b) => b.label).join(', ')}`);
  return box;
};

test('the step control offers every rule; backtracking with hidden layers shows its rule and a certified verdict', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?step=backtracking&hidden=8&iters=300&speed=max&debug=1`);
  await waitForRun(page);
  const choices = await page.$$eval('#step-mode option', (options) => options.map((o) => o.value));
  assert.deepEqual(choices, ['auto', 'bound', 'backtracking', 'normalized', 'estimate', 'fixed']);
  assert.equal(await page.inputValue('#step-mode'), 'backtracking');
  // Backtracking takes neither the factor c nor a fixed γ.
  assert.equal(await page.isVisible('#stepFactor'), false);
  assert.equal(await page.isVisible('#step-value'), false);

  const result = iht.train(runOptionsOf(page.url()));
  assert.equal(result.stepRule, 'backtracking');
  assert.equal(result.stepCertified, true, 'every backtracking step passed the descent condition');
  const largest = largestStep(result);
  await page.waitForFunction(() => /sparse descent condition, so each step/.test(document.getElementById('l2s-summary').textContent));
  const summary = await page.textContent('#l2s-summary');
  assert.match(summary, /There is no certified upper bound \(no certified bound with hidden layers/);
  assert.ok(
    summary.includes(`The backtracking rule varies the step; its largest, γ = ${largest}, is marked as 1/γ = ${1 / largest}.`),
    summary,
  );
  assert.match(summary, /Every step of this backtracking run passed the sparse descent condition, so each step is certified: the theorem covers the run step by step\./);
  const hint = await page.textContent('#step-bound');
  assert.match(hint, /^backtracking: .* each step is certified by the descent condition, for any network\. Every step of this backtracking run passed/);
  // View 3 names the rule of the step it judges with, and gives the package's reason.
  assert.match(await page.textContent('#stability-list'), /step γ \(backtracking: the last one\)/);
  assert.equal(await page.textContent('#stability-reason'), result.htStable.reason);
  // The histogram marks 1/γ of the largest step; the key says it is the largest.
  assert.match(await page.textContent('#l2s-key'), /1\/γ \(largest step\) [\d.]+$/);
  tagOf(await page.evaluate(() => window.sparseIhtDebug.l2sLabels()), '1/γ');

  // Choosing a rule in the menu puts it in the link and runs it: normalized IHT on IRIS takes
  // steps far above 1/L₂ₛ, and not all of them pass the descent condition.
  await page.fill('#hidden', '');
  await runStartedBy(page, () => page.press('#hidden', 'Enter'));
  await runStartedBy(page, () => page.selectOption('#step-mode', 'normalized'));
  assert.match(page.url(), /[?&]step=normalized(&|$)/);
  const normalized = iht.train(runOptionsOf(page.url()));
  assert.equal(normalized.stepRule, 'normalized');
  assert.equal(normalized.stepCertified, false, 'the normalized run on IRIS is the uncertified case');
  await page.waitForFunction(() => /Not every step of this normalized run/.test(document.getElementById('l2s-summary').textContent));
  assert.match(await page.textContent('#l2s-summary'), /so the run is not certified: the theorem does not cover it\. Its largest step, γ = [\d.]+, is at least 1\/lower/);
  assert.match(await page.textContent('#step-bound'), /^normalized: .*Not every step of this normalized run passed/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the ridge round-trips through the URL and the input; with λ = 0.01 view 3 gives a "Stable" reason', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?ridge=0.01&speed=max`);
  await waitForRun(page);
  assert.equal(await page.inputValue('#ridge'), '0.01');
  assert.match(page.url(), /[?&]ridge=0\.01&refine=0&stopWhenStable=0(&|$)/);
  const result = iht.train(runOptionsOf(page.url()));
  assert.equal(result.htStable.stable, true, 'λ = 0.01 gives the s = 5 IRIS point a finite minimiser');
  await checkStabilityCard(page, result);
  assert.equal(await page.textContent('#stability-reason'), result.htStable.reason);
  assert.match(await page.textContent('#stability-reason'), /^Stable: /);

  // A link with the ridge reproduces it.
  await page.goto(page.url());
  await waitForRun(page);
  assert.equal(await page.inputValue('#ridge'), '0.01');

  // From the input: λ = 0 is the paper's objective again, with no finite minimiser on this support.
  await page.fill('#ridge', '0');
  await runStartedBy(page, () => page.press('#ridge', 'Enter'));
  assert.match(page.url(), /[?&]ridge=0&/);
  assert.equal(await page.textContent('#stability-verdict'), '✗ Not HT-stable');
  assert.match(await page.textContent('#stability-reason'), /^Not stable: .*no finite minimiser.*ridge/);

  // An out-of-range λ is refused next to the input and keeps the link as it was.
  await page.fill('#ridge', '11');
  await page.press('#ridge', 'Enter');
  assert.equal(await page.textContent('#ridge-error'), 'Ridge λ: expected a number from 0 to 10.');
  assert.equal(await page.getAttribute('#ridge', 'aria-invalid'), 'true');
  assert.match(page.url(), /[?&]ridge=0&/);

  // Stop once HT-stable: a checkbox, in the link, and the run ends early with the status 'stable'.
  await page.fill('#ridge', '0.01');
  await runStartedBy(page, () => page.press('#ridge', 'Enter'));
  assert.equal(await page.textContent('#ridge-error'), '');
  await runStartedBy(page, () => page.check('#stopWhenStable'));
  assert.match(page.url(), /[?&]ridge=0\.01&refine=0&stopWhenStable=1(&|$)/);
  const early = iht.train(runOptionsOf(page.url()));
  assert.equal(early.status, 'stable');
  assert.ok(early.iterations < 1000, `stopped early: ${early.iterations}`);
  assert.equal(await page.textContent('#run-status').then((t) => /^Stopped at an HT-stable point after ([\d,]+) iterations/.exec(t)?.[1]), String(early.iterations));
  await page.goto(page.url());
  await waitForRun(page);
  assert.equal(await page.isChecked('#stopWhenStable'), true);
  assert.equal(await page.isChecked('#refine'), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('view 5 marks 1/γ: a step above 1/L₂ₛ left of lower, a certified one right of upper, a tiny one at the edge', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  // The lesson-sized example of a step above 1/L₂ₛ: a fixed γ = 2 on IRIS.
  await page.goto(`${suite.server.url}?step=2&speed=max&debug=1`);
  await waitForRun(page);
  await page.waitForFunction(() => /1\/lower = \d/.test(document.getElementById('l2s-summary').textContent));
  assert.match(await page.textContent('#l2s-summary'), /The run uses the fixed step γ = 2, marked as 1\/γ = 0\.5\. This run's γ = 2 is at least 1\/lower = [\d.]+, so γ ≥ 1\/L₂ₛ: the theorem does not cover it/);
  assert.match(await page.textContent('#step-bound'), /^fixed: .*shows what can go wrong\. This run's γ = 2 is at least 1\/lower/);
  let boxes = await page.evaluate(() => window.sparseIhtDebug.l2sLabels());
  assert.ok(tagOf(boxes, '1/γ').left < tagOf(boxes, 'lower').left, `1/γ = 0.5 left of lower: ${JSON.stringify(boxes)}`);
  assert.match(await page.textContent('#l2s-key'), /1\/γ 0\.5$/);

  // bound: 1/γ = upper / 0.9, right of upper.
  await runStartedBy(page, () => page.selectOption('#step-mode', 'bound'));
  await page.waitForFunction(() => /covers it/.test(document.getElementById('l2s-summary').textContent));
  boxes = await page.evaluate(() => window.sparseIhtDebug.l2sLabels());
  assert.ok(tagOf(boxes, '1/γ').left > tagOf(boxes, 'upper').left, `1/γ right of upper: ${JSON.stringify(boxes)}`);

  // A tiny fixed step: its 1/γ = 100 would squeeze the histogram, so its line stands at the right edge.
  await page.goto(`${suite.server.url}?step=0.01&iters=50&speed=max&debug=1`);
  await waitForRun(page);
  await page.waitForFunction(() => /marked as 1\/γ = 100/.test(document.getElementById('l2s-summary').textContent));
  await screenshotOf(page, '#card-l2s', 'l2s-inverse-step-edge');
  boxes = await page.evaluate(() => window.sparseIhtDebug.l2sLabels());
  const plot = await page.evaluate(() => document.querySelector('#l2s-chart canvas').getBoundingClientRect().width);
  const edge = tagOf(boxes, '1/γ →');
  assert.ok(edge.right > 0.8 * plot, `the tag at the right edge: ${JSON.stringify(edge)} of ${plot}`);
  // Stretched to 100, the axis would put p50 (≈ 0.26) and upper (≈ 1.45) within a few pixels.
  const spread = tagOf(boxes, 'upper').left - tagOf(boxes, 'p50').left;
  assert.ok(spread > 0.3 * plot, `the histogram and bracket keep the chart: p50 to upper ${spread} px of ${plot}`);
  assert.match(await page.textContent('#l2s-key'), /1\/γ 100, off the chart to the right$/);
  assert.deepEqual(problems, []);
  await page.close();
});
