// The sparsity path through the package: stopping from onProgress, the
// cross-validation result's shape, the command line's progress bar, and the
// --exact certificate against an enumeration written here independently.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { load } from '../../dist/index.node.mjs';
import { requireBuilt, runNative, runNpmCli } from './helpers.mjs';

requireBuilt();

let iht;
before(async () => { iht = await load(); });

describe('sweep: progress and stopping', () => {
  test('onProgress counts trainings and L1 runs; returning false stops with complete: false', () => {
    const options = { iters: 20, step: 0.5, sGrid: [2, 5, 9] };
    const calls = [];
    const full = iht.sweep(options, (done, total) => { calls.push([done, total]); });
    assert.equal(full.complete, true);
    // 4 grid points (n = 15 added): 4 cold starts, 3 down and 3 up, then 2 baselines each,
    // and the L1 baseline's proximal-gradient runs: its λ path of 40, then 10 bisections a point.
    const total = 4 + 3 + 3 + 8 + 40 + 4 * 10;
    assert.deepEqual(calls, Array.from({ length: total }, (_, i) => [i + 1, total]));
    const stopped = iht.sweep(options, (done) => done < 3);
    assert.equal(stopped.complete, false);
    assert.deepEqual(stopped.points.map((p) => p.s), [2, 5, 15], 'the cold starts done so far');
    assert.ok(stopped.points.every((p) => p.start === 'cold' && p.baselines === null));
  });
});

describe('sweep: threads', () => {
  test('natively, --threads gives the same JSON, byte for byte, with 1, 3 or one per core', () => {
    const args = ['sweep', '--cv', '3', '--s-grid', '2,5,9', '--iters', '60', '--json'];
    const one = runNative(args);
    assert.equal(one.status, 0, one.stderr);
    for (const threads of ['3', '0']) {
      const many = runNative([...args, '--threads', threads]);
      assert.equal(many.status, 0, many.stderr);
      assert.equal(many.stdout, one.stdout, `--threads ${threads}`);
    }
    const bad = runNative(['sweep', '--threads', '-1']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--threads: expected an integer from 0 to 1024 \(0 = one per core\), got '-1'/);
  });

  test('the WebAssembly build takes 0 and 1 and refuses more, naming the option, in JS and in npx sparse-iht', () => {
    const options = { cv: 2, sGrid: [2], iters: 10, baselines: false };
    const one = iht.sweep(options);
    assert.deepEqual(iht.sweep({ ...options, threads: 0 }).cv, one.cv);
    assert.throws(() => iht.sweep({ ...options, threads: 2 }), (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.option, 'threads');
      assert.equal(e.message, 'threads (--threads): is 2, but this build runs on one thread (WebAssembly has no threads here): use 1 or 0');
      return true;
    });
    const cli = runNpmCli(['sweep', '--threads', '2']);
    assert.equal(cli.status, 2);
    assert.match(cli.stderr, /--threads: is 2, but this build runs on one thread/);
  });
});

describe('sweep: cross-validation', () => {
  test('the cv object is complete and chosenS is on the grid', () => {
    const r = iht.sweep({ iters: 100, cv: 3, sGrid: [1, 3, 5], baselines: false });
    assert.deepEqual(r.grid, [1, 3, 5, 15]);
    assert.equal(r.cv.folds, 3);
    assert.deepEqual(r.cv.s, r.grid);
    for (const key of ['meanLoss', 'stdErrLoss', 'meanAccuracy', 'stdErrAccuracy']) {
      assert.ok(r.cv[key] instanceof Float64Array, key);
      assert.equal(r.cv[key].length, r.grid.length, key);
      assert.ok(r.cv[key].every(Number.isFinite), key);
    }
    assert.equal(r.cv.foldLoss.length, r.grid.length);
    assert.ok(r.cv.foldLoss.every((row) => row instanceof Float64Array && row.length === 3));
    assert.ok(r.grid.includes(r.cv.chosenS));
    assert.ok(r.grid.includes(r.cv.minS));
    assert.ok(r.cv.chosenS <= r.cv.minS);
    assert.equal(r.cv.criterion.name, 'EBIC');
    assert.ok(r.grid.includes(r.cv.criterion.chosenS));
    assert.equal(r.supportFrequency.length, r.grid.length);
    assert.ok(r.supportFrequency.every((row) => row instanceof Float64Array && row.length === 15));
    // No cv: null, and no frequencies.
    const plain = iht.sweep({ iters: 20, sGrid: [2], baselines: false });
    assert.equal(plain.cv, null);
    assert.deepEqual(plain.supportFrequency, []);
  });
});

describe('command line: the progress bar', () => {
  test('runCli passes the bar to onProgress, ending with a newline; without it stderr stays empty', async () => {
    const { createRequire } = await import('node:module');
    const cjs = await createRequire(import.meta.url)('../../dist/index.cjs').load();
    const bars = [];
    const args = ['sweep', '--iters', '5', '--step', '0.5', '--s-grid', '3', '--warm', 'off', '--baselines', 'off'];
    const out = cjs.runCli(args, {}, (bar) => bars.push(bar));
    assert.equal(out.status, 0);
    assert.equal(out.stderr, '');
    assert.deepEqual(bars, [
      '\r[###############---------------] 1/2 trainings',
      '\r[##############################] 2/2 trainings\n',
    ]);
    assert.equal(cjs.runCli(args, {}).stderr, '');
    assert.throws(() => cjs.runCli(args, {}, 'x'), /onProgress must be a function/);
  });
});

// ---- An independent enumeration ---------------------------------------------
// The softmax layer's ridge objective on one support, minimised by Newton's
// method with a backtracking line search, in plain JavaScript: nothing shared
// with the core but the data.

function standardised(data) {
  const m = data.numSamples;
  const d = data.numFeatures;
  const x = Array.from({ length: m }, (_, i) => Array.from(data.x.subarray(i * d, (i + 1) * d)));
  for (let f = 0; f < d; f++) {
    let mean = 0;
    for (const row of x) mean += row[f];
    mean /= m;
    let variance = 0;
    for (const row of x) variance += (row[f] - mean) ** 2;
    const sd = Math.sqrt(variance / m);
    for (const row of x) row[f] = (row[f] - mean) / sd;
  }
  return { x, y: Array.from(data.y), m, d, k: data.classes.length };
}

function objective(problem, ridge, support, w, wantDerivatives) {
  const { x, y, m, d, k } = problem;
  const s = support.length;
  const parts = support.map((j) => (j < k * d ? { c: Math.floor(j / d), f: j % d } : { c: j - k * d, f: -1 }));
  let value = 0;
  const g = new Array(s).fill(0);
  const h = Array.from({ length: s }, () => new Array(s).fill(0));
  for (let i = 0; i < m; i++) {
    const z = new Array(k).fill(0);
    const input = parts.map((p) => (p.f < 0 ? 1 : x[i][p.f]));
    parts.forEach((p, a) => { z[p.c] += w[a] * input[a]; });
    const top = Math.max(...z);
    const e = z.map((v) => Math.exp(v - top));
    const sum = e.reduce((a, b) => a + b, 0);
    value += Math.log(sum) + top - z[y[i]];
    if (!wantDerivatives) continue;
    const p = e.map((v) => v / sum);
    for (let a = 0; a < s; a++) {
      g[a] += (p[parts[a].c] - (parts[a].c === y[i] ? 1 : 0)) * input[a];
      for (let b = 0; b < s; b++) {
        const same = parts[a].c === parts[b].c ? p[parts[a].c] : 0;
        h[a][b] += (same - p[parts[a].c] * p[parts[b].c]) * input[a] * input[b];
      }
    }
  }
  value = value / m + (ridge / 2) * w.reduce((a, v) => a + v * v, 0);
  for (let a = 0; a < s; a++) {
    g[a] = g[a] / m + ridge * w[a];
    for (let b = 0; b < s; b++) h[a][b] = h[a][b] / m + (a === b ? ridge : 0);
  }
  return { value, g, h };
}

function solve(h, g) {
  // Gaussian elimination with partial pivoting: p = −H⁻¹ g.
  const n = g.length;
  const a = h.map((row, i) => [...row, -g[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let r = c + 1; r < n; r++) {
      const factor = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= factor * a[c][k];
    }
  }
  const p = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let v = a[r][n];
    for (let k = r + 1; k < n; k++) v -= a[r][k] * p[k];
    p[r] = v / a[r][r];
  }
  return p;
}

function supportMinimum(problem, ridge, support) {
  let w = new Array(support.length).fill(0);
  let { value, g, h } = objective(problem, ridge, support, w, true);
  for (let step = 0; step < 100 && Math.max(...g.map(Math.abs)) > 1e-11; step++) {
    const p = solve(h, g);
    const slope = p.reduce((a, v, i) => a + v * g[i], 0);
    let t = 1;
    let next = w;
    for (let halvings = 0; halvings < 50; halvings++, t /= 2) {
      next = w.map((v, i) => v + t * p[i]);
      if (objective(problem, ridge, support, next, false).value <= value + 1e-4 * t * slope) break;
    }
    w = next;
    ({ value, g, h } = objective(problem, ridge, support, w, true));
  }
  return value;
}

function* subsets(n, s, start = 0, prefix = []) {
  if (prefix.length === s) {
    yield prefix;
    return;
  }
  for (let j = start; j <= n - (s - prefix.length); j++) yield* subsets(n, s, j + 1, [...prefix, j]);
}

describe('sweep --exact against an independent enumeration', () => {
  test('IRIS, ridge 1e-2, every row: the best of all supports per s agrees to 1e-6', () => {
    const ridge = 1e-2;
    const grid = [1, 2, 3, 14];
    const r = iht.sweep({ ridge, testFraction: 0, exact: true, sGrid: grid, baselines: false, iters: 200 });
    assert.equal(r.exactNote, null);
    const problem = standardised(iht.iris());
    for (const point of r.points) {
      let best = Infinity;
      let bestSupport = null;
      for (const support of subsets(15, point.s)) {
        const v = supportMinimum(problem, ridge, support);
        if (v < best) {
          best = v;
          bestSupport = support;
        }
      }
      assert.ok(Math.abs(point.exact.objective - best) < 1e-6, `s = ${point.s}: ${point.exact.objective} vs ${best}`);
      assert.deepEqual(Array.from(point.exact.support), bestSupport, `s = ${point.s}`);
      assert.ok(point.exactGap > -1e-9, `s = ${point.s}: IHT cannot beat the enumeration`);
    }
  });
});
