// User data: a malformed CSV is reported next to the file input and changes
// nothing else; CSV column, class and file names containing HTML are shown as
// text, never run, in every view and in error messages; a loaded CSV survives
// a reload in the same tab; a model that fails to load is reported instead of
// leaving a blank page. (Crashes, large files: faults.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSuite, openPage, runStartedBy, screenshot, tableHead, tableRows, waitForRun } from './harness.mjs';

const suite = demoSuite();

const csvFile = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

test('a malformed CSV shows the package’s message next to the file input and keeps the data and results', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?speed=max`);
  await waitForRun(page);
  const before = await tableRows(page, '#network-table');

  await page.setInputFiles('#csv-file', csvFile('bad.csv', 'a,b,label\n1,2,x\n1,oops,y\n'));
  await page.waitForFunction(() => document.getElementById('data-error').textContent.length > 0);
  const message = await page.textContent('#data-error');
  assert.match(message, /^bad\.csv: /);
  assert.match(message, /line 3/);
  assert.match(message, /'oops' is not a number/);
  assert.equal(await page.getAttribute('#data-error', 'role'), 'alert');
  assert.match(await page.textContent('#data-info'), /IRIS/);
  assert.equal(await page.inputValue('#data'), 'iris');
  assert.deepEqual(await tableRows(page, '#network-table'), before);

  // The page stays usable: Train starts a new run on IRIS, which finishes.
  const statuses = await runStartedBy(page, () => page.click('#train'));
  assert.match(statuses.at(-1), /^Reached the iteration limit after 1,000 iterations/, statuses.join(' | '));
  assert.deepEqual(await tableRows(page, '#network-table'), before, 'the same settings give the same network');
  assert.deepEqual(problems, []);
  await screenshot(page, 'csv-error');
  await page.close();
});

// Any element carrying an event-handler attribute (onerror=, onload=, …).
const handlerAttributes = (page) =>
  page.evaluate(() => [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.tagName));

test('CSV column, class and file names containing HTML are shown as text and run nothing', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?speed=max`);
  await waitForRun(page);
  const feature = '<img src=x onerror=window.__pwned=1>';
  const klass = '<svg onload=window.__pwned=2>';
  const rows = [];
  for (let i = 0; i < 10; i++) rows.push(`${(1 + i / 10).toFixed(2)},${(2 - i / 20).toFixed(2)},${klass}`);
  for (let i = 0; i < 10; i++) rows.push(`${(3 + i / 10).toFixed(2)},${(0.5 + i / 20).toFixed(2)},plain`);
  await page.setInputFiles('#csv-file', csvFile('html.csv', `${feature},<b>width</b>,label\n${rows.join('\n')}\n`));
  await page.waitForFunction(() => /html\.csv/.test(document.getElementById('data-info').textContent));
  await page.waitForFunction(() => /5 of 6 parameters nonzero/.test(document.getElementById('network-caption').textContent));
  await waitForRun(page);

  const info = await page.textContent('#data-info');
  assert.ok(info.includes(feature), info);
  assert.ok(info.includes('<b>width</b>'), info);
  assert.ok(info.includes(klass), info);
  assert.ok((await tableHead(page, '#confusion-table')).includes(klass));
  assert.ok((await tableRows(page, '#confusion-table')).some((r) => r[0] === klass), 'class names label the rows too');
  assert.ok((await tableRows(page, '#network-table')).some((r) => r[1].includes(feature)));
  // The drawing names inputs and classes in SVG text, also as text.
  const svgText = await page.evaluate(() => [...document.querySelectorAll('#network-svg text, #network-svg title')].map((t) => t.textContent).join('\n'));
  assert.ok(svgText.includes(feature) && svgText.includes(klass), svgText);
  assert.match(await page.textContent('#data'), /CSV: html\.csv/);
  assert.equal(await page.evaluate(() => document.querySelectorAll('img, b, svg svg, svg[onload]').length), 0);
  assert.deepEqual(await handlerAttributes(page), []);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // Nor through the network's PNG, drawn from the SVG through an <img>.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-png="network"]')]);
  assert.match(download.suggestedFilename(), /network\.png$/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.inputValue('#data'), 'csv');
  assert.match(page.url(), /data=csv/);
  assert.deepEqual(problems, []);

  // The file is kept for this tab, not in the link: a reload still has it.
  await page.reload();
  await waitForRun(page);
  assert.match(await page.textContent('#data-info'), /html\.csv/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);

  // The error path: a file name and a cell holding HTML, quoted in the package's message.
  const badName = '<img src=x onerror=window.__pwned=3>.csv';
  const cell = '<svg onload=window.__pwned=4>';
  await page.setInputFiles('#csv-file', csvFile(badName, `a,b,label\n1,2,x\n1,${cell},y\n`));
  await page.waitForFunction(() => document.getElementById('data-error').textContent.length > 0);
  const message = await page.textContent('#data-error');
  assert.ok(message.startsWith(`${badName}: `), message);
  assert.ok(message.includes(cell), message);
  assert.match(message, /The previous data set is still loaded\.$/);
  assert.match(await page.textContent('#data-info'), /html\.csv/);
  assert.equal(await page.evaluate(() => document.querySelectorAll('img, svg svg').length), 0);
  assert.deepEqual(await handlerAttributes(page), []);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a link that names a CSV the browser does not have falls back to IRIS with a notice', async () => {
  const { page } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?data=csv&speed=max`);
  await waitForRun(page);
  assert.match(await page.textContent('#notices'), /CSV file, which a link cannot carry/);
  assert.match(await page.textContent('#data-info'), /IRIS/);
  await page.close();
});

test('a model that cannot be loaded is reported, and the page stays in place', async () => {
  const { page } = await openPage(suite.browser.context);
  await page.route('**/lib/sparse-iht-core.mjs', (route) => route.abort());
  await page.goto(suite.server.url);
  await page.waitForFunction(() => document.getElementById('run-error').textContent.length > 0);
  assert.match(await page.textContent('#run-error'), /could not be loaded/);
  assert.equal(await page.isEnabled('#train'), true);
  await page.close();
});

test('a WebAssembly file that cannot be fetched is reported, and the page stays in place', async () => {
  // The package fetches lib/sparse-iht-core.wasm beside its module (issue #18).
  const { page } = await openPage(suite.browser.context);
  await page.route('**/lib/sparse-iht-core.wasm', (route) => route.abort());
  await page.goto(suite.server.url);
  await page.waitForFunction(() => document.getElementById('run-error').textContent.length > 0);
  assert.match(await page.textContent('#run-error'), /could not be loaded/);
  assert.equal(await page.isEnabled('#train'), true);
  await page.close();
});

test('a CSV dropped on the file area loads like a chosen one', async () => {
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?speed=max`);
  await waitForRun(page);
  const rows = ['x,y,kind'];
  for (let i = 0; i < 12; i++) rows.push(`${i % 2 ? 1 + i / 10 : -1 - i / 10},${i / 7},${i % 2 ? 'odd' : 'even'}`);
  await page.evaluate((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
    const zone = document.getElementById('drop-zone');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, rows.join('\n'));
  await page.waitForFunction(() => /dropped\.csv/.test(document.getElementById('data-info').textContent));
  await waitForRun(page);
  assert.match(await page.textContent('#data-info'), /even \(6\), odd \(6\)/);
  assert.equal(await page.getAttribute('#s', 'max'), '6');
  assert.deepEqual(problems, []);
  await page.close();
});

test('an error the package raises when a run starts goes to the control its option names, and clears once a run starts', async () => {
  // The CSV parses, but a class with one sample cannot be split 80/20: the
  // package raises a bad-option error naming the test share when the run
  // starts. The page routes it by the error's fields to Test share, not to
  // the data panel or the run line, and says that the views still show the
  // last run (of IRIS). With Test share 0 the run starts and the error goes.
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?speed=max`);
  await waitForRun(page);
  const before = await tableRows(page, '#network-table');
  await page.setInputFiles('#csv-file', csvFile('lonely.csv', 'a,b,label\n1,2,x\n3,4,y\n5,6,y\n7,8,y\n9,1,y\n'));
  await page.waitForFunction(() => document.getElementById('testFraction-error').textContent.length > 0);
  assert.match(
    await page.textContent('#testFraction-error'),
    /testFraction \(--test-fraction\): class 'x' has 1 sample; a stratified split with test fraction 0\.2 needs at least 2 samples per class \(test fraction 0 trains on every sample\)/,
  );
  assert.equal(await page.getAttribute('#testFraction', 'aria-invalid'), 'true');
  assert.equal(await page.textContent('#data-error'), '');
  assert.equal(await page.textContent('#run-error'), '');
  assert.match(await page.textContent('#run-status'), /^Not run: see the message\. The views show the last run: Reached the iteration limit after 1,000 iterations: test accuracy [\d.]+ %, 5 nonzero parameters\.$/);
  assert.deepEqual(await tableRows(page, '#network-table'), before, 'the last run is still shown');

  const statuses = await runStartedBy(page, async () => {
    await page.fill('#testFraction', '0');
    await page.press('#testFraction', 'Enter');
  });
  assert.match(statuses.at(-1), /train accuracy/, statuses.join(' | '));
  assert.equal(await page.textContent('#testFraction-error'), '');
  assert.equal(await page.getAttribute('#testFraction', 'aria-invalid'), null);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a rejected value in a field is put back when another control starts a run', async () => {
  // Iterations 0 is refused and the run keeps 1,000; when Ridge then starts a
  // run, the field shows the 1,000 that run uses, not the refused 0.
  const { page, problems } = await openPage(suite.browser.context);
  await page.goto(`${suite.server.url}?speed=max`);
  await waitForRun(page);
  await page.fill('#iters', '0');
  await page.press('#iters', 'Enter');
  await page.waitForFunction(() => document.getElementById('iters-error').textContent.length > 0);
  assert.equal(await page.getAttribute('#iters', 'aria-invalid'), 'true');
  await runStartedBy(page, async () => {
    await page.fill('#ridge', '0.01');
    await page.press('#ridge', 'Enter');
  });
  assert.equal(await page.inputValue('#iters'), '1000');
  assert.equal(await page.textContent('#iters-error'), '');
  assert.equal(await page.getAttribute('#iters', 'aria-invalid'), null);
  assert.match(page.url(), /ridge=0\.01/);
  assert.doesNotMatch(page.url(), /iters=0/);
  assert.deepEqual(problems, []);
  await page.close();
});
