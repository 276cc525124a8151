// Memory over a long session (issue #5): 1,000 cycles of train + sweep +
// L̂₂ₛ estimate through the page's model client must leave the package's
// wasm heap where it was after a warm-up, and repeated runs from the page's
// controls must not grow its DOM or its JavaScript heap. Uses the ?debug=1
// hook (web/README.md); the numbers printed here are quoted in the README.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSuite, openPage, waitForRun } from './harness.mjs';

const suite = demoSuite();

// Every figure a comparison relies on must be there: NaN and undefined fail no
// `<` assertion, so a measurement that disappeared would pass unseen.
function assertMeasured(figures, where) {
  for (const [name, value] of Object.entries(figures)) {
    assert.ok(Number.isFinite(value), `${where}: ${name} is ${value}, not a measured number`);
  }
}

const CYCLES = 1000;
const WARM_UP = 20;
const KB = 1024;

test(`${CYCLES} cycles of train, sweep and estimateL2s leave the worker's wasm heap where it was`, async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?debug=1&speed=max`);
  await waitForRun(page);
  const start = Date.now();
  const report = await page.evaluate(
    async ({ cycles, warmUp }) => {
      const { client, memory } = window.sparseIhtDebug;
      const common = { hidden: '', activation: 'tanh', samples: 50, testFraction: 0.2 };
      const cycle = async (k) => {
        const seed = 1 + (k % 5);
        const s = 1 + (k % 15);
        await client.train({ ...common, s, seed, step: 'auto', stepFactor: 0.9, iters: 10 }, { onStart() {}, onProgress() {} });
        await client.sweep({ ...common, seed, step: 'auto', stepFactor: 0.9, iters: 10 }, () => {});
        await client.estimateL2s({ ...common, s, seed });
      };
      const before = await memory();
      // The meter moves: a trainer alive in the worker holds wasm memory.
      let during;
      await client.train({ ...common, s: 5, seed: 1, step: 'auto', stepFactor: 0.9, iters: 10 }, {
        onStart() {
          during = memory();
        },
        onProgress() {},
      });
      during = await during;
      for (let k = 0; k < warmUp; k++) await cycle(k);
      const warm = await memory();
      for (let k = warmUp; k < cycles; k++) await cycle(k);
      const end = await memory();
      return { before, during, warm, end };
    },
    { cycles: CYCLES, warmUp: WARM_UP },
  );
  const seconds = ((Date.now() - start) / 1000).toFixed(1);
  const { before, during, warm, end } = report;
  for (const [when, m] of Object.entries(report)) {
    assertMeasured({ heapInUse: m.heapInUse, wasmMemory: m.wasmMemory, liveTrainers: m.liveTrainers }, `memory() ${when}`);
  }
  console.log(
    `# ${CYCLES} cycles in ${seconds} s. heapInUse: ${before.heapInUse} B at start, ${during.heapInUse} B with a trainer alive, ` +
      `${warm.heapInUse} B after ${WARM_UP} cycles, ${end.heapInUse} B at the end; ` +
      `WebAssembly memory ${before.wasmMemory} B → ${warm.wasmMemory} B → ${end.wasmMemory} B; live trainers ${end.liveTrainers}`,
  );
  assert.equal(during.liveTrainers, 1);
  assert.ok(during.heapInUse > before.heapInUse + KB, 'a live trainer shows in heapInUse');
  assert.ok(end.heapInUse - warm.heapInUse < 256 * KB, `wasm heap grew by ${end.heapInUse - warm.heapInUse} bytes`);
  assert.equal(end.liveTrainers, 0);
  assert.equal(end.wasmMemory, warm.wasmMemory, 'the WebAssembly memory did not grow after the warm-up');
  assert.deepEqual(problems, []);
  await page.close();
});

test('repeated runs and sweeps from the controls keep the page’s DOM and JavaScript heap steady', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  const cdp = await page.context().newCDPSession(page);
  // Both after a full collection, so only what is still reachable counts.
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    const worker = await page.evaluate(() => window.sparseIhtDebug.memory());
    const figures = { usedSize, nodes, heapInUse: worker.heapInUse };
    assertMeasured(figures, 'page and worker');
    return figures;
  };
  // A new seed starts a run and marks the sweep stale; a finished sweep clears the mark.
  const runAndSweep = async (seed) => {
    await page.fill('#seed', String(seed));
    await page.press('#seed', 'Enter');
    await waitForRun(page);
    await page.click('#sweep');
    await page.waitForFunction(
      () => document.getElementById('sweep-stale').hidden && document.getElementById('sweep-progress').hidden,
      null,
      { timeout: 20_000 },
    );
  };
  await page.goto(`${suite.server.url}?debug=1&speed=max&iters=200&samples=200`);
  await waitForRun(page);
  for (let k = 2; k <= 3; k++) await runAndSweep(k);
  const warm = await measure();
  const rounds = 8;
  for (let k = 0; k < rounds; k++) await runAndSweep(k % 2 ? 2 : 3);
  const end = await measure();
  console.log(
    `# page after ${rounds} runs + sweeps: JS heap ${(warm.usedSize / 1e6).toFixed(2)} → ${(end.usedSize / 1e6).toFixed(2)} MB, ` +
      `DOM elements ${warm.nodes} → ${end.nodes}, worker heapInUse ${warm.heapInUse} → ${end.heapInUse} B`,
  );
  assert.equal(end.nodes, warm.nodes, 'DOM elements');
  assert.ok(end.usedSize - warm.usedSize < 1_000_000, `JS heap grew by ${end.usedSize - warm.usedSize} bytes`);
  assert.ok(end.heapInUse - warm.heapInUse < 64 * KB);
  assert.deepEqual(problems, []);
  await page.close();
});
