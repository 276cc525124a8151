// Markdown tables of a bench report (bench/results/latest.json).

const fmt = (x, digits = 3) => {
  if (x == null || !Number.isFinite(x)) return '–';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(digits)).toString();
};
const times = (x) => (x == null ? '–' : `${fmt(x)}×`);
const percent = (x) => (x == null ? '–' : `${Math.round(100 * x)} %`);
const kb = (b) => `${(b / 1024).toFixed(0)} KB`;

const titles = {
  iris: '(a) IRIS 4 → 3, 120 samples, s = 5: IHT iterations',
  mlp: '(b) MLP 64 → 256 → 256 → 10, 10,000 samples, s = 8,500: IHT iterations',
  mc: '(c) Monte Carlo L̂_2s on IRIS, s = 5: pairs',
  sweep: '(d) sparsity sweep on IRIS, s = 1 … 15',
};
const ids = ['native', 'node-sparse-iht', 'node-tfjs-cpu', 'node-tfjs-wasm', 'browser-sparse-iht', 'browser-tfjs-cpu', 'browser-tfjs-wasm'];

export function toMarkdown(r) {
  const m = r.machine;
  const rounds = Object.entries(r.workloads).map(([w, n]) => (w === 'page' || w === 'page-digits' ? `${w} ${n} cold loads${w === 'page-digits' ? ' per speed' : ''}` : `${w} ${n}`)).join(', ');
  const tfjs = m.tfjs
    ? `TensorFlow.js ${m.tfjs} (WebAssembly backend: SIMD ${m.pageTfjsWasmFlags.simd ? 'on' : 'off'}, ` +
      `threads ${m.pageTfjsWasmFlags.threads ? 'on' : 'off'}), `
    : '';
  const lines = [];
  lines.push(`Measured ${r.date.slice(0, 10)} with \`${r.command}\` (${Math.round(r.elapsedSeconds)} s) on ${m.cpu}, ` +
    `${m.cores} cores, ${m.memoryGiB} GiB; ${m.node}, Chromium ${m.chromium}, ${tfjs}` +
    `${m.gcc.replace(/^g\+\+ /, 'g++ ')}, ${m.emscripten.replace(/^emcc /, '')}. Load average (1, 5, 15 min): ` +
    `${r.loads.map((l) => `${l.at} ${l.loadavg.join('/')}`).join('; ')}. Rounds: ${rounds}.`);
  lines.push('');
  if (r.summary) summaryTable(r, lines);
  if (Object.keys(r.figures).length) computeTables(r, lines);
  if (r.pathFigures && Object.keys(r.pathFigures).length) pathTable(r.pathFigures, lines);
  if (r.checks.length) {
    lines.push('Correctness, checked in the same run (sparse-iht WebAssembly against native to 1e-9; TF.js float32 against native double):');
    lines.push('');
    for (const c of r.checks) lines.push(`- ${c.ok ? 'ok' : 'FAILED'}: ${c.name}: ${c.value.toExponential(1)} (limit ${c.limit})`);
    lines.push('');
  }
  if (r.pageLoad) pageLoadTable(r.pageLoad, lines);
  if (r.pageDigits) pageDigitsTable(r.pageDigits, lines);
  return lines.join('\n');
}

// The sparsity path (issue #13): seconds per whole path, sparse-iht alone.
const pathTitles = {
  'path-iris': 'path-iris: IRIS 4 → 3, every s = 1 … 15, warm starts, 5-fold CV, magnitude and L1 baselines',
  'path-digits': 'path-digits: digits 1,797 × 64, 64 → 32 → 10, the default grid, warm starts, 5-fold CV',
  'sweep-certified': 'sweep-certified: IRIS 4 → 3, s = 1 … 15, the certified default step (bound), cold starts, no baselines',
};

// Issue #18's summary: each figure against its goal.
const summaryRows = {
  irisNativeItPerS: ['IRIS 4 → 3, s = 5: IHT iterations per second, native', (x) => fmt(x)],
  irisChromiumItPerS: ['IRIS: IHT iterations per second, Chromium (sparse-iht WebAssembly)', (x) => fmt(x)],
  irisChromiumVsTfjsBest: ['IRIS, Chromium: sparse-iht against the faster TF.js backend', times],
  mlpNativeItPerS: ['MLP 64 → 256 → 256 → 10, s = 8,500: IHT iterations per second, native (portable flags)', (x) => fmt(x)],
  mlpNativeVsEigenDense: ['MLP: sparse-iht against a plain dense Eigen IHT, same flags', times],
  mlpNativeArchItPerS: ['MLP: IHT iterations per second, -DSPARSE_IHT_NATIVE_ARCH=ON', (x) => fmt(x)],
  sweepNativeMs: ['IRIS sweep s = 1 … 15, certified step: ms, native', (x) => (x == null ? '–' : `${fmt(x)} ms`)],
  sweepChromiumMs: ['IRIS sweep, certified step: ms, Chromium', (x) => (x == null ? '–' : `${fmt(x)} ms`)],
  pageBytesGzip: ['bytes a page downloads for the package (gzipped)', (x) => (x == null ? '–' : `${fmt(x / 1000)} KB`)],
  firstCurveMs: ['demo page: first training curve after (cold load), ms', (x) => (x == null ? '–' : `${fmt(x)} ms`)],
};
function summaryTable(r, lines) {
  lines.push('Issue #18\'s figures (`summary` in latest.json), each against its goal:');
  lines.push('');
  lines.push(summaryMarkdown(r));
  lines.push('');
}

/** The summary's table alone: the README quotes it, and a test regenerates it from the committed run. */
export function summaryMarkdown(r) {
  const lines = [];
  lines.push('| figure | key | measured | goal | met |');
  lines.push('|---|---|--:|---|---|');
  for (const [key, [title, show]] of Object.entries(summaryRows)) {
    const g = r.goals?.[key];
    const met = !g ? '–' : g.met === null ? 'not run' : g.met ? 'yes' : '**no**';
    const goal = g ? `${g.op === '>=' ? '≥' : '≤'} ${show(g.value)}` : '–';
    lines.push(`| ${title} | \`${key}\` | ${show(r.summary[key])} | ${goal} | ${met} |`);
  }
  return lines.join('\n');
}
function pathTable(p, lines) {
  const sec = (x) => (x == null ? '–' : `${fmt(x)} s`);
  const over = (x) => (x == null ? '–' : `1 : ${fmt(x)}`);
  lines.push('The sparsity path (`sparse_iht::sweep`, issue #13): seconds per whole path (median over rounds; lower is better), ' +
    'and native : WebAssembly time (median of the per-round ratios, each round running both side by side).');
  lines.push('');
  lines.push('| workload | iterations per training | grid points | baselines | native threads | native C++ | Node: sparse-iht wasm | Chromium: sparse-iht wasm | native : wasm, Node | native : wasm, Chromium | goal |');
  lines.push('|---|--:|--:|---|--:|--:|--:|--:|--:|--:|---|');
  for (const [w, f] of Object.entries(p)) {
    const goal = `< ${f.goal.seconds} s ${f.goal.env === 'native' ? 'natively' : 'in Chromium'}: ${f.goal.met ? 'met' : 'not met'}`;
    lines.push(`| ${pathTitles[w]} | ${fmt(f.iters)} | ${f.gridPoints} | ${f.baselines ? 'on' : 'off'} | ${f.threads === 0 ? 'one per core' : f.threads ?? 1} | ${sec(f.byId.native?.secondsPerPath)} | ` +
      `${sec(f.byId['node-sparse-iht']?.secondsPerPath)} | ${sec(f.byId['browser-sparse-iht']?.secondsPerPath)} | ` +
      `${over(f.nodeOverNative)} | ${over(f.browserOverNative)} | ${goal} |`);
  }
  lines.push('');
  const cpu = (f) => Object.entries(f.cpuSecondsPerPath).map(([id, x]) => `${id === 'native' ? 'native' : 'Node wasm'} ${sec(x)}`).join(', ');
  const threaded = Object.values(p).some((f) => (f.threads ?? 1) !== 1);
  lines.push(`CPU time per path (the process's, median over rounds${threaded
    ? '; with more than one native thread the native CPU time adds up the threads\' and can exceed the wall time'
    : '; the computation is single-threaded, so wall time beyond it was spent waiting for a core'}): ` +
    `${Object.entries(p).map(([w, f]) => `${w}: ${cpu(f)}${f.nodeOverNativeCpu ? `, native : wasm 1 : ${fmt(f.nodeOverNativeCpu)}` : ''}`).join('; ')}. ` +
    (Object.values(p).some((f) => f.chosenS !== null)
      ? `Chosen s (one-standard-error rule; lowest mean validation loss): ${Object.entries(p).filter(([, f]) => f.chosenS !== null).map(([w, f]) => `${w} ${f.chosenS} (${f.minS})`).join(', ')}.`
      : ''));
  lines.push('');
}

// The demo page's cold loads (lib/page-load.mjs).
function pageLoadTable(p, lines) {
  const ms = (x) => `${Math.round(x).toLocaleString('en-US')} ms`;
  const each = (key) => p.loads.map((l) => Math.round(l[key]).toLocaleString('en-US')).join(', ');
  lines.push('The demo page (dist/web as `npm start` serves it) loaded by a Chromium with a fresh profile, nothing cached; ' +
    'time from the start of navigation, median over the loads (each load in ms in the last column):');
  lines.push('');
  lines.push('| moment | median | loads |');
  lines.push('|---|--:|---|');
  lines.push(`| first curve (the training curves show an iteration) | ${ms(p.firstCurveMs)} | ${each('firstCurveMs')} |`);
  lines.push(`| default run finished (1,000 iterations, spread over about a second at speed auto) | ${ms(p.finishedMs)} | ${each('finishedMs')} |`);
  lines.push('');
}

// The digits' default run in the page (workload page-digits, issue #17).
function pageDigitsTable(p, lines) {
  const ms = (x) => `${Math.round(x).toLocaleString('en-US')} ms`;
  const each = (q, key) => q.loads.map((l) => Math.round(l[key]).toLocaleString('en-US')).join(', ');
  lines.push('The digits in the demo page: `?data=digits`, its default run (64 → 32 → 10 tanh, s = 241 of n = 2,410, ' +
    'certified backtracking steps, 1,000 iterations, the stopping rule) in the page\'s worker, each load with a fresh ' +
    'profile. "training" is the time from the first curve to the end of the training, median over the loads (each load ' +
    'in the "trainings" column); "then L̂₂ₛ" the Monte Carlo estimate the page makes for view 5 afterwards; "longest ' +
    'main-thread task" the longest task (50 ms or more) on the page\'s thread during any training (0: none), which is ' +
    'what would make the page stop responding.');
  lines.push('');
  lines.push('| speed | first curve | training | then L̂₂ₛ | longest main-thread task | trainings (ms) | goal |');
  lines.push('|---|--:|--:|--:|--:|---|---|');
  for (const [name, q] of [['max (as fast as the worker goes)', p.max], ['auto (the default: curves live)', p.auto]]) {
    const goal = `≤ 10 s in Chromium: ${q.runMs <= 10_000 ? 'met' : 'not met'}`;
    lines.push(`| ${name} | ${ms(q.firstCurveMs)} | ${ms(q.runMs)} | ${ms(q.afterRunMs)} | ` +
      `${q.longestTaskMs ? ms(q.longestTaskMs) : '0 (none)'} | ${each(q, 'runMs')} | ${goal} |`);
  }
  lines.push('');
}

function computeTables(r, lines) {
  lines.push('Throughput (median over rounds; higher is better). sparse-iht computes in double precision, TF.js in float32.');
  lines.push('');
  lines.push('| workload | unit | native C++ | Node: sparse-iht wasm | Node: TF.js cpu | Node: TF.js wasm | Chromium: sparse-iht wasm | Chromium: TF.js cpu | Chromium: TF.js wasm |');
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|');
  for (const [w, f] of Object.entries(r.figures)) {
    lines.push(`| ${titles[w]} | ${f.unit} | ${ids.map((id) => fmt(f.byId[id].rate)).join(' | ')} |`);
  }
  lines.push('');
  lines.push('sparse-iht side by side with each peer in the same environment (median of the per-round ratios of run times), and WebAssembly speed as a fraction of native:');
  lines.push('');
  lines.push('| workload | Node: vs TF.js cpu | Node: vs TF.js wasm | Chromium: vs TF.js cpu | Chromium: vs TF.js wasm | Chromium: vs best TF.js | wasm / native, Node | wasm / native, Chromium |');
  lines.push('|---|--:|--:|--:|--:|--:|--:|--:|');
  for (const [w, f] of Object.entries(r.figures)) {
    lines.push(`| ${w} | ${times(f.node.vsTfjsCpu)} | ${times(f.node.vsTfjsWasm)} | ${times(f.browser.vsTfjsCpu)} | ` +
      `${times(f.browser.vsTfjsWasm)} | ${times(f.browser.vsBestTfjs)} | ${percent(f.node.wasmOfNative)} | ${percent(f.browser.wasmOfNative)} |`);
  }
  lines.push('');
  lines.push('Arithmetic: FLOPs from the shapes (2 per multiply-add: forward W·A, backward δ·Aᵀ and Wᵀ·δ, plus bias, activation-derivative and update terms; a Monte Carlo pair is two gradients). ' +
    'GFLOP/s = FLOPs × rate. sparse-iht skips the products with zero weights (θ is s-sparse), so its figure is dense-equivalent.');
  lines.push('');
  lines.push('| workload | FLOPs per iteration / pair | native | Node: sparse-iht | Node: TF.js cpu | Node: TF.js wasm | Chromium: sparse-iht | Chromium: TF.js cpu | Chromium: TF.js wasm |');
  lines.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const [w, f] of Object.entries(r.figures)) {
    if (!f.flops) continue;
    lines.push(`| ${w} | ${fmt(f.flops)} | ${ids.map((id) => fmt(f.byId[id].gflops)).join(' | ')} |`);
  }
  lines.push('');
  const native = Object.entries(r.figures).filter(([, f]) => f.byId['native-eigen']);
  if (native.length) {
    lines.push('Native contestants (issue #18), each round right after the others: sparse-iht with the portable flags, a plain dense ' +
      'Eigen IHT (`bench/eigen_dense.cpp`: GEMM forward and backward, `std::nth_element` for H_s) with the same flags, and ' +
      'sparse-iht built with `-DSPARSE_IHT_NATIVE_ARCH=ON` (`-march=native`; not bit-identical to WebAssembly).');
    lines.push('');
    lines.push('| workload | sparse-iht, portable | Eigen dense IHT | sparse-iht : Eigen | sparse-iht, native arch | native arch : portable |');
    lines.push('|---|--:|--:|--:|--:|--:|');
    for (const [w, f] of native) {
      lines.push(`| ${titles[w]} (${f.unit}) | ${fmt(f.byId.native.rate)} | ${fmt(f.byId['native-eigen'].rate)} | ${times(f.nativeVsEigen)} | ` +
        `${fmt(f.byId['native-arch'].rate)} | ${times(f.nativeArchOverNative)} |`);
    }
    lines.push('');
  }
  const files = (s) => s.files.map((f) => `${f.url.split('/').pop()} ${kb(f.bytes)}`).join(', ');
  lines.push('Bytes a fresh Chromium downloads for the page, gzip-compressed as served:');
  lines.push('');
  lines.push('| page | total | files |');
  lines.push('|---|--:|---|');
  lines.push(`| sparse-iht (the npm package's ESM entry, its glue and its .wasm) | ${kb(r.sizes.sparseIht.total)} | ${files(r.sizes.sparseIht)} |`);
  lines.push(`| TensorFlow.js (tf.min.js with its CPU backend, tfjs-backend-wasm and the .wasm it picks) | ${kb(r.sizes.tfjs.total)} | ${files(r.sizes.tfjs)} |`);
  lines.push('');
}
