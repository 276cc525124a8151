// Whether a run's step is covered by the theorem (IHT with γ < 1/L₂ₛ converges
// to HT-stable points), judged against the package's bracket
// lower ≤ L₂ₛ ≤ upper and never against the Monte Carlo maximum L̂₂ₛ, which
// is only a lower estimate. Pure functions: the page shows their sentences.
import { formatNumber } from './format.js';

/**
 * { covered, text } for a step γ and an estimate { max, lower, upper }:
 * covered is true when γ < 1/upper (so γ < 1/L₂ₛ), false when γ ≥ 1/lower
 * (so γ ≥ 1/L₂ₛ), and null in between or when nothing certifies it.
 */
export function stepCoverage(estimate, stepSize) {
  const { lower, upper } = estimate;
  const gamma = formatNumber(stepSize);
  const bracket = `${formatNumber(lower)} ≤ L₂ₛ ≤ ${upper === null ? '?' : formatNumber(upper)}`;
  if (upper !== null && stepSize < 1 / upper) {
    return {
      covered: true,
      text: `This run's γ = ${gamma} is below 1/upper = ${formatNumber(1 / upper)}, so γ < 1/L₂ₛ: the theorem covers it (${bracket}).`,
    };
  }
  if (lower > 0 && stepSize >= 1 / lower) {
    return {
      covered: false,
      text: `This run's γ = ${gamma} is at least 1/lower = ${formatNumber(1 / lower)}, so γ ≥ 1/L₂ₛ: the theorem does not cover it (${bracket}).`,
    };
  }
  if (upper === null) {
    return {
      covered: null,
      text: `No certified bound exists for this network (hidden layers), so nothing shows that γ = ${gamma} is below 1/L₂ₛ; it is below 1/lower = ${formatNumber(1 / lower)}, which is necessary, not sufficient (${bracket}).`,
    };
  }
  return {
    covered: null,
    text: `This run's γ = ${gamma} lies between 1/upper = ${formatNumber(1 / upper)} and 1/lower = ${formatNumber(1 / lower)}: the theorem may not cover it (${bracket}).`,
  };
}
