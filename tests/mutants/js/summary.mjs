// Reads Stryker's JSON report (build/mutants/js/report.json) and prints the
// mutation score per file, then every mutant that survived or that no test
// reached. A survivor listed in equivalent.json (same file, same original
// code, same replacement) is shown with the reason it cannot be killed; any
// other is unexplained, and the exit status is 1 so that `npm run mutants`
// fails until a test kills it or equivalent.json explains it.
//
// Usage: node tests/mutants/js/summary.mjs [report.json]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const reportPath = process.argv[2] ?? join(here, '..', '..', '..', 'build', 'mutants', 'js', 'report.json');
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const equivalent = JSON.parse(readFileSync(join(here, 'equivalent.json'), 'utf8'));

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** The source text a mutant replaced (report locations are 1-based lines, 1-based columns). */
function originalText(source, { start, end }) {
  const lines = source.split('\n');
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  return [
    lines[start.line - 1].slice(start.column - 1),
    ...lines.slice(start.line, end.line - 1),
    lines[end.line - 1].slice(0, end.column - 1),
  ].join('\n');
}

const oneLine = (text) => text.replace(/\s*\n\s*/g, ' ');
// An entry names the mutant by its file, its mutator, the code it replaced,
// the replacement, and the source line it starts on (trimmed), so that it
// survives lines moving but not the line itself changing.
const explain = (file, lineText, original, replacement, mutator) =>
  equivalent.find((e) => e.file === file && e.line === lineText && e.mutator === mutator &&
    oneLine(e.original) === oneLine(original) && oneLine(e.replacement) === oneLine(replacement));

const rows = [];
const undetected = [];
const totals = { detected: 0, undetected: 0, invalid: 0, explained: 0, survived: 0, noCoverage: 0, timeout: 0 };
for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const count = { detected: 0, undetected: 0, invalid: 0, explained: 0, survived: 0, noCoverage: 0, timeout: 0 };
  for (const m of mutants) {
    if (DETECTED.has(m.status)) {
      count.detected += 1;
      if (m.status === 'Timeout') count.timeout += 1;
    } else if (UNDETECTED.has(m.status)) {
      count.undetected += 1;
      if (m.status === 'Survived') count.survived += 1;
      else count.noCoverage += 1;
      const original = originalText(source, m.location);
      const lineText = source.split('\n')[m.location.start.line - 1].trim();
      const known = explain(file, lineText, original, m.replacement ?? '', m.mutatorName);
      if (known) count.explained += 1;
      undetected.push({ file, line: m.location.start.line, m, original, reason: known?.reason });
    } else if (m.status !== 'Ignored') {
      count.invalid += 1;
    }
  }
  for (const key of Object.keys(totals)) totals[key] += count[key];
  rows.push([file, count]);
}

const score = ({ detected, undetected: missed }) =>
  detected + missed === 0 ? 'n/a' : `${((100 * detected) / (detected + missed)).toFixed(2)} %`;
const scoreExplained = ({ detected, undetected: missed, explained }) =>
  detected + missed - explained === 0 ? 'n/a' : `${((100 * detected) / (detected + missed - explained)).toFixed(2)} %`;

const header = ['file', 'score', 'without equivalent', 'killed', 'timeout', 'survived', 'no coverage', 'equivalent',
  'errors'];
const table = rows.map(([file, c]) => [file, score(c), scoreExplained(c), c.detected - c.timeout, c.timeout,
  c.survived, c.noCoverage, c.explained, c.invalid]);
table.push(['all', score(totals), scoreExplained(totals), totals.detected - totals.timeout, totals.timeout,
  totals.survived, totals.noCoverage, totals.explained, totals.invalid]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => String(r[i]).length)));
const format = (r) => r.map((v, i) => (i === 0 ? String(v).padEnd(widths[i]) : String(v).padStart(widths[i])))
  .join('  ');

console.log('\nmutation score per file (killed or timed out / killed, timed out, survived or not covered)');
console.log(format(header));
for (const r of table) console.log(format(r));

const unexplained = undetected.filter((u) => !u.reason);
if (undetected.length) {
  console.log('\nmutants no test detected:');
  for (const { file, line, m, original, reason } of undetected) {
    const change = `${oneLine(original)} → ${oneLine(m.replacement ?? '')}`;
    console.log(`  ${file}:${line} ${m.mutatorName} (${m.status}): ${change}`);
    console.log(reason ? `    equivalent: ${reason}`
      : '    UNEXPLAINED: kill it with a test, or explain it in tests/mutants/js/equivalent.json');
  }
}
console.log(`\njs mutants: ${unexplained.length} unexplained survivors, ${totals.explained} explained as equivalent, ` +
  `${totals.detected} detected, ${totals.invalid} errors`);
process.exit(unexplained.length ? 1 : 0);
