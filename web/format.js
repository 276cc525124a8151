// Number formatting shared by the charts, tables and status lines. The model's
// numbers arrive from the worker; these only turn them into text.

/** A number with `digits` significant digits; '—' for null, exponent form for very small or large values. */
export function formatNumber(x, digits = 4) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e6) return x.toExponential(digits - 1);
  return String(Number(x.toPrecision(digits)));
}

/** A fraction 0…1 as a percentage with one decimal. */
export function formatPercent(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return `${(100 * x).toFixed(1)} %`;
}

export function formatInt(n) {
  return Number(n).toLocaleString('en-US');
}

const STATUS_TEXT = {
  running: 'running',
  converged: 'converged',
  max_iterations: 'reached the iteration limit',
  diverged: 'diverged',
  stopped: 'stopped',
  stable: 'stopped at an HT-stable point',
};

export function formatStatus(status) {
  return STATUS_TEXT[status] ?? String(status);
}
