// A page that never hangs silently (issue #15): every kind of start-up failure
// is forced here, and each must become the message at the top of the page
// (web/boot.js) with its text and what to try. boot.js is a classic script
// that imports nothing, so it reports even a module graph that cannot load.
// The same start-up in Firefox and WebKit: tests/engines/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { demoSuite, openPage, screenshot, waitForRun, webRoot } from './harness.mjs';

const suite = demoSuite();

const NEEDS = /Chrome or Edge 95\+, Firefox 114\+ or Safari 16\.4\+/;

// The start-up message as shown, once boot.js has shown one.
async function bootMessage(page) {
  await page.waitForSelector('#boot-error', { state: 'visible' });
  return page.evaluate(() => ({
    kind: document.getElementById('boot-error').dataset.kind,
    title: document.getElementById('boot-error-title').textContent,
    text: document.getElementById('boot-error-text').textContent,
    hint: document.getElementById('boot-error-hint').textContent,
    role: document.getElementById('boot-error').getAttribute('role'),
    state: window.sparseIhtBoot.state,
    errors: window.sparseIhtBoot.errors,
    summary: document.getElementById('curves-summary').textContent,
  }));
}

// A file of the page, as served, with `edit` applied to its text.
function editFile(page, pattern, edit) {
  return page.route(pattern, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: edit(await response.text()) });
  });
}

test('a normal start shows no start-up message and records no error', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?speed=max`);
  await waitForRun(page);
  assert.equal(await page.isHidden('#boot-error'), true);
  assert.equal(await page.evaluate(() => window.sparseIhtBoot.state), 'ready');
  assert.deepEqual(await page.evaluate(() => window.sparseIhtBoot.errors), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('main.js that cannot be fetched: the message names it and says what to try', async () => {
  const { page } = await openPage(suite.browser.context);
  await page.route('**/main.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(suite.server.url);
  const shown = await bootMessage(page);
  assert.equal(shown.kind, 'file');
  assert.equal(shown.title, 'The demo could not start');
  assert.equal(shown.text, 'main.js could not be loaded (or one of the modules it imports).');
  assert.match(shown.hint, /^Reload the page\. .*serve the whole dist\/web folder\.$/);
  assert.equal(shown.role, 'alert');
  assert.equal(shown.state, 'failed');
  assert.equal(shown.summary, 'The model is not loaded: see the message at the top of the page.');
  assert.equal(await page.isVisible('#boot-reload'), true);
  await screenshot(page, 'startup-main-missing');
  // On a phone the message fits the width, and Reload is a Tab away.
  await page.setViewportSize({ width: 360, height: 740 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scrolling at 360 px');
  const box = await page.locator('#boot-error').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 360, JSON.stringify(box));
  await page.focus('#skip-link');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'boot-reload');
  await screenshot(page, 'startup-main-missing-360');
  await page.close();
});

test('the page opened from a file, where modules do not load, says to serve the folder', async () => {
  const { page } = await openPage(suite.browser.context);
  await page.goto(pathToFileURL(path.join(webRoot(), 'index.html')).href);
  const shown = await bootMessage(page);
  assert.equal(shown.kind, 'local');
  assert.equal(shown.text, 'main.js could not be loaded (or one of the modules it imports).');
  assert.match(shown.hint, /^The page was opened from a file on this computer, .*serve the folder with a web server instead \(npm start/);
  await page.close();
});

test('a module main.js imports that cannot be fetched is reported the same way', async () => {
  const { page } = await openPage(suite.browser.context);
  await page.route('**/charts/line-chart.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(suite.server.url);
  const shown = await bootMessage(page);
  assert.equal(shown.kind, 'file');
  assert.equal(shown.text, 'main.js could not be loaded (or one of the modules it imports).');
  await page.close();
});

test('a module that throws while it is evaluated: the error text, its file and line', async () => {
  const { page } = await openPage(suite.browser.context);
  await editFile(page, '**/charts/network.js', (text) => `${text}\nthrow new TypeError('simulated failure at import');\n`);
  await page.goto(suite.server.url);
  const shown = await bootMessage(page);
  assert.equal(shown.kind, 'code');
  assert.match(shown.text, /^TypeError: simulated failure at import \(network\.js, line \d+\)$/);
  assert.match(shown.hint, /^Reload the page\. .*current Chrome, Edge, Firefox or Safari, and please report the message above/);
  assert.deepEqual(shown.errors, [`error: ${shown.text}`]);
  await page.close();
});

test('a browser whose language Intl rejects still starts (WebKitGTK under LANG=C reports "C")', async () => {
  // uPlot 1.6.32 called new Intl.NumberFormat(navigator.language) at import,
  // which threw, so nothing started (scripts/patch-uplot.mjs).
  const { page, problems } = await openPage(suite.browser.context);
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'language', { get: () => 'C' }));
  await page.goto(`${suite.server.url}?speed=max`);
  const rejected = await page.evaluate(() => {
    try {
      return new Intl.NumberFormat(navigator.language) && 'accepted';
    } catch (err) {
      return err.name;
    }
  });
  assert.equal(rejected, 'RangeError', "this browser's Intl rejects navigator.language 'C'");
  await page.waitForFunction(() => window.sparseIhtBoot.state !== 'starting');
  assert.deepEqual(await page.evaluate(() => window.sparseIhtBoot.errors), []);
  await waitForRun(page);
  assert.equal(await page.isHidden('#boot-error'), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an engine without WebAssembly SIMD or exception handling: the package names the feature, the page says what to do', async () => {
  // The package's probe (checkEngine in wasm/js/api.js) runs in the model
  // worker: the worker as served, with WebAssembly.validate refusing one probe.
  const cases = [
    // The probes are the only modules under 100 bytes: SIMD's returns a v128 (type 0x7b), exception
    // handling's has a tag section (id 0x0d) after its type and function sections.
    { feature: 'WebAssembly SIMD', refuses: 'bytes.length < 100 && bytes.includes(0x7b)' },
    { feature: 'WebAssembly exception handling', refuses: 'bytes.length < 100 && bytes[18] === 0x0d' },
  ];
  for (const { feature, refuses } of cases) {
    const { page } = await openPage(suite.browser.context);
    const override =
      'const validate = WebAssembly.validate;\n' +
      `WebAssembly.validate = (source) => { const bytes = Array.from(new Uint8Array(source)); return ${refuses} ? false : validate(source); };\n`;
    await editFile(page, '**/worker.js', (text) => {
      // After the imports, before the worker's first statement runs load().
      const at = text.indexOf('\nlet iht');
      assert.ok(at > 0, 'worker.js declares iht after its imports');
      return `${text.slice(0, at)}\n${override}${text.slice(at)}`;
    });
    await page.goto(suite.server.url);
    const shown = await bootMessage(page);
    assert.equal(shown.kind, 'worker', feature);
    assert.match(shown.text, new RegExp(`^The model could not be loaded: sparse-iht: this JavaScript engine lacks ${feature}, which sparse-iht is compiled for \\(needs .*Safari 16\\.4\\+\\)$`));
    assert.match(shown.hint, NEEDS);
    assert.match(await page.textContent('#run-error'), new RegExp(`lacks ${feature}`));
    await page.close();
  }
});

test('an engine without module workers is told so before any worker is started', async () => {
  const { page } = await openPage(suite.browser.context);
  // As in an engine that predates module workers: the `type` option is not
  // read, and a worker would run worker.js as a classic script.
  await page.addInitScript(() => {
    const Native = window.Worker;
    window.workersStarted = 0;
    window.Worker = function Worker(url, options) {
      window.workersStarted += 1;
      return new Native(url, { name: options?.name });
    };
  });
  await page.goto(suite.server.url);
  const shown = await bootMessage(page);
  assert.equal(shown.kind, 'engine');
  assert.match(shown.text, /^This browser cannot start the model: it lacks module workers /);
  assert.match(shown.hint, /^This browser is too old for the demo: update it, or open the page in a current Chrome, Edge, Firefox or Safari/);
  assert.match(shown.hint, NEEDS);
  // The probe's own constructor call throws on its URL before anything starts.
  assert.equal(await page.evaluate(() => window.workersStarted), 1);
  assert.equal(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/worker.js'))), false);
  await screenshot(page, 'startup-no-module-workers');
  await page.close();
});

test('a worker script that is missing or throws: the message says the model could not be loaded', async () => {
  const faults = [
    { name: 'missing', apply: (page) => page.route('**/worker.js', (route) => route.fulfill({ status: 404, body: 'not found' })) },
    { name: 'throws', apply: (page) => editFile(page, '**/worker.js', (text) => `throw new Error('worker.js made to fail');\n${text}`) },
  ];
  for (const { name, apply } of faults) {
    const { page } = await openPage(suite.browser.context);
    await apply(page);
    await page.goto(suite.server.url);
    const shown = await bootMessage(page);
    assert.equal(shown.kind, 'worker', name);
    assert.match(shown.text, /^The model could not be loaded: .+\. Reload the page to try again\.$/, name);
    if (name === 'throws') assert.match(shown.text, /worker\.js made to fail/);
    assert.match(shown.hint, /^Reload the page\./);
    assert.equal(shown.state, 'failed');
    await page.close();
  }
});

test('a page that has not started after the timeout says so, and the message goes once it starts', async () => {
  const { page } = await openPage(suite.browser.context);
  // The worker script is held back, so the model cannot load until released.
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await page.route('**/worker.js', async (route) => {
    await held;
    await route.continue();
  });
  await page.clock.install();
  await page.goto(`${suite.server.url}?speed=max`);
  assert.equal(await page.isHidden('#boot-error'), true);
  await page.clock.runFor(21_000);
  const shown = await bootMessage(page);
  assert.equal(shown.kind, 'timeout');
  assert.equal(shown.title, 'The demo has not started yet');
  assert.equal(shown.text, 'The model has not loaded after 20 seconds.');
  assert.equal(shown.state, 'starting');
  release();
  await page.waitForFunction(() => window.sparseIhtBoot.state === 'ready');
  assert.equal(await page.isHidden('#boot-error'), true);
  await page.close();
});
