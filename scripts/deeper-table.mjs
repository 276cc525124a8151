// Prints the figures of the README's "Beyond the paper: deeper networks": the
// built-in digits with their default network, 64 → 32 → 10 tanh (n = 2,410),
// from `build/native/iht … --json`.
//
//   node scripts/deeper-table.mjs            the default run (s = 241) against the dense
//                                            network, under the certified step (the default)
//                                            and the paper's Monte Carlo step: 4 trainings,
//                                            about 15 s
//   node scripts/deeper-table.mjs --seeds 5  also seeds 1 … 5 under the certified step (10 more)
//   node scripts/deeper-table.mjs --path     also the sparsity path with 5-fold cross-validation
//                                            on a coarse grid (9 values of s, 1000 iterations per
//                                            training): about 6 minutes of CPU, 11 here under load
//
// Extra iht options after `--` go to every command (e.g. -- --iters 2000).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash >= 0 ? argv.slice(0, dash) : argv;
const extra = dash >= 0 ? argv.slice(dash + 1) : [];
const seeds = own.includes('--seeds') ? Number(own[own.indexOf('--seeds') + 1]) : 0;
const withPath = own.includes('--path');
// The path's grid: small s densely, then roughly doubling to n (n is added).
export const PATH_GRID = '25,50,100,150,241,400,800,1600';

function iht(args) {
  return JSON.parse(execFileSync(join(root, 'build/native/iht'), [...args, '--data', 'digits', '--json', ...extra],
    { encoding: 'utf8', maxBuffer: 1 << 30 }));
}

const pct = (x) => (x === null ? '–' : `${(100 * x).toFixed(2)} %`);
const num = (x, digits = 4) => (x === null ? '–' : x.toFixed(digits));
const yes = (b) => (b ? 'yes' : 'no');

console.log('`iht train --data digits --json` (64 → 32 → 10 tanh, n = 2,410; seed 1, 1000 iterations)');
console.log();
console.log('| step | s | train loss | test loss | train acc | test acc | step γ | certified | HT-stable | ‖∇_S f‖∞ |');
console.log('|---|---:|---:|---:|---:|---:|---:|:---:|:---:|---:|');
for (const step of ['auto', 'estimate']) {
  for (const s of [null, 2410]) {
    const r = iht(['train', '--step', step, ...(s === null ? [] : ['--s', String(s)])]);
    const label = step === 'auto' ? `certified (${r.stepRule})` : "the paper's (estimate)";
    console.log(`| ${label} | ${s === null ? `${r.s} (default)` : `${r.s} (dense)`} | ${num(r.trainLoss)} | ${num(r.testLoss)} | ` +
      `${pct(r.trainAccuracy)} | ${pct(r.testAccuracy)} | ${num(r.stepSize, 3)} | ${yes(r.stepCertified)} | ` +
      `${yes(r.htStable.stable)} | ${r.htStable.supportGradInf.toExponential(1)} |`);
  }
}

if (seeds > 0) {
  console.log();
  console.log(`Seeds 1 … ${seeds}, certified step: test accuracy (s = 241 | dense)`);
  console.log();
  console.log('| seed | s = 241 | dense | dense − sparse |');
  console.log('|---:|---:|---:|---:|');
  for (let seed = 1; seed <= seeds; ++seed) {
    const sparse = iht(['train', '--seed', String(seed)]);
    const dense = iht(['train', '--seed', String(seed), '--s', '2410']);
    console.log(`| ${seed} | ${pct(sparse.testAccuracy)} | ${pct(dense.testAccuracy)} | ` +
      `${(100 * (dense.testAccuracy - sparse.testAccuracy)).toFixed(2)} points |`);
  }
}

if (withPath) {
  const r = iht(['sweep', '--cv', '5', '--s-grid', PATH_GRID]);
  console.log();
  console.log(`\`iht sweep --data digits --cv 5 --s-grid ${PATH_GRID} --json\` (${r.points.length} values of s, certified step)`);
  console.log();
  console.log('| s | start | train loss | test acc | cold start: train loss | cold start: test acc | magnitude: test acc | L1: test acc | CV val loss ± SE |');
  console.log('|---:|:---:|---:|---:|---:|---:|---:|---:|---:|');
  r.points.forEach((p, i) => {
    const b = p.baselines;
    console.log(`| ${p.s} | ${p.start} | ${num(p.trainLoss)} | ${pct(p.testAccuracy)} | ${num(p.cold.trainLoss)} | ` +
      `${pct(p.cold.testAccuracy)} | ${b ? pct(b.magnitude.testAccuracy) : '–'} | ${b ? pct(b.l1.testAccuracy) : '–'} | ` +
      `${num(r.cv.meanLoss[i], 3)} ± ${num(r.cv.stdErrLoss[i], 3)} |`);
  });
  const at = (s) => r.points.find((p) => p.s === s);
  const chosen = at(r.cv.chosenS);
  console.log();
  console.log(`CV: lowest mean validation loss at s = ${r.cv.minS}; the 1-SE rule chooses s = ${r.cv.chosenS}; ` +
    `EBIC s = ${r.cv.criterion.chosenS}. At s = ${r.cv.chosenS}: test accuracy ${pct(chosen.testAccuracy)} ` +
    `(the path's point), ${pct(chosen.cold.testAccuracy)} (its cold start); dense: ${pct(r.dense.testAccuracy)} ` +
    `(the path's end), ${pct(at(r.dense.n).cold.testAccuracy)} (cold).`);
}
