// Reliability (issue #5): a model worker that crashes or is ended mid-run or
// mid-sweep, a 50 MB CSV and one over the size limit, and the page's
// Content-Security-Policy (header, meta tag, and no violation during a full
// session). The page's ?debug=1 hook (web/README.md) ends the worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { writeBigCsv } from '../../bench/lib/big-csv.mjs';
import { demoSuite, numberOf, openPage, screenshot, screenshotOf, tableRows, until, waitForRun } from './harness.mjs';

const suite = demoSuite();
let tmp;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-iht-faults-'));
});

after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const modelWorkers = (page) => page.workers().filter((w) => w.url().endsWith('/worker.js'));
const modelWorker = (page) => modelWorkers(page)[0];

// The worker the page uses now, once it has loaded the package. After a crash
// the page starts a replacement at once, but that one needs a while (longer on
// a loaded machine) to load the WebAssembly, and Playwright may list the
// replaced worker until its close event arrives. An error thrown in a worker
// that is still loading is, to the page, a module that cannot load (it gives
// up and asks for a reload, as a new worker would fail the same way): not the
// crash of a working worker that these steps simulate. So wait for both.
async function loadedWorker(page) {
  await page.evaluate(() => window.sparseIhtDebug.client.ready);
  await until(() => modelWorkers(page).length === 1, () => `one model worker listed, not ${modelWorkers(page).length}`);
  return modelWorker(page);
}
const runError = (page) => page.textContent('#run-error');

async function setField(page, selector, value) {
  await page.fill(selector, String(value));
  await page.press(selector, 'Enter');
}

test('a worker that crashes, ends, or is terminated mid-run or mid-sweep is replaced; earlier results stay and training works again', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?debug=1&speed=max&s=4`);
  await waitForRun(page);
  const network = await tableRows(page, '#network-table');
  const bins = await tableRows(page, '#l2s-table');
  await page.click('#sweep');
  await page.waitForFunction(() => document.querySelectorAll('#sparsity-table tbody tr').length === 15, null, { timeout: 20_000 });
  const sweep = await tableRows(page, '#sparsity-table');

  // 1. Ended mid-run, as a browser may end a worker (no event, no reply).
  await page.selectOption('#speed', '1');
  await setField(page, '#iters', 100000);
  await page.waitForFunction(() => /^Iteration (\d{2,}|[1-9]\d*,)/.test(document.getElementById('run-status').textContent));
  const started = Date.now();
  await page.evaluate(() => window.sparseIhtDebug.terminateWorker());
  await page.waitForFunction(() => /stopped unexpectedly/.test(document.getElementById('run-error').textContent));
  console.log(`# a terminated worker was noticed after ${Date.now() - started} ms`);
  assert.match(await runError(page), /It has been restarted; your data and settings are kept\./);
  // The run's loop may be waiting for its next frame when the error shows; it
  // finds its worker replaced then, one frame later, and only then says where it stood.
  await page.waitForFunction(() => /^Interrupted at/.test(document.getElementById('run-status').textContent), null, { timeout: 5_000 }).catch(() => {});
  const status = await page.textContent('#run-status');
  const at = /^Interrupted at iteration ([\d,]+) of 100,000: the views show the run up to there\. Press Train to run again\.$/.exec(status);
  assert.ok(at, status);
  const partial = await tableRows(page, '#curves-table');
  assert.ok(partial.length > 1 && numberOf(partial.at(-1)[0]) <= numberOf(at[1]), `${partial.length} history rows up to ${at[1]}`);
  assert.equal(await page.isDisabled('#stop'), true);
  assert.equal(await page.isHidden('#run-progress'), true);
  assert.deepEqual(await tableRows(page, '#sparsity-table'), sweep, 'the sweep stays');
  assert.deepEqual(await tableRows(page, '#l2s-table'), bins, 'the L̂₂ₛ histogram stays');
  await screenshot(page, 'worker-ended-mid-run');

  // The page recovers: the same settings as before give the same network.
  await page.selectOption('#speed', 'max');
  await setField(page, '#iters', 1000);
  await waitForRun(page);
  assert.equal(await runError(page), '');
  assert.deepEqual(await tableRows(page, '#network-table'), network, 'the same settings give the same run');

  // 2. Ended mid-sweep: the previous sweep stays, and says so.
  // Ended from inside the page as soon as the first run of the sweep reports,
  // so the sweep (under half a second) cannot finish first.
  await page.evaluate(() => {
    const text = document.getElementById('sweep-progress-text');
    const observer = new MutationObserver(() => {
      if (/^Sweeping: [1-9]\d* of \d+ trainings/.test(text.textContent)) {
        observer.disconnect();
        window.sparseIhtDebug.terminateWorker();
      }
    });
    observer.observe(text, { childList: true, characterData: true, subtree: true });
  });
  await page.click('#sweep');
  await page.waitForFunction(() => /stopped unexpectedly/.test(document.getElementById('run-error').textContent));
  await page.waitForFunction(() => /^Sweep interrupted/.test(document.getElementById('sweep-progress-text').textContent));
  assert.match(await page.textContent('#sweep-progress-text'), /The results shown are from the previous sweep\. Press Sweep to run it again\./);
  assert.equal(await page.isHidden('#sweep-progress'), true);
  assert.deepEqual(await tableRows(page, '#sparsity-table'), sweep);
  assert.equal(await page.isEnabled('#sweep'), true);
  assert.match(await page.textContent('#run-status'), /^Reached the iteration limit after 1,000 iterations/, 'the last run is still described');

  // 3. An exception nobody catches inside the worker: its 'error' event.
  // The worker is the one started after step 2, which may still be loading.
  await (await loadedWorker(page)).evaluate(() => setTimeout(() => {
    throw new Error('simulated crash');
  }));
  await page.waitForFunction(() => /simulated crash/.test(document.getElementById('run-error').textContent));
  // Treated as a crash and recovered from, not as a package that cannot load.
  assert.match(await runError(page), /^The model worker stopped unexpectedly: .*simulated crash\. It has been restarted; your data and settings are kept\.$/);
  assert.deepEqual(await tableRows(page, '#network-table'), network);
  await page.click('#train');
  await page.waitForFunction(() => document.getElementById('run-error').textContent === '');
  await waitForRun(page);
  assert.deepEqual(await tableRows(page, '#network-table'), network);

  // 4. A worker that closes itself (no event at all).
  await (await loadedWorker(page)).evaluate(() => self.close());
  await page.waitForFunction(() => /stopped unexpectedly/.test(document.getElementById('run-error').textContent));
  await setField(page, '#s', 6);
  await page.waitForFunction(() => /6 of 15 parameters nonzero/.test(document.getElementById('network-caption').textContent));
  await waitForRun(page);
  assert.equal(await runError(page), '');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a worker that ends while it loads the package is noticed, not waited for', async () => {
  const { page } = await openPage(suite.browser.context);
  // The worker as served, held after it has taken its life lock and before
  // it loads the package, until it is ended. (It was held for 3 s: on a busy
  // machine the steps below could take longer, the worker then loaded the
  // package and answered 'ready', its end was a crash of a ready worker, and
  // the message awaited below never came.)
  const HOLD = 'holdLifeLock().then(loadPackage)';
  await page.route('**/worker.js', async (route) => {
    const response = await route.fetch();
    const text = await response.text();
    assert.ok(text.includes(HOLD), 'worker.js still starts with holdLifeLock().then(loadPackage)');
    await route.fulfill({
      response,
      body: text.replace(HOLD, 'holdLifeLock().then(() => new Promise(() => {})).then(loadPackage)'),
    });
  });
  await page.goto(`${suite.server.url}?debug=1`);
  await page.waitForFunction(async () =>
    (await navigator.locks.query()).held.some((lock) => lock.name.startsWith('sparse-iht-worker-')));
  // The page waits for the lock once the worker's 'holding' message arrives.
  await page.waitForFunction(async () =>
    (await navigator.locks.query()).pending.some((lock) => lock.name.startsWith('sparse-iht-worker-')));
  assert.equal(await page.textContent('#run-error'), '');
  // The lock shows the worker running before Playwright may have reported it
  // to the test (its 'worker' event can come later on a busy machine).
  await until(() => modelWorkers(page).length > 0, 'Playwright reports the model worker');
  await modelWorker(page).evaluate(() => self.close());
  // Before the page watched the lock from 'holding' on, only a ready worker's
  // end was noticed, and this waited forever.
  // A generous wait, not a timing check: under a busy machine the lock's release can take seconds.
  await page.waitForFunction(() => /could not be loaded: it has ended/.test(document.getElementById('run-error').textContent),
    null, { timeout: 60_000 });
  assert.match(await runError(page), /^The model could not be loaded: it has ended\. Reload the page to try again\.$/);
  // The start-up message too (web/boot.js): the page never became ready.
  await page.waitForSelector('#boot-error', { state: 'visible' });
  assert.equal(await page.textContent('#boot-error-text'), await runError(page));
  await page.close();
});

test('a CSV loaded from a file keeps working after the worker is ended', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?debug=1&speed=max`);
  await waitForRun(page);
  const rows = ['x,y,kind'];
  for (let i = 0; i < 12; i++) rows.push(`${i % 2 ? 1 + i / 10 : -1 - i / 10},${i / 7},${i % 2 ? 'odd' : 'even'}`);
  await page.setInputFiles('#csv-file', { name: 'small.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await page.waitForFunction(() => /small\.csv/.test(document.getElementById('data-info').textContent));
  await waitForRun(page);
  const network = await tableRows(page, '#network-table');
  await page.evaluate(() => window.sparseIhtDebug.terminateWorker());
  await page.waitForFunction(() => /stopped unexpectedly/.test(document.getElementById('run-error').textContent));
  await page.click('#train');
  await waitForRun(page);
  assert.deepEqual(await tableRows(page, '#network-table'), network, 'the new worker was given the CSV again');
  assert.deepEqual(problems, []);
  await page.close();
});

// A CSV of at least `bytes` bytes: four features, three classes, rows cycling
// through the classes. Written a block at a time, so 50 MB takes well under a second.
function writeCsv(file, bytes) {
  const header = 'sepal,petal,stem,leaf,label\n';
  const lines = [];
  for (let i = 0; i < 3000; i++) {
    const k = i % 3;
    const v = (j) => (k + ((i * 7919 + j * 104729) % 1000) / 1000).toFixed(3);
    lines.push(`${v(1)},${v(2)},${(k / 2 + ((i * 31) % 100) / 100).toFixed(3)},${v(4)},kind-${k}`);
  }
  const block = Buffer.from(`${lines.join('\n')}\n`);
  const blocks = Math.ceil((bytes - header.length) / block.length);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, header);
  for (let b = 0; b < blocks; b++) fs.writeSync(fd, block);
  fs.closeSync(fd);
  return { rows: blocks * lines.length, size: fs.statSync(file).size };
}

test('a 50 MB CSV loads with visible progress; the page stays usable and keeps the earlier results', async () => {
  const file = path.join(tmp, 'big.csv');
  const { rows, size } = writeCsv(file, 50_000_000);
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?debug=1&speed=max`);
  await waitForRun(page);
  const network = await tableRows(page, '#network-table');
  const curves = await tableRows(page, '#curves-table');
  // Every text the progress line shows, as it changes.
  await page.evaluate(() => {
    window.progressSeen = [];
    const text = document.getElementById('data-progress-text');
    new MutationObserver(() => text.textContent && window.progressSeen.push(text.textContent)).observe(text, { childList: true, characterData: true, subtree: true });
  });

  // Stop cancels a load under way; the data set before stays.
  await page.setInputFiles('#csv-file', file);
  await page.waitForFunction(() => /^Reading big\.csv: /.test(document.getElementById('data-progress-text').textContent));
  await page.click('#stop');
  await page.waitForFunction(() => /^Stopped loading big\.csv\. The previous data set is still loaded\.$/.test(document.getElementById('run-status').textContent));
  assert.equal(await page.isHidden('#data-progress-box'), true);
  assert.match(await page.textContent('#data-info'), /IRIS/);
  assert.equal(await page.inputValue('#data'), 'iris');
  assert.equal(await runError(page), '');

  // A worker that ends while parsing: the same, with a message naming the file.
  await page.setInputFiles('#csv-file', file);
  await page.waitForFunction(() => /^Reading big\.csv: /.test(document.getElementById('data-progress-text').textContent));
  await page.evaluate(() => window.sparseIhtDebug.terminateWorker());
  await page.waitForFunction(() => document.getElementById('data-error').textContent.length > 0);
  assert.equal(
    await page.textContent('#data-error'),
    'big.csv: the model worker stopped while loading it, perhaps for lack of memory. The previous data set is still loaded.',
  );
  assert.match(await runError(page), /stopped unexpectedly/);
  assert.equal(await page.isHidden('#data-progress-box'), true);
  assert.match(await page.textContent('#data-info'), /IRIS/);
  assert.deepEqual(await tableRows(page, '#network-table'), network);

  await page.evaluate(() => (window.progressSeen.length = 0));
  const start = Date.now();
  await page.setInputFiles('#csv-file', file);
  await page.waitForSelector('#data-progress-box', { state: 'visible' });
  assert.equal(await page.isEnabled('#stop'), true, 'Stop can cancel the load');
  await page.waitForFunction(() => /^Reading big\.csv: /.test(document.getElementById('data-progress-text').textContent));
  await screenshotOf(page, 'fieldset[data-control="data"]', 'csv-50mb-reading');
  await page.waitForFunction(() => /big\.csv/.test(document.getElementById('data-info').textContent), null, { timeout: 30_000 });
  await page.waitForFunction(() => /runs do not start by themselves/.test(document.getElementById('run-status').textContent), null, { timeout: 10_000 });
  const loaded = Date.now() - start;
  const seen = await page.evaluate(() => window.progressSeen);
  const memory = await page.evaluate(() => window.sparseIhtDebug.memory());
  console.log(
    `# ${(size / 1e6).toFixed(1)} MB, ${rows} rows: loaded and described in ${loaded} ms; progress shown: ${JSON.stringify([seen[0], seen.at(-1)])}; ` +
      `WebAssembly memory now ${(memory.wasmMemory / 1e6).toFixed(0)} MB`,
  );

  assert.ok(seen.some((t) => /^Reading big\.csv: [\d.]+ MB of 50 MB…$/.test(t)), seen.join(' | '));
  assert.ok(seen.some((t) => /^Parsing big\.csv \(50 MB\) in the model worker…/.test(t)), seen.join(' | '));
  assert.equal(await page.isHidden('#data-progress-box'), true);
  const info = await page.textContent('#data-info');
  assert.match(info, new RegExp(`rows${rows.toLocaleString('en-US')}`));
  assert.match(info, /features \(4\)sepal, petal, stem, leaf/);
  assert.match(info, /classes \(3\)kind-0 \(\d+\), kind-1/);
  assert.match(info, /50 MB, read by the model worker\. Too large to keep for this tab/);
  assert.match(await page.textContent('#run-status'), new RegExp(`^Loaded: big\\.csv has ${rows.toLocaleString('en-US')} rows, so runs do not start by themselves: press Train .* The views show the last run until then\\.$`));
  assert.equal(await page.inputValue('#data'), 'csv');
  assert.equal(await runError(page), '');
  assert.equal(await page.textContent('#data-error'), '');
  // The earlier run is still on view.
  assert.deepEqual(await tableRows(page, '#network-table'), network);
  assert.deepEqual(await tableRows(page, '#curves-table'), curves);
  await screenshot(page, 'csv-50mb-loaded');

  // Usable: a short run on all of it.
  await setField(page, '#samples', 4);
  assert.match(await page.textContent('#run-status'), /^Settings changed: big\.csv has/);
  await setField(page, '#iters', 2);
  const trainStart = Date.now();
  await page.click('#train');
  await waitForRun(page, 30_000);
  console.log(`# 2 iterations and 4 Monte Carlo samples on ${rows} rows: ${Date.now() - trainStart} ms`);
  assert.match(await page.textContent('#run-status'), /after 2 iterations/);
  assert.match(await page.textContent('#network-caption'), /of 15 parameters nonzero/);
  assert.deepEqual((await tableRows(page, '#confusion-table')).map((r) => r[0]), ['kind-0', 'kind-1', 'kind-2']);
  assert.equal(await runError(page), '');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 100 MB CSV: the worker streams it into WebAssembly, whose memory stays within 2.5× the file through loading and a run', async () => {
  // Issue #11. The worker feeds the File to the package's reader piece by
  // piece, so it never holds the text; WebAssembly memory only grows, so its
  // size at the end is the peak of everything the package held.
  const file = path.join(tmp, 'wide.csv');
  const { bytes, rows } = writeBigCsv(file, 100_000_000);
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?debug=1&speed=max&iters=1&step=0.1&samples=1`);
  await waitForRun(page);
  const before = await page.evaluate(() => window.sparseIhtDebug.memory());
  await page.setInputFiles('#csv-file', file);
  await page.waitForFunction(() => /wide\.csv/.test(document.getElementById('data-info').textContent), null, { timeout: 60_000 });
  const loaded = await page.evaluate(() => window.sparseIhtDebug.memory());
  await page.click('#train');
  await waitForRun(page, 60_000);
  assert.match(await page.textContent('#run-status'), /after 1 iteration/);
  const trained = await page.evaluate(() => window.sparseIhtDebug.memory());
  const mb = (x) => `${(x / 1e6).toFixed(0)} MB`;
  console.log(
    `# ${mb(bytes)} CSV, ${rows} rows × 32 features: WebAssembly memory ${mb(before.wasmMemory)} on IRIS, ` +
      `${mb(loaded.wasmMemory)} loaded (${(loaded.wasmMemory / bytes).toFixed(2)}×), ${mb(trained.wasmMemory)} after a run ` +
      `(${(trained.wasmMemory / bytes).toFixed(2)}× the file); heap in use ${mb(trained.heapInUse)}`,
  );
  assert.ok(trained.wasmMemory <= 2.5 * bytes, `${mb(trained.wasmMemory)} > 2.5 × ${mb(bytes)}`);
  assert.equal(await runError(page), '');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a CSV over 200 MB is refused with a message naming the limit; nothing else changes', async () => {
  // A sparse file: 250 MB on paper, nothing on disk, and never read.
  const name = '<img src=x onerror=window.__pwned=1>.csv';
  const file = path.join(tmp, name);
  fs.closeSync(fs.openSync(file, 'w'));
  fs.truncateSync(file, 250_000_000);
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?speed=max`);
  await waitForRun(page);
  const network = await tableRows(page, '#network-table');
  await page.setInputFiles('#csv-file', file);
  await page.waitForFunction(() => document.getElementById('data-error').textContent.length > 0);
  assert.equal(
    await page.textContent('#data-error'),
    `${name} is 250 MB; the page accepts CSV files up to 200 MB. For larger data use the command line: npx sparse-iht train --data FILE.csv`,
  );
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('img').count(), 0);
  assert.match(await page.textContent('#data-info'), /IRIS/);
  assert.equal(await page.inputValue('#data'), 'iris');
  assert.deepEqual(await tableRows(page, '#network-table'), network);
  assert.equal(await page.isHidden('#data-progress-box'), true);
  assert.deepEqual(problems, []);
  await screenshot(page, 'csv-too-large');
  await page.close();
});

// ------------------------------------------------------------------ CSP

function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ headers: res.headers, body }));
    }).on('error', reject);
  });
}

const directives = (policy) =>
  new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values.sort().join(' ')]),
  );

test('the page is served with a strict Content-Security-Policy, as a header and a meta tag', async () => {
  const { headers, body } = await get(suite.server.url);
  const header = directives(headers['content-security-policy'] ?? '');
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(body);
  assert.ok(meta, 'meta tag');
  const tag = directives(meta[1]);
  const expected = {
    'default-src': "'self'",
    'script-src': "'self' 'wasm-unsafe-eval'",
    'worker-src': "'self'",
    'style-src': "'self'",
    'connect-src': "'self'",
    'object-src': "'none'",
    'base-uri': "'none'",
  };
  for (const [name, value] of Object.entries(expected)) {
    assert.equal(header.get(name), value, `header ${name}`);
    assert.equal(tag.get(name), value, `meta ${name}`);
  }
  for (const policy of [header, tag]) {
    for (const [name, value] of policy) {
      assert.doesNotMatch(value, /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'/, name);
      if (name !== 'frame-ancestors') assert.doesNotMatch(value, /(^|\s)(\*|https?:)/, name);
    }
  }
  // frame-ancestors only works in a header: any course page may embed the demo.
  assert.equal(header.get('frame-ancestors'), '*');
  // The worker runs under the policy sent with its own script.
  const worker = await get(new URL('worker.js', suite.server.url));
  assert.deepEqual(directives(worker.headers['content-security-policy']), header);
  assert.equal(worker.headers['x-content-type-options'], 'nosniff');
  // No inline script or style in the page.
  assert.doesNotMatch(body, /<script(?![^>]*\bsrc=)[^>]*>/);
  assert.doesNotMatch(body, /\sstyle="|<style|\son[a-z]+="/);
});

test('no Content-Security-Policy violation during a run, sweep, histogram, CSV loads and PNG downloads', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const violations = () => page.evaluate(() => window.cspViolations);
  await page.goto(suite.server.url);
  await waitForRun(page);
  assert.ok((await tableRows(page, '#l2s-table')).length >= 10, 'the histogram is drawn');
  await page.click('#sweep');
  await page.waitForFunction(() => document.querySelectorAll('#sparsity-table tbody tr').length === 15, null, { timeout: 20_000 });

  // A small CSV (read by the page) and a 5 MB one (read and parsed by the worker).
  const small = ['a,b,label'];
  for (let i = 0; i < 40; i++) small.push(`${(i % 2) + i / 100},${i / 40},${i % 2 ? 'yes' : 'no'}`);
  await page.setInputFiles('#csv-file', { name: 'small.csv', mimeType: 'text/csv', buffer: Buffer.from(small.join('\n')) });
  await page.waitForFunction(() => /small\.csv/.test(document.getElementById('data-info').textContent));
  await waitForRun(page);
  // Short runs from here on: the 5 MB file has 165,000 rows.
  await setField(page, '#samples', 10);
  await setField(page, '#iters', 5);
  await page.waitForFunction(() => /after 5 iterations/.test(document.getElementById('run-status').textContent));
  const medium = path.join(tmp, 'medium.csv');
  writeCsv(medium, 5_000_000);
  await page.setInputFiles('#csv-file', medium);
  await page.waitForFunction(() => /medium\.csv/.test(document.getElementById('data-info').textContent), null, { timeout: 20_000 });
  await page.waitForFunction(() => /kind-0/.test(document.getElementById('confusion-table').textContent), null, { timeout: 20_000 });
  await waitForRun(page);

  for (const view of ['network', 'curves', 'l2s', 'sparsity']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-png="${view}"]`)]);
    assert.match(download.suggestedFilename(), /\.png$/);
  }
  assert.deepEqual(await violations(), []);
  assert.deepEqual(problems, [], 'the worker reports its own violations to the console');

  // The listeners do catch a violation: inline script, in the page and in the worker.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.body.append(script);
  });
  await page.waitForFunction(() => window.cspViolations.length > 0);
  const caught = await violations();
  assert.ok(caught.length > 0 && caught.every((v) => v === 'script-src-elem inline'), caught.join(', '));
  assert.equal(await page.evaluate(() => window.inlineRan), undefined);
  await modelWorker(page).evaluate(() => fetch('data:text/plain,x').catch(() => {}));
  await until(
    () => problems.some((p) => /Content-Security-Policy violation in the model worker: connect-src/.test(p)),
    () => `the worker's violation on the console: ${problems.join('\n')}`,
  );
  await page.close();
});
