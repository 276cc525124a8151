// The sparsity sweep, stopping a run, and the downloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { demoSuite, numberOf, openPage, screenshot, tableRows, waitForRun } from './harness.mjs';

const suite = demoSuite();

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
  assert.match(await page.textContent('#sparsity-summary'), /smallest s/);
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

test('Stop ends a long run with status stopped and keeps its results', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?iters=100000&speed=1`);
  // At least 10 iterations in (one per frame), whatever the machine's speed.
  await page.waitForFunction(() => /^Iteration (\d{2,}|[1-9]\d*,)/.test(document.getElementById('run-status').textContent));
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

test('Stop ends a long sweep by replacing the worker; the page keeps working', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?hidden=8&speed=max`);
  await waitForRun(page);
  await page.click('#sweep');
  await page.waitForFunction(() => /Sweeping: [1-9]\d* of 67 runs/.test(document.getElementById('sweep-progress-text').textContent), null, { timeout: 20_000 });
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
