// Shared set-up for the page tests: the demo server (scripts/serve.mjs on a
// free port), one headless Chromium per test file, and readers for the page's
// text alternatives. Tests read numbers from the DOM tables, never pixels.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const resultsDir = path.join(repo, 'test-results');

const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);

function newestChange(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

// The page as built by scripts/build.sh, assembled again (a copy, well under
// a second) when web/ or the package changed since; SPARSE_IHT_WEB_ROOT
// points elsewhere and is used as it is.
export function webRoot() {
  if (process.env.SPARSE_IHT_WEB_ROOT) return path.resolve(process.env.SPARSE_IHT_WEB_ROOT);
  const root = path.join(repo, 'dist', 'web');
  const built = path.join(root, 'lib', 'index.mjs');
  const stale =
    !fs.existsSync(built) ||
    Math.max(newestChange(path.join(repo, 'web')), mtime(path.join(repo, 'dist', 'index.mjs'))) > mtime(built);
  if (stale) execFileSync(process.execPath, [path.join(repo, 'scripts', 'build-web.mjs')], { stdio: 'inherit' });
  return root;
}

/** scripts/serve.mjs on a free port, serving root (the built page by default). */
export async function startServer(root = webRoot()) {
  const child = spawn(process.execPath, [path.join(repo, 'scripts', 'serve.mjs'), root], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve.mjs printed no address: ${out}${err}`)), 10_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /^Serving sparse-iht demo at (http:\/\/\S+\/)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.mjs exited with ${code}: ${err}`));
    });
  });
  return {
    url,
    output: () => child.stdout,
    close() {
      child.kill('SIGTERM');
    },
  };
}

/**
 * The demo server and a Chromium for the test file that calls this at its top
 * level: started before its tests, closed after them. Returns { server, browser },
 * filled in once the before hook has run.
 */
export function demoSuite() {
  const suite = { server: null, browser: null };
  before(async () => {
    [suite.server, suite.browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await suite.browser?.close();
    suite.server?.close();
  });
  return suite;
}

export async function launchBrowser() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-iht-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // The persistent context opens one blank page; tests open their own.
  for (const page of context.pages()) await page.close();
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens a page that records console errors, page errors and failed requests. */
export async function openPage(context, { width = 1280, height = 900 } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A download's blob: URL is handed to the browser and reported as aborted.
    if (!r.url().startsWith('blob:')) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { page, problems };
}

const FINISHED = /after [\d,]+ iterations?\b/;

/** Waits until the run in progress has finished (the status line says so). */
export async function waitForRun(page, timeout = 20_000) {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.getElementById('run-status').textContent),
    FINISHED.source,
    { timeout },
  );
}

/**
 * Does `action` (which starts a run) and waits until that run has finished:
 * a finished status after the status line showed something else. A bare
 * waitForRun() after the action would pass at once on the previous run's
 * status. Returns every status text seen.
 */
export async function runStartedBy(page, action, timeout = 20_000) {
  await page.evaluate(() => {
    const status = document.getElementById('run-status');
    window.__statusObserver?.disconnect();
    const seen = (window.__statusesSeen = []);
    window.__statusObserver = new MutationObserver(() => seen.push(status.textContent));
    window.__statusObserver.observe(status, { childList: true, characterData: true, subtree: true });
  });
  await action();
  await page.waitForFunction(
    (source) => {
      const finished = new RegExp(source);
      const seen = window.__statusesSeen;
      const started = seen.findIndex((text) => !finished.test(text));
      return started >= 0 && seen.slice(started + 1).some((text) => finished.test(text));
    },
    FINISHED.source,
    { timeout },
  );
  return page.evaluate(() => {
    window.__statusObserver.disconnect();
    return window.__statusesSeen;
  });
}

/**
 * Polls `condition` (sync or async) until it is true; `what` (text, or a
 * function giving it) says what was awaited. The deadline only guards against
 * a hang: it is generous, and no test depends on its length.
 */
export async function until(condition, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`still waiting after ${timeout / 1000} s: ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The body rows of a table as arrays of cell text. */
export function tableRows(page, selector, part = 'tbody') {
  return page.$$eval(`${selector} ${part} tr`, (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())));
}

export function tableHead(page, selector) {
  return page.$$eval(`${selector} thead th, ${selector} thead td`, (cells) => cells.map((c) => c.textContent.trim()));
}

export async function screenshot(page, name) {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A screenshot of one element (a card, a panel) into test-results/. */
export async function screenshotOf(page, selector, name) {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.locator(selector).screenshot({ path: file });
  return file;
}

/** '1,234' / '96.7 %' / '-0.5' → number. */
export function numberOf(text) {
  return Number(String(text).replace(/[,\s%]/g, '').replace('−', '-'));
}
