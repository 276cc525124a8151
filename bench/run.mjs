// `npm run bench` (issue #6), after bench/run.sh has built everything:
// sparse-iht natively, in WebAssembly under Node and in headless Chromium,
// against TensorFlow.js (CPU and WebAssembly backends) in Node and Chromium,
// side by side on the same workloads and inputs; the demo page's time to
// its first curve (workload page: cold loads, see lib/page-load.mjs); and the
// sparsity path of issue #13 (workloads path-iris and path-digits, sparse-iht
// alone: natively, and path-iris also in WebAssembly under Node and in Chromium);
// and the digits' default run in the page (workload page-digits, issue #17:
// 64 → 32 → 10, s = 241, to its stopping rule, at speed max and at the
// default speed, with the main thread's long tasks meanwhile).
//
//   node bench/run.mjs [--rounds N]
//                      [--workloads iris,mlp,mc,sweep,sweep-certified,page,page-digits,path-iris,path-digits]
//                      [--path-digits-iters N] [--path-threads N] [--quick]
//
// Issue #18 adds two native contestants to iris and mlp, natively only: a
// plain dense Eigen IHT (native-eigen, bench/eigen_dense.hpp) and sparse-iht
// built with -DSPARSE_IHT_NATIVE_ARCH=ON (native-arch, build/native-arch);
// the workload sweep-certified (the IRIS sweep with the certified default
// step, sparse-iht alone, natively, in Node and in Chromium); and a `summary`
// object in latest.json with the issue's figures against its goals.
//
// Every round runs every contestant once on a workload, in a rotating order
// (alternating runs); a contestant's figure is the median over rounds of its
// per-round time, and each ratio is the median over rounds of the per-round
// ratio. Within a round sparse-iht repeats its fast runs for ~0.3 s (native:
// their median; in JavaScript: the mean of the fastest 90 %, see trimmedMean);
// TF.js makes one run. Each contestant is warmed up first.
// Correctness is checked before anything is reported: the WebAssembly results
// against the native ones (1e-9 relative), TF.js's float32 results against them
// within a float32 tolerance. Writes bench/results/latest.json and latest.md.
// `--workloads page` alone needs neither TF.js nor the bench module: only
// dist/web and Chromium; the path workloads need no TF.js either (path-digits
// only the native bench).
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = (...p) => path.join(root, ...p);
const requireBench = createRequire(rel('bench/package.json'));
const requireRoot = createRequire(rel('package.json'));

// ---- options ------------------------------------------------------------------
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const quick = argv.includes('--quick');
// For page: the number of cold loads. path-digits runs for minutes: one round.
const defaultRounds = { iris: 7, mlp: 3, mc: 5, sweep: 3, 'sweep-certified': 5, page: 5, 'page-digits': 3, 'path-iris': 3, 'path-digits': 1 };
const roundsOverride = option('--rounds', quick ? '1' : null);
const workloads = option('--workloads', 'iris,mc,sweep,sweep-certified,mlp,page,page-digits,path-iris,path-digits').split(',');
for (const w of workloads) {
  if (!(w in defaultRounds)) {
    throw new Error(`--workloads: unknown workload '${w}' (${Object.keys(defaultRounds).join(', ')})`);
  }
}
const isPage = (w) => w === 'page' || w === 'page-digits';
// path-digits' IHT iterations per training (RunOptions::iters). The default is
// 30, not the library's 1,000: at 1,000 the path takes 528 s of CPU natively
// (271 s on 2 threads), far over issue #13's goal of 60 s (README,
// "Benchmarks"); 30 meets it.
const pathDigitsIters = Number(option('--path-digits-iters', '30'));
if (!Number.isInteger(pathDigitsIters) || pathDigitsIters < 1) throw new Error('--path-digits-iters: expected a positive integer');
// Threads of the native path workloads (sweep's --threads: the main split and
// the CV folds side by side; 0 = one per core). WebAssembly has one thread.
const pathThreads = Number(option('--path-threads', '1'));
if (!Number.isInteger(pathThreads) || pathThreads < 0) throw new Error('--path-threads: expected an integer ≥ 0 (0 = one per core)');
// The workloads timed against TF.js; page and the path are timed on their own.
// sweep-certified is measured the same way: sparse-iht alone, no TF.js peer.
const isPath = (w) => w.startsWith('path-') || w === 'sweep-certified';
const computeWorkloads = workloads.filter((w) => !isPage(w) && !isPath(w));
const pathWorkloads = workloads.filter(isPath);
const compute = computeWorkloads.length > 0;
// The bench module runs path-iris and sweep-certified in Node and in the page.
const pathInJs = workloads.includes('path-iris') || workloads.includes('sweep-certified');
const needModule = compute || pathInJs;
const roundsOf = (w) => (roundsOverride ? Number(roundsOverride) : defaultRounds[w]);
const nativeBench = rel('build/native/bench/sparse_iht_bench');
// The same bench built with -DSPARSE_IHT_NATIVE_ARCH=ON (bench/run.sh builds it).
const nativeArchBench = rel('build/native-arch/bench/sparse_iht_bench');
const dataDir = rel('build/bench/data');
const startedAt = new Date();
const t0Total = performance.now();
const log = (...a) => console.log(`[${((performance.now() - t0Total) / 1000).toFixed(0).padStart(4)} s]`, ...a);

// ---- inputs -------------------------------------------------------------------
let W = null;
if (compute) {
  mkdirSync(dataDir, { recursive: true });
  execFileSync(nativeBench, ['export', dataDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const { loadWorkloads } = await import('./lib/data.mjs');
  const readData = async (name) => {
    const b = readFileSync(path.join(dataDir, name));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  };
  W = await loadWorkloads(readData);
  log('inputs exported to build/bench/data');
}

// ---- Node contestants ---------------------------------------------------------
let tf = null;
let nodeRunners = null;
let nodePath = null;
const benchModule = needModule ? (await import(rel('build/bench/sparse-iht-bench.mjs'))).default : null;
if (pathInJs) {
  const { makePathRunner } = await import('./lib/path-runner.mjs');
  nodePath = makePathRunner(await benchModule());
}
if (compute) {
  tf = requireBench('@tensorflow/tfjs');
  const tfWasm = requireBench('@tensorflow/tfjs-backend-wasm');
  tf.enableProdMode();
  tfWasm.setWasmPaths(path.join(path.dirname(requireBench.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
  await tf.setBackend('wasm');
  const { makeRunners } = await import('./lib/runners.mjs');
  nodeRunners = makeRunners({ tf, M: await benchModule(), W });
}

// ---- the page: a small static server on 127.0.0.1, and headless Chromium ------
const mounts = [
  ['/bench/pages/', rel('bench/pages')],
  ['/bench/lib/', rel('bench/lib')],
  ['/build/bench/', rel('build/bench')],
  ['/dist/', rel('dist')],
  ...(compute
    ? [
        ['/tfjs/', path.dirname(requireBench.resolve('@tensorflow/tfjs/dist/tf.min.js'))],
        ['/tfjs-wasm/', path.dirname(requireBench.resolve('@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js'))],
      ]
    : []),
];
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const gzipCache = new Map();
const server = createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
  const mount = mounts.find(([prefix]) => url.startsWith(prefix));
  const file = mount && path.resolve(mount[1], url.slice(mount[0].length));
  if (!mount || !file.startsWith(mount[1]) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  const headers = { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' };
  let body = readFileSync(file);
  // Compressed as a production server would, so the page's byte count is the gzipped one.
  if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && !file.startsWith(dataDir)) {
    const key = `${file}:${statSync(file).mtimeMs}`;
    if (!gzipCache.has(key)) gzipCache.set(key, gzipSync(body, { level: 9 }));
    body = gzipCache.get(key);
    headers['Content-Encoding'] = 'gzip';
  }
  res.writeHead(200, headers).end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const { chromium } = requireRoot('playwright-core');
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const profiles = [];
async function launch() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sparse-iht-bench-'));
  profiles.push(dir);
  return chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs });
}

// Bytes a fresh browser downloads for a page (encoded sizes, i.e. gzipped), by URL.
async function pageBytes(url) {
  const context = await launch();
  const page = await context.newPage();
  const files = [];
  page.on('requestfinished', async (request) => {
    const sizes = await request.sizes();
    files.push({ url: new URL(request.url()).pathname, bytes: sizes.responseBodySize });
  });
  await page.goto(origin + url);
  await page.waitForFunction(() => window.done, null, { timeout: 120000 });
  const done = await page.evaluate(() => window.done);
  if (!String(done).startsWith('ok')) throw new Error(`${url}: ${done}`);
  await page.waitForTimeout(200);
  await context.close();
  return { files, total: files.reduce((a, f) => a + f.bytes, 0) };
}

let sizes = null;
if (compute) {
  sizes = {
    sparseIht: await pageBytes('/bench/pages/size-sparse-iht.html'),
    tfjs: await pageBytes('/bench/pages/size-tfjs.html'),
    benchModuleGz: gzipSync(readFileSync(rel('build/bench/sparse-iht-bench.mjs')), { level: 9 }).length,
  };
  log(`page bytes (gzipped): sparse-iht ${sizes.sparseIht.total}, TF.js ${sizes.tfjs.total}`);
}

const context = await launch();
const browserVersion = context.browser()?.version() ?? execFileSync('/usr/bin/chromium', ['--version']).toString().trim();
let page = null;
let pageTfInfo = null;
if (compute) {
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${origin}/bench/pages/timing.html`);
  await page.waitForFunction(() => window.benchReady, null, { timeout: 120000 });
  const ready = await page.evaluate(() => window.benchReady);
  if (ready !== 'ok') throw new Error(`bench page: ${ready}`);
  pageTfInfo = await page.evaluate(() => window.bench.tfInfo());
  log(`Chromium ${browserVersion} ready; TF.js ${pageTfInfo.version}, wasm SIMD ${pageTfInfo.flags.WASM_HAS_SIMD_SUPPORT}, threads ${pageTfInfo.flags.WASM_HAS_MULTITHREAD_SUPPORT}`);
}
// The path's page: the bench module alone (bench/pages/path.html).
let pathPage = null;
if (pathInJs) {
  pathPage = await context.newPage();
  pathPage.on('pageerror', (e) => console.error('path page error:', e.message));
  await pathPage.goto(`${origin}/bench/pages/path.html`);
  await pathPage.waitForFunction(() => window.pathReady, null, { timeout: 120000 });
  const ready = await pathPage.evaluate(() => window.pathReady);
  if (ready !== 'ok') throw new Error(`path page: ${ready}`);
  log(`Chromium ${browserVersion}: path page ready`);
}

// ---- measuring ----------------------------------------------------------------
const contestants = [
  { id: 'native', env: 'native', who: 'sparse-iht' },
  { id: 'node-sparse-iht', env: 'node', who: 'sparse-iht' },
  { id: 'node-tfjs-cpu', env: 'node', who: 'tfjs-cpu' },
  { id: 'node-tfjs-wasm', env: 'node', who: 'tfjs-wasm' },
  { id: 'browser-sparse-iht', env: 'browser', who: 'sparse-iht' },
  { id: 'browser-tfjs-cpu', env: 'browser', who: 'tfjs-cpu' },
  { id: 'browser-tfjs-wasm', env: 'browser', who: 'tfjs-wasm' },
];
// The mean of the fastest 90 %: robust to a stray GC pause or interrupt, and,
// unlike a median, not stuck on the lattice of a coarse clock (Chromium's
// performance.now() ticks in 0.1 ms with jitter outside cross-origin isolation).
const trimmedMean = (xs) => {
  const s = [...xs].sort((a, b) => a - b).slice(0, Math.max(1, Math.ceil(0.9 * xs.length)));
  return s.reduce((a, b) => a + b, 0) / s.length;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// The path workloads: sparse-iht alone. path-iris natively, in Node and in
// Chromium; path-digits natively (it is the native goal of issue #13).
const pathContestants = (workload) => contestants.filter((c) =>
  c.who === 'sparse-iht' && (workload !== 'path-digits' || c.env === 'native'));
// Runs of tens of milliseconds are repeated within a round; a path is one run.
const pathBudgetMs = (workload) => (workload === 'sweep-certified' ? 300 : 0);
// The native bench's JSON line: its runs, and its last run's result (the reference).
async function measurePath(c, workload, options) {
  if (c.env === 'native') {
    const args = ['time', workload, String((options.budgetMs ?? 300) / 1000)];
    args.push(String(workload === 'path-digits' ? pathDigitsIters : 1000), String(pathThreads));
    const out = JSON.parse(execFileSync(nativeBench, args, { stdio: ['ignore', 'pipe', 'inherit'] }).toString());
    const { runs, cpu, contestant: _c, workload: _w, done: _d, ...output } = out;
    return { times: runs.map((x) => x * 1000), cpuTimes: cpu.map((x) => x * 1000), output };
  }
  if (c.env === 'node') {
    // One run (budget 0): the process's CPU time around it is that run's.
    const c0 = process.cpuUsage();
    const r = nodePath.run(workload, options);
    const used = process.cpuUsage(c0);
    return { ...r, cpuTimes: r.times.length === 1 ? [(used.user + used.system) / 1000] : null };
  }
  return pathPage.evaluate(([w, o]) => window.pathBench.run(w, o), [workload, options]);
}

// The extra native contestants of iris and mlp (issue #18): the plain dense
// Eigen IHT, and sparse-iht built for this machine's instruction set.
const extraContestants = [
  { id: 'native-eigen', bench: nativeBench, workload: (w) => `eigen-${w}` },
  { id: 'native-arch', bench: nativeArchBench, workload: (w) => w },
];
const hasExtras = (w) => w === 'iris' || w === 'mlp';
function measureExtra(x, workload) {
  const out = JSON.parse(execFileSync(x.bench, ['time', x.workload(workload), '0.3']).toString());
  return { times: out.runs.map((t) => t * 1000), output: out.losses ?? null };
}

async function measure(c, workload, options) {
  if (isPath(workload)) return measurePath(c, workload, options);
  if (c.env === 'native') {
    const out = JSON.parse(execFileSync(nativeBench, ['time', workload, String((options.budgetMs ?? 300) / 1000)]).toString());
    return { times: out.runs.map((s) => s * 1000), output: null };
  }
  if (c.env === 'node') return nodeRunners.run(c.who, workload, options);
  return page.evaluate(([who, w, o]) => window.bench.run(who, w, o), [c.who, workload, options]);
}

const load = () => os.loadavg().map((x) => x.toFixed(2));
const results = {};
const outputs = {};
// CPU time per round (ms) of the native and Node path runs, beside their
// wall-clock time: on a shared machine it shows what waiting for a core added.
const pathCpu = {};
const loads = [{ at: 'start', loadavg: load() }];
let pageLoad = null;
let pageDigits = null;
for (const workload of workloads) {
  if (workload === 'page-digits') {
    // The digits' default run in the page's worker: at speed max (the
    // computation, to the stopping rule) and at the default speed (what a
    // visitor watches). Each load has a fresh profile, so the data module is
    // fetched every time.
    if (!existsSync(rel('dist/web/index.html'))) throw new Error('dist/web is missing: run npm run build first');
    const { measurePageLoads } = await import('./lib/page-load.mjs');
    const common = {
      chromium, executablePath: '/usr/bin/chromium', args: chromiumArgs, webRoot: rel('dist/web'),
      serveScript: rel('scripts/serve.mjs'), loads: roundsOf('page-digits'), log,
    };
    pageDigits = {
      max: await measurePageLoads({ ...common, query: '?data=digits&speed=max' }),
      auto: await measurePageLoads({ ...common, query: '?data=digits' }),
    };
    loads.push({ at: 'after page-digits', loadavg: load() });
    continue;
  }
  if (workload === 'page') {
    if (!existsSync(rel('dist/web/index.html'))) throw new Error('dist/web is missing: run npm run build first');
    const { measurePageLoads } = await import('./lib/page-load.mjs');
    pageLoad = await measurePageLoads({
      chromium, executablePath: '/usr/bin/chromium', args: chromiumArgs, webRoot: rel('dist/web'),
      serveScript: rel('scripts/serve.mjs'), loads: roundsOf('page'), log,
    });
    loads.push({ at: 'after page', loadavg: load() });
    continue;
  }
  if (isPath(workload)) {
    // Warm-up of the JavaScript contestants (the native bench warms up itself):
    // one whole path each. Then rounds in a rotating order; one path per run
    // in JavaScript (budget 0: a path takes about a second), the native bench's
    // median of at least 3 runs (path-digits: 1 run).
    const cs = pathContestants(workload);
    const budgetMs = pathBudgetMs(workload);
    for (const c of cs) if (c.env !== 'native') await measure(c, workload, { budgetMs });
    const rounds = roundsOf(workload);
    results[workload] = Object.fromEntries(cs.map((c) => [c.id, []]));
    for (let r = 0; r < rounds; ++r) {
      const order = cs.map((_, i) => cs[(i + r) % cs.length]);
      for (const c of order) {
        const { times, cpuTimes, output } = await measure(c, workload, { budgetMs, validate: r === 0 });
        results[workload][c.id].push(c.env === 'native' || times.length < 3 ? median(times) : trimmedMean(times));
        if (cpuTimes) ((pathCpu[workload] ??= {})[c.id] ??= []).push(median(cpuTimes));
        if (r === 0 && output) outputs[`${c.id}:${workload}`] = output;
      }
      log(`${workload} round ${r + 1}/${rounds}: ` +
        cs.map((c) => `${c.id} ${(results[workload][c.id][r] / 1000).toFixed(4)} s`).join(', '));
    }
    loads.push({ at: `after ${workload}`, loadavg: load() });
    continue;
  }
  // Warm-up: JIT tiers, wasm compilation, TF.js kernels and backends.
  for (const c of contestants) {
    if (c.env === 'native') continue;
    // The sweep is made of the IRIS and Monte Carlo operations.
    for (const w of workload === 'sweep' && c.who !== 'sparse-iht' ? ['iris', 'mc'] : [workload]) {
      await measure(c, w, { budgetMs: 50, short: true });
    }
  }
  const rounds = roundsOf(workload);
  results[workload] = Object.fromEntries(contestants.map((c) => [c.id, []]));
  for (let r = 0; r < rounds; ++r) {
    const order = contestants.map((_, i) => contestants[(i + r) % contestants.length]);
    for (const c of order) {
      const { times, output } = await measure(c, workload, { budgetMs: 300, validate: r === 0 });
      results[workload][c.id].push(c.env === 'native' ? median(times) : trimmedMean(times));
      if (r === 0 && output) outputs[`${c.id}:${workload}`] = output;
    }
    if (hasExtras(workload)) {
      // Right after the others, so the ratios to native compare runs of one round.
      for (const x of extraContestants) {
        const { times, output } = measureExtra(x, workload);
        (results[workload][x.id] ??= []).push(median(times));
        if (r === 0 && output) outputs[`${x.id}:${workload}`] = output;
      }
    }
    log(`${workload} round ${r + 1}/${rounds}: ` +
      contestants.map((c) => `${c.id} ${results[workload][c.id][r].toFixed(2)} ms`).join(', '));
  }
  loads.push({ at: `after ${workload}`, loadavg: load() });
}

// ---- correctness ----------------------------------------------------------------
const checks = [];
const relDiff = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const maxRel = (xs, ref) => xs.reduce((m, x, i) => Math.max(m, relDiff(x, ref[i])), 0);
const sameSupport = (a, ref) => JSON.stringify(a) === JSON.stringify(Array.from(ref.keys()).filter((i) => ref[i] !== 0));
function check(name, value, limit, extra = true) {
  checks.push({ name, value, limit, ok: value <= limit && extra });
}
for (const c of contestants.filter((x) => x.env !== 'native')) {
  const float32 = c.who.startsWith('tfjs');
  // The SIMD build computes the same arithmetic lane by lane as native code.
  const tol = float32 ? { iris: 1e-4, mlp: 1e-4, mc: 1e-4, sweep: 1e-3 } : { iris: 1e-9, mlp: 1e-9, mc: 1e-9, sweep: 1e-9 };
  for (const workload of computeWorkloads) {
    const out = outputs[`${c.id}:${workload}`];
    if (!out) continue;
    if (workload === 'iris' || workload === 'mlp') {
      const losses = float32 ? out.losses : out;
      check(`${c.id} ${workload}: loss trajectory f(θ_0…θ_K), max relative difference to native`, maxRel(losses, W[workload].loss), tol[workload],
        losses.length === W[workload].loss.length && (!float32 || sameSupport(out.support, W[workload].thetaFinal)));
    } else if (workload === 'mc') {
      check(`${c.id} mc: 10,000 ratios, max relative difference to native`, maxRel(out, W.mc.ratios), tol.mc, out.length === W.mc.ratios.length);
    } else if (workload === 'sweep') {
      const ref = W.sweep.points;
      const losses = float32 ? ref.map((p) => out.find((q) => q.s === p.s).trainLoss) : out;
      check(`${c.id} sweep: train loss of every s, max relative difference to native`, maxRel(losses, ref.map((p) => p.trainLoss)), tol.sweep);
    }
  }
}

// The extra native contestants: the Eigen IHT's loss trajectory against
// sparse-iht's (another summation order: rounding only), and the native-arch
// build's exported trajectory against the portable one (FMA and wider
// vectors: not bit-identical, by design; the figure says how far apart).
for (const workload of computeWorkloads.filter(hasExtras)) {
  const eigen = outputs[`native-eigen:${workload}`];
  if (eigen) {
    check(`native-eigen ${workload}: loss trajectory f(θ_0…θ_K), max relative difference to sparse-iht native`,
      maxRel(eigen, W[workload].loss), 1e-9, eigen.length === W[workload].loss.length);
  }
}
if (computeWorkloads.some(hasExtras)) {
  const archDir = rel('build/bench/data-native-arch');
  mkdirSync(archDir, { recursive: true });
  execFileSync(nativeArchBench, ['export', archDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (const workload of computeWorkloads.filter(hasExtras)) {
    const b = readFileSync(path.join(archDir, `${workload}_loss.f64`));
    const losses = Array.from(new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
    check(`native-arch ${workload}: loss trajectory f(θ_0…θ_K), max relative difference to the portable build (not bit-identical by design)`,
      maxRel(losses, W[workload].loss), 1e-6, losses.length === W[workload].loss.length);
  }
}

// The path and sweep-certified: WebAssembly against the native run of the
// same round; the path also has its CV and baselines to agree on.
for (const workload of ['sweep-certified', 'path-iris'].filter((w) => workloads.includes(w))) {
  const ref = outputs[`native:${workload}`];
  const cv = ref.cvMeanLoss != null;
  for (const id of ['node-sparse-iht', 'browser-sparse-iht']) {
    const out = outputs[`${id}:${workload}`];
    const same = JSON.stringify(out.s) === JSON.stringify(ref.s) && out.trainLoss.length === ref.trainLoss.length &&
      (!cv || (out.chosenS === ref.chosenS && out.minS === ref.minS && out.baselines && ref.baselines));
    check(`${id} ${workload}: train loss of every grid point (${ref.s.length}), max relative difference to native; same grid` +
      (cv ? ', chosenS and minS' : ''), maxRel(out.trainLoss, ref.trainLoss), 1e-9, same);
    if (cv) {
      check(`${id} ${workload}: mean validation loss of every grid point (5-fold CV), max relative difference to native`,
        maxRel(out.cvMeanLoss, ref.cvMeanLoss), 1e-9, out.cvMeanLoss.length === ref.cvMeanLoss.length);
    }
  }
}

// ---- figures --------------------------------------------------------------------
const units = W && {
  iris: { per: W.iris.iterations, unit: 'it/s', flops: W.iris.flopsPerIteration },
  mlp: { per: W.mlp.iterations, unit: 'it/s', flops: W.mlp.flopsPerIteration },
  mc: { per: W.mc.pairs, unit: 'pairs/s', flops: W.mc.flopsPerPair },
  sweep: { per: 1, unit: 'sweeps/s', flops: null },
};
const figures = {};
for (const workload of computeWorkloads) {
  const u = units[workload];
  const byId = {};
  for (const c of contestants) {
    const ms = median(results[workload][c.id]);
    const rate = (u.per / ms) * 1000;
    byId[c.id] = { msPerRun: ms, rate, gflops: u.flops ? (rate * u.flops) / 1e9 : null, rounds: results[workload][c.id] };
  }
  const ratio = (a, b) => median(results[workload][b].map((tb, i) => tb / results[workload][a][i]));
  // Per round: how many times faster sparse-iht is than the peer, and the
  // native time over the WebAssembly time (the fraction of native speed).
  const env = (e) => ({
    vsTfjsCpu: ratio(`${e}-sparse-iht`, `${e}-tfjs-cpu`),
    vsTfjsWasm: ratio(`${e}-sparse-iht`, `${e}-tfjs-wasm`),
    vsBestTfjs: median(results[workload][`${e}-sparse-iht`].map((t, i) =>
      Math.min(results[workload][`${e}-tfjs-cpu`][i], results[workload][`${e}-tfjs-wasm`][i]) / t)),
    wasmOfNative: ratio(`${e}-sparse-iht`, 'native'),
  });
  figures[workload] = { unit: u.unit, perRun: u.per, flops: u.flops, byId, node: env('node'), browser: env('browser') };
  if (hasExtras(workload)) {
    for (const x of extraContestants) {
      const ms = median(results[workload][x.id]);
      const rate = (u.per / ms) * 1000;
      byId[x.id] = { msPerRun: ms, rate, gflops: u.flops ? (rate * u.flops) / 1e9 : null, rounds: results[workload][x.id] };
    }
    figures[workload].nativeVsEigen = ratio('native', 'native-eigen');
    figures[workload].nativeArchOverNative = ratio('native-arch', 'native');
  }
}
// The path: seconds per path (median over rounds), and the WebAssembly time
// over the native time of the same round (median over rounds).
const pathGoals = {
  'path-iris': { env: 'browser-sparse-iht', seconds: 2 }, 'path-digits': { env: 'native', seconds: 60 },
  'sweep-certified': { env: 'native', seconds: 0.03 },
};
const pathFigures = {};
for (const workload of pathWorkloads) {
  const res = results[workload];
  const byId = Object.fromEntries(Object.entries(res).map(([id, ms]) => [id, { secondsPerPath: median(ms) / 1000, rounds: ms.map((x) => x / 1000) }]));
  const overNative = (id) => (res[id] ? median(res[id].map((t, i) => t / res.native[i])) : null);
  const ref = outputs[`native:${workload}`];
  const goal = pathGoals[workload];
  pathFigures[workload] = {
    byId, nodeOverNative: overNative('node-sparse-iht'),
    cpuSecondsPerPath: Object.fromEntries(Object.entries(pathCpu[workload] ?? {}).map(([id, ms]) => [id, median(ms) / 1000])),
    nodeOverNativeCpu: pathCpu[workload]?.['node-sparse-iht']
      ? median(pathCpu[workload]['node-sparse-iht'].map((t, i) => t / pathCpu[workload].native[i])) : null, browserOverNative: overNative('browser-sparse-iht'),
    gridPoints: ref.s.length, chosenS: ref.chosenS ?? null, minS: ref.minS ?? null, iters: ref.iters ?? null, threads: ref.threads ?? 1, baselines: ref.baselines,
    goal: { ...goal, met: byId[goal.env].secondsPerPath < goal.seconds },
  };
}
loads.push({ at: 'end', loadavg: load() });

// Issue #18's figures, each against its goal (null where the workload did not run).
const fig = (w, id, key = 'rate') => figures[w]?.byId[id]?.[key] ?? null;
const pathMs = (w, id) => (pathFigures[w]?.byId[id] ? pathFigures[w].byId[id].secondsPerPath * 1000 : null);
const summary = {
  irisNativeItPerS: fig('iris', 'native'),
  irisChromiumItPerS: fig('iris', 'browser-sparse-iht'),
  irisChromiumVsTfjsBest: figures.iris?.browser.vsBestTfjs ?? null,
  mlpNativeItPerS: fig('mlp', 'native'),
  mlpNativeVsEigenDense: figures.mlp?.nativeVsEigen ?? null,
  mlpNativeArchItPerS: fig('mlp', 'native-arch'),
  sweepNativeMs: pathMs('sweep-certified', 'native'),
  sweepChromiumMs: pathMs('sweep-certified', 'browser-sparse-iht'),
  pageBytesGzip: sizes?.sparseIht.total ?? null,
  firstCurveMs: pageLoad?.firstCurveMs ?? null,
};
const summaryGoals = {
  irisNativeItPerS: ['>=', 1.2e6], irisChromiumItPerS: ['>=', 0.8e6], irisChromiumVsTfjsBest: ['>=', 100],
  mlpNativeItPerS: ['>=', 9], mlpNativeVsEigenDense: ['>=', 1.5], mlpNativeArchItPerS: ['>=', 20],
  sweepNativeMs: ['<=', 30], sweepChromiumMs: ['<=', 60], pageBytesGzip: ['<=', 100e3], firstCurveMs: null,
};
const goals = Object.fromEntries(Object.entries(summaryGoals).map(([k, g]) => [k, g && {
  op: g[0], value: g[1], met: summary[k] === null ? null : g[0] === '>=' ? summary[k] >= g[1] : summary[k] <= g[1],
}]));

const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? os.cpus()[0]?.model;
const machine = {
  cpu, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}`,
  node: process.version, chromium: browserVersion, tfjs: tf?.version.tfjs ?? null,
  nodeTfjsWasmFlags: tf ? { simd: tf.env().getFlags().WASM_HAS_SIMD_SUPPORT, threads: tf.env().getFlags().WASM_HAS_MULTITHREAD_SUPPORT } : null,
  pageTfjsWasmFlags: pageTfInfo ? { simd: pageTfInfo.flags.WASM_HAS_SIMD_SUPPORT, threads: pageTfInfo.flags.WASM_HAS_MULTITHREAD_SUPPORT } : null,
  emscripten: `Emscripten ${(execFileSync('emcc', ['--version']).toString().match(/\d+\.\d+\.\d+/) ?? ['?'])[0]}`,
  gcc: execFileSync('g++', ['--version']).toString().split('\n')[0],
};
const elapsed = (performance.now() - t0Total) / 1000;
const report = {
  date: startedAt.toISOString(), command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`, elapsedSeconds: elapsed,
  machine, loads, workloads: Object.fromEntries(workloads.map((w) => [w, roundsOf(w)])), summary, goals, sizes, checks, figures, pathFigures, pageLoad,
  pageDigits,
  inputs: W && {
    iris: { sizes: W.iris.sizes, n: W.iris.n, samples: W.iris.samples, s: W.iris.s, step: W.iris.step, iterations: W.iris.iterations },
    mlp: { sizes: W.mlp.sizes, n: W.mlp.n, samples: W.mlp.samples, s: W.mlp.s, step: W.mlp.step, iterations: W.mlp.iterations, classCounts: W.mlp.classCounts },
    mc: { s: W.mc.s, pairs: W.mc.pairs, seed: W.mc.seed, max: W.mc.max },
    sweep: { n: W.sweep.n, trainings: W.sweep.trainings, totalIterations: W.sweep.totalIterations, pairsPerS: W.sweep.pairsPerS },
  },
};
mkdirSync(rel('bench/results'), { recursive: true });
writeFileSync(rel('bench/results/latest.json'), `${JSON.stringify(report, null, 1)}\n`);
const markdown = (await import('./lib/report.mjs')).toMarkdown(report);
writeFileSync(rel('bench/results/latest.md'), markdown);
console.log(`\n${markdown}`);

await context.close();
server.close();
for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
const failed = checks.filter((c) => !c.ok);
if (failed.length) {
  console.error(`correctness checks failed:\n${failed.map((c) => `  ${c.name}: ${c.value} > ${c.limit}`).join('\n')}`);
  process.exit(1);
}
log(`done: bench/results/latest.json, bench/results/latest.md (${elapsed.toFixed(0)} s)`);
