// A/B comparison: "Pin as A" keeps a finished run; the runs after it are B.
// Run A's settings live in the URL with an `a.` prefix (a.s=5&a.step=estimate),
// beside B's plain keys, so a link reproduces the comparison: the page trains
// A from them, then B. A's settings are the run settings of state.js but the
// data set, which both runs share. View 8 compares settings, final figures,
// supports and, when both runs have a sweep, a few figures of their paths; the
// training curves (view 2) and the sparsity path (view 6) overlay A's.
import { fillTable } from './table.js';
import { formatNumber, formatPercent, formatStatus } from './format.js';
import { pathFigures } from './path-summary.js';

export const A_PREFIX = 'a.';

/** The settings a run A has: the run settings but the data set, in URL order. */
export function abKeys(pageState) {
  // A is a training run: the sweep's own options (cv, sGrid, exact) are not its settings.
  return pageState.KEYS.filter((key) => pageState.FIELDS[key].run && !pageState.FIELDS[key].sweepOnly && key !== 'data');
}

/**
 * Run A's settings from a URL query: null when the query has no a.* key;
 * else every A setting, an invalid or missing one at its default (an invalid
 * one with a notice).
 */
export function abFromQuery(search, pageState) {
  const keys = abKeys(pageState);
  const defaults = pageState.defaultState();
  const a = Object.fromEntries(keys.map((key) => [key, defaults[key]]));
  const notices = [];
  let any = false;
  for (const [name, text] of new URLSearchParams(search)) {
    if (!name.startsWith(A_PREFIX)) continue;
    any = true;
    const key = name.slice(A_PREFIX.length);
    if (!keys.includes(key)) {
      notices.push(`The link's setting '${name}' is unknown and was ignored.`);
      continue;
    }
    const parsed = pageState.parseField(key, text);
    if ('error' in parsed) {
      const fallback = pageState.serialiseField(key, defaults[key]) || '(empty)';
      notices.push(`The link's value ${name}=${text} is invalid (${parsed.error}); run A uses the default ${name}=${fallback}.`);
    } else a[key] = parsed.value;
  }
  return { a: any ? a : null, notices };
}

/** The a.* part of the URL for run A's settings ('' for none). */
export function abToQuery(a, pageState) {
  if (!a) return '';
  const params = new URLSearchParams();
  for (const key of abKeys(pageState)) params.set(`${A_PREFIX}${key}`, pageState.serialiseField(key, a[key]));
  return params.toString().replaceAll('%2C', ',');
}

/** The settings of a state that run A keeps. */
export function abSettingsOf(state, pageState) {
  return Object.fromEntries(abKeys(pageState).map((key) => [key, Array.isArray(state[key]) ? [...state[key]] : state[key]]));
}

const labelsOf = (support, parameters) => Array.from(support, (i) => parameters?.[i]?.label ?? `θ[${i}]`);

// Rows of view 8 for the two runs' paths (sweep results): the smallest s as
// accurate as the dense network, the s cross-validation chooses, and the
// accuracy of each path at s (B's s: the current one).
export function pathRows(pathA, pathB, s) {
  const fa = pathFigures(pathA, s);
  const fb = pathFigures(pathB, s);
  const sOf = (v) => (v === null ? 'none' : `s = ${v}`);
  const rows = [[{ text: 'path: smallest s as accurate as dense', header: true }, sOf(fa.matchS), sOf(fb.matchS), '']];
  if (fa.cvS !== null || fb.cvS !== null) {
    const cvOf = (f) => (f.cvS === null ? 'no CV' : `s = ${f.cvS}`);
    rows.push([{ text: 'path: s chosen by CV (1-SE)', header: true }, cvOf(fa), cvOf(fb), '']);
  }
  const which = fa.accuracy === fb.accuracy ? `${fa.accuracy} accuracy` : `accuracy (A: ${fa.accuracy}, B: ${fb.accuracy})`;
  rows.push([{ text: `path: ${which} at s = ${s}`, header: true }, formatPercent(fa.accuracyAt), formatPercent(fb.accuracyAt), '']);
  return rows;
}

/**
 * View 8. a, b: { settings, result (null while B runs), parameters, path } or
 * null; path: the run's sweep result for its settings (view 6), or null.
 */
export function createAbView({ tableEl, summaryEl, unpinButton, pageState }) {
  return {
    set(a, b) {
      unpinButton.disabled = !a;
      if (!a) {
        summaryEl.textContent = 'Nothing pinned: press “Pin as A” after a run.';
        tableEl.replaceChildren();
        return;
      }
      const keys = abKeys(pageState);
      const text = (settings, key) => pageState.serialiseField(key, settings[key]) || '(none)';
      const differ = b ? keys.filter((key) => text(a.settings, key) !== text(b.settings, key)) : [];
      const ra = a.result;
      const rb = b?.result ?? null;
      const figure = (label, of) => [{ text: label, header: true }, of(ra), rb ? of(rb) : '…', ''];
      // The final figures and supports first, then every setting, those that differ marked.
      const rows = [
        figure('status', (r) => `${formatStatus(r.status)} after ${r.iterations} iterations`),
        figure('step rule, γ', (r) => `${r.stepRule}, ${formatNumber(r.stepSize)}${r.stepCertified ? ' (certified)' : ''}`),
        figure('train loss', (r) => formatNumber(r.trainLoss, 6)),
        figure('test loss', (r) => formatNumber(r.testLoss, 6)),
        figure('train accuracy', (r) => formatPercent(r.trainAccuracy)),
        figure('test accuracy', (r) => formatPercent(r.testAccuracy)),
        figure('HT-stable', (r) => (r.htStable.stable ? 'yes' : 'no')),
        [{ text: 'support', header: true }, labelsOf(ra.support, a.parameters).join(', '), rb ? labelsOf(rb.support, b.parameters).join(', ') : '…', ''],
      ];
      let overlap = '';
      if (rb) {
        // Supports compare by parameter name: the two runs may have different networks.
        const inA = new Set(labelsOf(ra.support, a.parameters));
        const inB = new Set(labelsOf(rb.support, b.parameters));
        const both = [...inA].filter((x) => inB.has(x));
        const onlyA = [...inA].filter((x) => !inB.has(x));
        const onlyB = [...inB].filter((x) => !inA.has(x));
        rows.push([{ text: 'in both supports', header: true }, both.join(', ') || 'none', '', `${both.length}`]);
        rows.push([{ text: 'only in one', header: true }, onlyA.join(', ') || 'none', onlyB.join(', ') || 'none', '']);
        overlap = ` ${both.length} of A's ${inA.size} nonzero parameters are also nonzero in B.`;
      }
      // The paths' figures, when both runs have one for their settings.
      if (a.path && b?.path) rows.push(...pathRows(a.path, b.path, b.settings.s));
      rows.push(...keys.map((key) => [{ text: key, header: true }, text(a.settings, key), b ? text(b.settings, key) : '—', differ.includes(key) ? 'differs' : '']));
      fillTable(tableEl, {
        caption: 'Run A (pinned) and run B (the current run): settings, final figures and supports.',
        columns: [{ label: '' }, { label: 'A' }, { label: 'B' }, { label: '' }],
        rows,
      });
      summaryEl.textContent = rb
        ? `A and B differ in ${differ.length ? differ.join(', ') : 'no setting'}. Test accuracy ${formatPercent(ra.testAccuracy)} (A) against ${formatPercent(rb.testAccuracy)} (B).${overlap}`
        : 'Run A is pinned; run B is the next run.';
    },
  };
}
