// The package under a bundler: `npm pack`, install the tarball into a scratch
// project, build a page and a module worker that both import 'sparse-iht' with
// Vite, serve the build and run train({ s: 5 }) in headless Chromium, in the
// page and in the worker; and count the copies of the WebAssembly in the
// build (one asset). Then Vite's dev server on the same app: with the
// README's optimizeDeps setting both train, and without it load() rejects
// with an Error that names the setting. Uses the prebuilt dist/ (npm test
// builds it first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage } from './harness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let scratch;
let server;
let browser;

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

function serve(root) {
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) return res.writeHead(403).end();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${srv.address().port}/`, close: () => srv.close() }));
  });
}

const SUMMARY = `(r) => ({
  testAccuracy: r.testAccuracy,
  nnz: Array.from(r.theta).filter((v) => v !== 0).length,
  status: r.status,
})`;

const FILES = {
  'package.json': JSON.stringify({ name: 'vite-scratch', private: true, type: 'module' }, null, 2),
  'index.html': `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>sparse-iht under Vite</title></head>
<body><script type="module" src="./main.js"></script></body></html>
`,
  'main.js': `import load from 'sparse-iht';
const summary = ${SUMMARY};
window.__results = {};
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onmessage = (e) => { window.__results.worker = e.data; };
worker.onerror = (e) => { window.__results.worker = { error: String(e.message ?? e) }; };
load().then((iht) => { window.__results.page = summary(iht.train({ s: 5 })); })
  .catch((e) => { window.__results.page = { error: String(e && e.stack || e) }; });
`,
  'worker.js': `import load from 'sparse-iht';
const summary = ${SUMMARY};
load().then((iht) => postMessage(summary(iht.train({ s: 5 }))))
  .catch((e) => postMessage({ error: String(e && e.stack || e) }));
`,
};

const warnings = [];

before(async () => {
  const t0 = Date.now();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-iht-vite-'));
  const packDir = path.join(scratch, 'pack');
  const app = path.join(scratch, 'app');
  fs.mkdirSync(packDir);
  fs.mkdirSync(app);
  // dist/ is prebuilt; skip the prepack rebuild.
  const out = execFileSync(npm, ['pack', '--json', '--pack-destination', packDir], {
    cwd: repo,
    env: { ...process.env, npm_config_ignore_scripts: 'true' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tgz = path.join(packDir, JSON.parse(out)[0].filename);
  for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(app, name), text);
  execFileSync(npm, ['install', tgz, '--offline', '--no-audit', '--no-fund'], {
    cwd: app,
    env: { ...process.env, npm_config_ignore_scripts: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const t1 = Date.now();

  const { build } = await import('vite'); // the repo's devDependency
  const logger = {
    hasWarned: false,
    info() {},
    warn(msg) { warnings.push(msg); },
    warnOnce(msg) { warnings.push(msg); },
    error(msg) { warnings.push(`error: ${msg}`); },
    clearScreen() {},
    hasErrorLogged: () => false,
  };
  await build({
    root: app,
    configFile: false,
    logLevel: 'warn',
    customLogger: logger,
    build: { outDir: path.join(app, 'dist'), emptyOutDir: true },
  });
  const t2 = Date.now();
  if (warnings.length) console.log(`Vite warnings:\n${warnings.join('\n')}`);
  console.log(`pack + install ${t1 - t0} ms, vite build ${t2 - t1} ms`);

  [server, browser] = await Promise.all([serve(path.join(app, 'dist')), launchBrowser()]);
}, { timeout: 120_000 });

after(async () => {
  await browser?.close();
  server?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

test('a Vite build runs train({ s: 5 }) in the page and in a module worker', { timeout: 120_000 }, async () => {
  const built = fs.readdirSync(path.join(scratch, 'app', 'dist', 'assets'));
  assert.ok(built.some((f) => /^worker-.*\.js$/.test(f)), `Vite emitted no worker chunk: ${built.join(', ')}`);

  const { page, problems } = await openPage(browser.context);
  page.on('worker', (w) => w.on?.('console', (m) => {
    if (m.type() === 'error') problems.push(`worker console error: ${m.text()}`);
  }));
  const t0 = Date.now();
  await page.goto(server.url);
  await page.waitForFunction(() => window.__results?.page && window.__results?.worker, null, { timeout: 60_000 });
  const results = await page.evaluate(() => window.__results);
  console.log(`page + worker train in ${Date.now() - t0} ms: ${JSON.stringify(results)}`);

  for (const where of ['page', 'worker']) {
    const r = results[where];
    assert.equal(r.error, undefined, `${where}: ${r.error}`);
    assert.ok(r.testAccuracy >= 0.9, `${where}: test accuracy ${r.testAccuracy}`);
    assert.equal(r.nnz, 5, `${where}: ${r.nnz} nonzeros in theta`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('the build holds one copy of the WebAssembly, fetched by the page and by the worker (issue #18)', async () => {
  const dir = path.join(scratch, 'app', 'dist', 'assets');
  const files = fs.readdirSync(dir);
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `WebAssembly assets: ${wasm.join(', ') || 'none'}`);
  const bytes = fs.readFileSync(path.join(dir, wasm[0]));
  assert.ok(bytes.subarray(0, 4).equals(Buffer.from('\0asm', 'latin1')) && bytes.equals(fs.readFileSync(path.join(repo, 'dist', 'sparse-iht-core.wasm'))),
    `${wasm[0]} is the package's dist/sparse-iht-core.wasm`);
  // No chunk embeds it (base64 of '\0asm' opens every embedded module), and
  // both the page's chunk and the worker's name the one asset.
  const chunks = files.filter((f) => f.endsWith('.js'));
  for (const f of chunks) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    assert.doesNotMatch(text, /AGFzbQ[A-Za-z0-9+/]{1000}/, `${f} embeds a copy of the WebAssembly`);
  }
  const naming = chunks.filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes(wasm[0]));
  assert.ok(naming.some((f) => /^worker-/.test(f)) && naming.some((f) => !/^worker-/.test(f)),
    `chunks that load ${wasm[0]}: ${naming.join(', ')}`);
});

// The scratch app under Vite's dev server; returns { page: …, worker: … } as in the build.
async function devRun(optimizeDeps, cacheDir) {
  const { createServer } = await import('vite');
  const app = path.join(scratch, 'app');
  const dev = await createServer({
    root: app,
    configFile: false,
    logLevel: 'silent',
    cacheDir: path.join(scratch, cacheDir),
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    optimizeDeps,
  });
  await dev.listen();
  try {
    const { page } = await openPage(browser.context);
    await page.goto(dev.resolvedUrls.local[0]);
    await page.waitForFunction(() => window.__results?.page && window.__results?.worker, null, { timeout: 60_000 });
    const results = await page.evaluate(() => window.__results);
    await page.close();
    return results;
  } finally {
    await dev.close();
  }
}

test("Vite's dev server: with optimizeDeps.exclude the page and the worker train; without it load() says what to set",
  { timeout: 180_000 }, async () => {
    const fine = await devRun({ exclude: ['sparse-iht'] }, 'vite-cache-exclude');
    for (const where of ['page', 'worker']) {
      assert.equal(fine[where].error, undefined, `${where}: ${fine[where].error}`);
      assert.equal(fine[where].nnz, 5, where);
    }
    // Pre-bundled, the module looks for its .wasm where the bundle is, and finds none.
    const broken = await devRun({}, 'vite-cache-default');
    assert.match(broken.page.error ?? '', /sparse-iht load: the WebAssembly could not be loaded .*optimizeDeps: \{ exclude: \['sparse-iht'\] \}/);
  });
