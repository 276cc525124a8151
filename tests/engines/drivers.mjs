// One small interface over three browser drivers, so that the smoke steps
// (smoke.mjs) are the same code in every engine:
// - Chromium: Debian's chromium through playwright-core, as tests/browser/;
// - Firefox: Debian's firefox-esr through puppeteer-core over WebDriver BiDi;
// - WebKit: Debian's WebKitGTK MiniBrowser through its WebKitWebDriver (under
//   xvfb-run: MiniBrowser needs a display) and selenium-webdriver.
// A driver: { engine, version, open(url), evaluate(fn, arg), click(selector),
// setInputFile(selector, file), screenshot(file), problems(), close() }.
// evaluate runs fn(arg) in the page (fn may be async; its result must be
// JSON); problems() is what the engine's driver reports of console errors and
// uncaught page errors since open(), or null where the driver cannot see the
// console (WebKit): the page's own list (window.sparseIhtBoot.errors, from
// web/boot.js) is checked in every engine.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../browser/harness.mjs';

const WIDTH = 1280;
const HEIGHT = 900;

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** The Debian package version of the package that owns `file` (dpkg -S, dpkg-query), or null. */
export function debianVersion(file) {
  try {
    const owner = execFileSync('dpkg', ['-S', fs.realpathSync(file)], { encoding: 'utf8' }).split(':')[0];
    return `${owner} ${execFileSync('dpkg-query', ['-W', '-f=${Version}', owner], { encoding: 'utf8' })}`;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- Chromium

export async function chromium() {
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: WIDTH, height: HEIGHT });
  let seen = [];
  page.on('console', (m) => {
    if (m.type() === 'error') seen.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
  return {
    engine: 'chromium',
    version: `Chromium ${browser.context.browser()?.version() ?? ''} (${debianVersion(CHROMIUM)})`.replace('  ', ' '),
    async open(url) {
      seen = [];
      await page.goto(url);
    },
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    click: (selector) => page.click(selector),
    setInputFile: (selector, file) => page.setInputFiles(selector, file),
    screenshot: (file) => page.screenshot({ path: file, fullPage: true }),
    problems: () => seen,
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------- Firefox

export async function firefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    protocol: 'webDriverBiDi',
    // No network here: nothing to update, report or suggest.
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
  const page = await browser.newPage();
  await page.setViewport({ width: WIDTH, height: HEIGHT });
  let seen = [];
  page.on('console', (m) => {
    if (m.type() === 'error') seen.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
  return {
    engine: 'firefox',
    version: `${(await browser.version()).replace('firefox/', 'Firefox ')} (${debianVersion(FIREFOX)})`,
    async open(url) {
      seen = [];
      await page.goto(url);
    },
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    click: (selector) => page.click(selector),
    async setInputFile(selector, file) {
      const input = await page.$(selector);
      await input.uploadFile(file);
    },
    screenshot: (file) => page.screenshot({ path: file, fullPage: true }),
    problems: () => seen,
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------- WebKit

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function driverListening(url, child) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/status`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error('WebKitWebDriver did not answer within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function webkit() {
  const { Builder, By } = await import('selenium-webdriver');
  const port = await freePort();
  // LANG=C.UTF-8, as in containers and CI: WebKitGTK then reports
  // navigator.language 'C', the value that kept the page from starting
  // (issue #15, scripts/patch-uplot.mjs). Its own process group, so that
  // close() ends xvfb-run, Xvfb and the driver together.
  const child = spawn('xvfb-run', ['-a', WEBKIT_DRIVER, `--port=${port}`], {
    env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  let driver;
  try {
    await driverListening(url, child);
    driver = await new Builder()
      .usingServer(url)
      .withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      })
      .build();
  } catch (err) {
    stop();
    throw new Error(`${err.message}${stderr ? `\n${stderr}` : ''}`);
  }
  await driver.manage().setTimeouts({ script: 60_000, pageLoad: 60_000 });
  await driver.manage().window().setRect({ width: WIDTH, height: HEIGHT });
  const capabilities = await driver.getCapabilities();
  return {
    engine: 'webkit',
    version: `WebKitGTK ${capabilities.get('browserVersion')} (${debianVersion(MINIBROWSER)}; ${debianVersion(WEBKIT_DRIVER)})`,
    open: (target) => driver.get(target),
    async evaluate(fn, arg) {
      const reply = await driver.executeAsyncScript(
        `const done = arguments[arguments.length - 1];
        Promise.resolve(arguments[0]).then(${fn}).then(
          (value) => done({ value: value === undefined ? null : value }),
          (err) => done({ error: String((err && err.stack) || err) }),
        );`,
        arg === undefined ? null : arg,
      );
      if (reply.error) throw new Error(`in the page: ${reply.error}`);
      return reply.value;
    },
    click: async (selector) => (await driver.findElement(By.css(selector))).click(),
    setInputFile: async (selector, file) => (await driver.findElement(By.css(selector))).sendKeys(file),
    async screenshot(file) {
      fs.writeFileSync(file, Buffer.from(await driver.takeScreenshot(), 'base64'));
    },
    problems: () => null,
    async close() {
      try {
        await driver.quit();
      } finally {
        stop();
      }
    },
  };
}

export const ENGINES = { chromium, firefox, webkit };

/** A scratch folder, removed by the caller. */
export const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-iht-engines-'));
