// Prints the README's reproduction table: `iht sweep --json` on IRIS with the
// default protocol (extra arguments are passed on, e.g. --iters 20000).
// Usage: node scripts/paper-table.mjs [iht options…]
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = ['sweep', '--json', ...process.argv.slice(2)];
const result = JSON.parse(execFileSync(join(root, 'build/native/iht'), args, { encoding: 'utf8' }));

const pct = (x) => (x === null ? '–' : `${(100 * x).toFixed(2)} %`);
const num = (x, digits = 4) => (x === null ? '–' : x.toFixed(digits));
const row = (label, p, gap) => {
  const h = p.htStable;
  return `| ${label} | ${num(p.trainLoss)} | ${num(p.testLoss)} | ${pct(p.trainAccuracy)} | ` +
    `${pct(p.testAccuracy)} | ${gap} | ${num(p.l2s, 3)} | ${num(p.stepSize, 3)} | ` +
    `${h.stable ? 'yes' : 'no'} | ${num(h.margin, 3)} | ${h.supportGradInf.toExponential(1)} |`;
};

console.log(`\`iht ${args.join(' ')}\``);
console.log();
console.log('| s | train loss | test loss | train acc | test acc | gap to dense | L̂_2s | step γ | HT-stable | margin | ‖∇_S f‖∞ |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---:|');
for (const p of result.points) console.log(row(String(p.s), p, p.gapToDense.toFixed(4)));
console.log(row(`dense (n = ${result.dense.n})`, result.dense, '0'));
