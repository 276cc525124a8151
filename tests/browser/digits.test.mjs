// The digits on the page (issue #17): ?data=digits loads the package's data
// module in the worker, takes the data set's own network (64 → 32 → 10,
// s = 241), draws the first layer's units as 8 × 8 pictures and the second
// layer as a class × unit matrix, and shows a strip of test images with the
// worker's predictions, wrong ones marked. The default page does not fetch
// the digits at all. Screenshots at 1280 and 360 px go to test-results/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSuite, openPage, screenshot, screenshotOf, until, waitForRun } from './harness.mjs';

const suite = demoSuite();

// What view 1 shows, read from the DOM: the pictures' labels and pixel count,
// the matrix cells, and the sample strip.
const networkFacts = (page) =>
  page.evaluate(() => {
    const svg = document.getElementById('network-svg');
    const rects = [...svg.querySelectorAll('rect')].filter((r) => r.querySelector('title'));
    const filled = rects.filter((r) => r.getAttribute('fill') !== 'none');
    const strip = document.getElementById('samples-svg');
    return {
      withTitle: rects.length,
      filled: filled.length,
      lines: svg.querySelectorAll('line').length,
      labels: [...svg.querySelectorAll('text')].map((t) => t.textContent),
      caption: document.getElementById('network-caption').textContent,
      what: document.getElementById('network-what').textContent,
      samplesHidden: document.getElementById('samples-box').hidden,
      samples: strip.querySelectorAll('g.sample').length,
      wrong: strip.querySelectorAll('g.sample.wrong').length,
      stripLabels: [...strip.querySelectorAll('g.sample text')].map((t) => t.textContent),
      stripCaption: document.getElementById('samples-caption').textContent,
      tableRows: document.querySelectorAll('#network-table tbody tr').length,
    };
  });

test('?data=digits: the default network, 32 unit pictures, a 10 × 32 matrix and the sample strip', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${suite.server.url}?data=digits&speed=max`);
  await waitForRun(page, 60_000);
  assert.equal(await page.inputValue('#data'), 'digits');
  // The data set's own network, taken because the link did not set hidden or s.
  assert.equal(await page.inputValue('#hidden'), '32');
  assert.equal(await page.inputValue('#s'), '241');
  assert.match(page.url(), /data=digits/);
  assert.match(page.url(), /hidden=32/);
  assert.match(page.url(), /s=241/);
  assert.ok(requests.some((p) => p.endsWith('/lib/digits.mjs')), 'the worker fetched the digits data module');
  assert.match(await page.textContent('#data-info'), /the pixels of 8 × 8 images/);
  assert.match(await page.textContent('#data-info'), /64 → 32 → 10 with s = 241/);

  const facts = await networkFacts(page);
  // One titled rect per weight: 32 × 64 pixels, 10 × 32 matrix weights and 10 biases.
  assert.equal(facts.withTitle, 32 * 64 + 10 * 32 + 10);
  assert.equal(facts.lines, 0, 'no lines for image data');
  assert.match(facts.what, /picture of its weights/);
  for (let u = 0; u < 32; u++) assert.ok(facts.labels.some((t) => t.startsWith(`h1[${u}]`)), `h1[${u}] has a picture`);
  // Nonzero entries are filled; at most s of them, the first-layer biases not drawn as cells.
  assert.ok(facts.filled > 100 && facts.filled <= 241, `${facts.filled} filled cells`);
  assert.match(facts.caption, /θ at iteration 1,?000: 241 of 2,?410 parameters nonzero\./);
  assert.match(facts.caption, /of 32 hidden units keep weights from the image and to the next layer\./);
  assert.equal(facts.tableRows, 2410, 'the θ table lists every entry');

  // The strip: 16 test images, each with its prediction; wrong ones marked ✗ with the truth.
  assert.equal(facts.samplesHidden, false);
  assert.equal(facts.samples, 16);
  assert.equal(facts.stripLabels.filter((t) => /^(→|✗) \d$/.test(t)).length, 16);
  assert.equal(facts.stripLabels.filter((t) => /^is \d$/.test(t)).length, facts.wrong);
  assert.match(facts.stripCaption, /^The first 16 test images and the class the network predicts for each: /);
  assert.equal((facts.stripCaption.split('True → predicted: ')[1].match(/\d → \d/g) ?? []).length, 16);

  // View 7 at n = 2,410: the 10 largest |v|, the 15 either side of the cut after rank 241 (15 kept, 15
  // zeroed), and grey rows that account for every entry left out, so the threshold is always in view.
  const step = await page.evaluate(() => {
    const svg = document.getElementById('step-svg');
    return {
      ranks: [...svg.querySelectorAll('.hs-row')].map((g) => Number(g.dataset.rank)),
      kept: [...svg.querySelectorAll('.hs-row')].map((g) => g.querySelector('.hs-bar').dataset.kept),
      gaps: [...svg.querySelectorAll('.hs-gap')].map((g) => ({ from: Number(g.dataset.from), to: Number(g.dataset.to), text: g.textContent })),
      summary: document.getElementById('step-summary').textContent,
      tableRows: document.querySelectorAll('#step-table tbody tr').length,
    };
  });
  const around = Array.from({ length: 30 }, (_, k) => 227 + k);
  const largest = Array.from({ length: 10 }, (_, k) => k + 1);
  // Entries that entered or left the support in the last step are drawn as well, wherever they rank.
  assert.deepEqual(step.ranks.filter((r) => r <= 10 || (r >= 227 && r <= 256)), [...largest, ...around]);
  assert.ok(step.ranks.length <= 46, `${step.ranks.length} bars`);
  step.ranks.forEach((r, k) => assert.equal(step.kept[k], r <= 241 ? '1' : '0', `rank ${r}`));
  const leftOut = step.gaps.reduce((sum, g) => sum + g.to - g.from + 1, 0);
  assert.equal(leftOut + step.ranks.length, 2410, 'every entry is drawn or counted in a gap');
  const keptInGaps = step.gaps.reduce((sum, g) => sum + Number(/(\d+) kept/.exec(g.text)?.[1] ?? 0), 0);
  assert.equal(keptInGaps + step.kept.filter((k) => k === '1').length, 241);
  assert.deepEqual(step.gaps[0], { from: 11, to: step.gaps[0].to, text: step.gaps[0].text });
  assert.match(step.gaps[0].text, /^⋮ ranks 11–\d+: \d+ kept$/);
  assert.match(step.gaps.at(-1).text, /^⋮ ranks \d+–2410: \d+ zeroed$/);
  assert.match(step.summary, /Of the 2410 entries the chart draws the 10 largest and the 15 either side of the threshold/);
  assert.equal(step.tableRows, 2410, 'the table lists every entry');

  // The run is the package's default digits run: the worker's θ has s = 241 nonzeros.
  assert.deepEqual(problems, []);
  await screenshot(page, 'digits-1280');
  await screenshotOf(page, '#card-step', 'digits-step-1280');
  await screenshotOf(page, '#card-network', 'digits-network-1280');
  await page.close();
});

test('digits at 360 px, with no hidden layer: one picture per class; the strip wraps', async () => {
  const { page, problems } = await openPage(suite.browser.context, { width: 360, height: 800 });
  await page.goto(`${suite.server.url}?data=digits&hidden=&s=100&speed=max`);
  await waitForRun(page, 60_000);
  assert.equal(await page.inputValue('#hidden'), '', 'the link set hidden: it stays');
  assert.equal(await page.inputValue('#s'), '100');
  const facts = await networkFacts(page);
  assert.equal(facts.withTitle, 10 * 64 + 0, 'ten class pictures of 64 pixels (biases are not cells)');
  for (let c = 0; c < 10; c++) assert.ok(facts.labels.some((t) => t.startsWith(String(c))), `class ${c} has a picture`);
  assert.match(facts.caption, /of 10 classes keep weights from the image\./);
  assert.equal(facts.samples, 16);
  // Nothing wider than the window.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`);
  assert.deepEqual(problems, []);
  await screenshot(page, 'digits-360');
  await screenshotOf(page, '#card-network', 'digits-network-360');
  await page.close();
});

test('choosing the digits in the menu brings their network; back to IRIS brings the paper’s', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${suite.server.url}?speed=max`);
  await waitForRun(page);
  assert.ok(!requests.some((p) => p.endsWith('/digits.mjs')), 'IRIS does not fetch the digits');
  assert.equal(await page.evaluate(() => document.getElementById('network-svg').querySelectorAll('line').length > 0), true);
  await page.selectOption('#data', 'digits');
  await until(async () => (await page.inputValue('#s')) === '241', 'the digits’ s');
  await page.waitForFunction(() => /2,?410 parameters nonzero|of 2,?410 parameters/.test(document.getElementById('network-caption').textContent));
  await waitForRun(page, 60_000);
  assert.equal(await page.inputValue('#hidden'), '32');
  assert.equal((await networkFacts(page)).samples, 16);

  await page.selectOption('#data', 'iris');
  await until(async () => (await page.inputValue('#s')) === '5', 'IRIS’s s');
  await page.waitForFunction(() => /of 15 parameters nonzero/.test(document.getElementById('network-caption').textContent));
  await waitForRun(page);
  assert.equal(await page.inputValue('#hidden'), '');
  const facts = await networkFacts(page);
  assert.equal(facts.samplesHidden, true, 'no strip for IRIS');
  assert.ok(facts.lines > 0, 'lines again');
  assert.deepEqual(problems, []);
  await page.close();
});

test('lesson panels 7 and 8: the pixels each digit keeps; run A sparse pinned against dense B', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?lesson=7&speed=max`);
  await page.waitForSelector('#lesson:not([hidden])');
  assert.equal(await page.textContent('#lesson-count'), 'Lesson · 7 of 8');
  assert.equal(await page.textContent('#lesson-title'), 'Which pixels does each digit keep?');
  await page.waitForFunction(() => /^This run: test accuracy/.test(document.getElementById('lesson-evidence').textContent), null, { timeout: 60_000 });
  assert.equal(await page.inputValue('#data'), 'digits');
  assert.equal(await page.inputValue('#hidden'), '');
  assert.equal(await page.inputValue('#s'), '100');
  // The evidence counts the support's weights per digit: they add up to at most s.
  const evidence = await page.textContent('#lesson-evidence');
  const counts = [...evidence.matchAll(/(\d): (\d+)/g)].map((m) => Number(m[2]));
  assert.equal(counts.length, 10, evidence);
  assert.ok(counts.reduce((a, b) => a + b, 0) <= 100, evidence);
  assert.equal((await networkFacts(page)).withTitle, 640, 'one picture per digit');
  await screenshotOf(page, '#lesson', 'digits-lesson-7');

  await page.click('#lesson-next');
  assert.equal(await page.textContent('#lesson-count'), 'Lesson · 8 of 8');
  await page.waitForFunction(() => /^Run A \(s = 241\): test accuracy/.test(document.getElementById('lesson-evidence').textContent), null, { timeout: 90_000 });
  assert.equal(await page.inputValue('#s'), '2410');
  assert.equal(await page.inputValue('#hidden'), '32');
  assert.match(page.url(), /a\.s=241/);
  const text = await page.textContent('#lesson-evidence');
  const m = text.match(/Run A \(s = 241\): test accuracy ([\d.]+) %, (\d+) of its 241 parameters in the first layer; run B \(dense\): ([\d.]+) %\./);
  assert.ok(m, text);
  assert.ok(Number(m[2]) <= 241);
  assert.deepEqual(problems, []);
  await page.close();
});
