// Whether a run's step is covered by the theorem (IHT with γ < 1/L₂ₛ converges
// to HT-stable points), judged against the package's bracket
// lower ≤ L₂ₛ ≤ upper and never against the Monte Carlo maximum L̂₂ₛ, which
// is only a lower estimate; for the adaptive rules, on the package's own
// per-step certificate (stepCertified: every step passed the sparse descent
// condition). Pure functions: the page shows their sentences.
import { formatNumber } from './format.js';

// The rules whose step changes from one iteration to the next (history.step).
export const ADAPTIVE_RULES = ['backtracking', 'normalized'];

/** Whether a rule's step varies per iteration. */
export const isAdaptive = (rule) => ADAPTIVE_RULES.includes(rule);

// What each choice of the step control does, true before any run: the hint
// under the control (#step-bound).
const RULE_HINTS = {
  auto: 'auto: bound (γ = c / upper, certified) without hidden layers; with them, where no certified bound exists, backtracking (each step certified by the sparse descent condition).',
  bound: 'bound: γ = c / upper, where upper is a certified upper bound of L₂ₛ, so γ < 1/L₂ₛ and the theorem covers the run. Only without hidden layers: with them no certified bound exists.',
  backtracking:
    'backtracking: from min(1, 2 × the last step), γ is halved until the sparse descent condition f(θ⁺) ≤ f(θ) + ⟨∇f(θ), θ⁺ − θ⟩ + ‖θ⁺ − θ‖²/(2γ) holds, so each step is certified by the descent condition, for any network.',
  normalized:
    'normalized: normalised IHT (Blumensath & Davies 2010) takes a step adapted to the curvature on the support, with its safeguard. It is certified only if every step passes the sparse descent condition; the run says whether they did.',
  estimate:
    "estimate: γ = c / L̂₂ₛ, the paper's rule. L̂₂ₛ is the maximum of the Monte Carlo ratios, a lower estimate of L₂ₛ, so this step is not certified and may be above 1/L₂ₛ.",
  fixed:
    'fixed: the γ you enter, for every step. The theorem needs γ < 1/L₂ₛ; a larger γ (say 2 on IRIS) shows what can go wrong.',
};

/** The hint for a choice of the step control: 'auto', a rule, or 'fixed'. */
export function stepRuleHint(choice) {
  return RULE_HINTS[choice] ?? RULE_HINTS.fixed;
}

/**
 * The step a run is judged by, from its result ({ stepRule, stepSize,
 * stepCertified, history }) or its trainer state (no history): a fixed rule's
 * γ, or for an adaptive rule the largest step it took (max of history.step;
 * its last step while no history is at hand). Returns
 * { rule, stepSize, certified, largest }, largest true when stepSize is the
 * largest of varying steps.
 */
export function runStep({ stepRule, stepSize, stepCertified, history }) {
  if (!isAdaptive(stepRule)) return { rule: stepRule, stepSize, certified: stepCertified, largest: false };
  let largest = 0;
  for (const gamma of history?.step ?? []) if (gamma > largest) largest = gamma;
  return largest > 0
    ? { rule: stepRule, stepSize: largest, certified: stepCertified, largest: true }
    : { rule: stepRule, stepSize, certified: stepCertified, largest: false };
}

/**
 * { covered, text } for a step γ and an estimate { max, lower, upper }:
 * covered is true when γ < 1/upper (so γ < 1/L₂ₛ), false when γ ≥ 1/lower
 * (so γ ≥ 1/L₂ₛ), and null in between or when nothing certifies it.
 *
 * For an adaptive rule (options.rule 'backtracking' or 'normalized'), γ is
 * the largest step the run took and options.certified the package's
 * stepCertified: true covers the run step by step (every step passed the
 * sparse descent condition), false does not; the bracket then only places
 * the largest step.
 */
export function stepCoverage(estimate, stepSize, { rule = 'fixed', certified = null } = {}) {
  const { lower, upper } = estimate;
  const gamma = formatNumber(stepSize);
  const bracket = `${formatNumber(lower)} ≤ L₂ₛ ≤ ${upper === null ? '?' : formatNumber(upper)}`;
  if (isAdaptive(rule) && typeof certified === 'boolean') return adaptiveCoverage(estimate, gamma, stepSize, rule, certified, bracket);
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

// Where the largest step of an adaptive run lies against the bracket.
function placeLargest({ lower, upper }, gamma, stepSize) {
  if (upper !== null && stepSize < 1 / upper) return `Its largest step, γ = ${gamma}, is also below 1/upper = ${formatNumber(1 / upper)}`;
  if (lower > 0 && stepSize >= 1 / lower) {
    return `Its largest step, γ = ${gamma}, is at least 1/lower = ${formatNumber(1 / lower)}: as a fixed step it would break γ < 1/L₂ₛ`;
  }
  if (upper === null) return `Its largest step is γ = ${gamma}; no certified bound exists for this network (hidden layers)`;
  return `Its largest step, γ = ${gamma}, lies between 1/upper = ${formatNumber(1 / upper)} and 1/lower = ${formatNumber(1 / lower)}`;
}

function adaptiveCoverage(estimate, gamma, stepSize, rule, certified, bracket) {
  const place = placeLargest(estimate, gamma, stepSize);
  if (certified) {
    return {
      covered: true,
      text: `Every step of this ${rule} run passed the sparse descent condition, so each step is certified: the theorem covers the run step by step. ${place} (${bracket}).`,
    };
  }
  return {
    covered: false,
    text: `Not every step of this ${rule} run passed the sparse descent condition, so the run is not certified: the theorem does not cover it. ${place} (${bracket}).`,
  };
}
