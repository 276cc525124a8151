// The README's browser examples, run as written (issue #16): the page that
// imports the package with no bundler, and the two iframes a course pastes.
// tests/node/readme.test.mjs runs the rest and checks that every block is
// covered by one of the two files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { demoSuite, openPage, until } from './harness.mjs';
import { fencedBlocks } from '../node/readme-blocks.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const blocks = fencedBlocks(fs.readFileSync(path.join(repo, 'README.md'), 'utf8'));
const ofKind = (kind) => blocks.filter((b) => b.marker?.kind === kind);
const suite = demoSuite();

const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm' };

test('the no-bundler page of the README trains in Chromium and finishes', async () => {
  const [block] = ofKind('browser');
  assert.ok(block, 'the README has a browser block');
  const { page, problems } = await openPage(suite.browser.context);
  // A site of its own, as a user's page would be: the snippet is its body,
  // and ./node_modules/sparse-iht/ is the built package's dist/.
  const origin = 'http://readme.example';
  await page.route(`${origin}/**`, (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === '/' || pathname === '/index.html') {
      return route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>README</title></head><body>\n${block.body}\n</body></html>`,
      });
    }
    const m = pathname.match(/^\/node_modules\/sparse-iht\/(dist\/[\w.-]+)$/);
    const file = m && path.join(repo, m[1]);
    if (!file || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ contentType: TYPES[path.extname(file)] ?? 'application/octet-stream', body: fs.readFileSync(file) });
  });
  const logs = [];
  page.on('console', (m) => m.type() === 'log' && logs.push(m.text()));
  await page.goto(`${origin}/`);
  // The snippet logs trainer.result() when the run ends, after titling the
  // page with each frame's iteration, loss and nonzero count.
  await until(() => logs.length > 0, () => `the snippet's result (title: ${page.url()})`, 60_000);
  const title = await page.title();
  assert.match(title, /^\d+: loss \d+\.\d{4}, 5 nonzeros$/, 'the title the snippet sets');
  assert.ok(Number(title.split(':')[0]) > 20, 'it advanced more than one frame');
  assert.deepEqual(problems, []);
  await page.close();
});

test("the README's iframes embed the demo and the lesson in a course page", async (t) => {
  const frames = ofKind('iframe');
  assert.equal(frames.length, 2, 'the embed and the lesson iframes');
  for (const block of frames) {
    const { page, problems } = await openPage(suite.browser.context, { width: 1000, height: 1000 });
    const placeholder = 'https://your.host/sparse-iht/';
    assert.ok(block.body.includes(placeholder), 'the README says where the page goes');
    const html = block.body.replace(placeholder, suite.server.url);
    // The course page is a server of its own on another port: another origin.
    // (A routed fake host would be a public origin, which Chromium's local
    // network checks forbid from framing a loopback address.)
    const course = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A course</title></head><body><h1>Week 3</h1>\n${html}\n</body></html>`);
    });
    await new Promise((resolve) => course.listen(0, '127.0.0.1', resolve));
    t.after(() => course.close());
    await page.goto(`http://127.0.0.1:${course.address().port}/`);
    const frameOf = () => page.frames().find((f) => f.url().startsWith(suite.server.url));
    await until(() => frameOf(), 'the demo frame');
    const frame = frameOf();
    await frame.waitForSelector('body.embed', { timeout: 30_000 });
    if (/lesson=1/.test(block.body)) {
      await frame.waitForSelector('#lesson:not([hidden])');
      assert.equal(await frame.textContent('#lesson-count'), 'Lesson · 1 of 8');
      await frame.click('#lesson-next');
      assert.equal(await frame.textContent('#lesson-count'), 'Lesson · 2 of 8');
    } else {
      await frame.waitForFunction(() => /after [\d,]+ iterations?\b/.test(document.getElementById('run-status').textContent), null, { timeout: 30_000 });
      assert.equal(await frame.inputValue('#s'), '5');
      // hide=seed,samples
      assert.equal(await frame.isVisible('#seed'), false);
      assert.equal(await frame.isVisible('#samples'), false);
    }
    assert.deepEqual(problems, []);
    await page.close();
  }
});
