// Step mode: the Step button and its keyboard shortcut, the phase toggle
// (the gradient step v, then the projection H_s(v)) and the "step in two
// halves" switch, around view 7 (charts/threshold.js). What a step did is the
// package's trainer.lastStep(), sent by the worker; main.js decides what a
// Step press runs (onStep) and hands the step details here.
import { createThresholdView } from './charts/threshold.js';
import { formatNumber } from './format.js';

// The shortcut: the full stop key, as media players use single keys, except
// while typing in a field (where it is a character).
export const STEP_KEY = '.';

const isTyping = (target) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) &&
  !(target instanceof HTMLInputElement && ['checkbox', 'radio', 'button', 'range'].includes(target.type));

/**
 * γ of one step against the bracket lower ≤ L₂ₛ ≤ upper: the theorem asks for
 * γ < 1/L₂ₛ. A step the package certified (backtracking: the sparse descent
 * condition held at θ⁺, so f fell as the theorem's step does; or γ = c/upper
 * with c = 1) is covered whatever the comparison says; `certified` is the package's StepDetail.certified,
 * true while every step of the run so far was. Returns a sentence.
 */
export function stepAgainstBracket(gamma, estimate, certified = false) {
  // The package's certificate (step_policy.hpp): γ ≤ 1/U for the certified
  // bound U, or the sparse descent condition held at θ⁺.
  const byDescent = 'the package certified this step (the sparse descent condition held at θ⁺, or γ ≤ 1/upper), so the theorem covers it step by step';
  if (!estimate) return `1/upper and 1/lower: the L₂ₛ bracket is being estimated…${certified ? ` Meanwhile: ${byDescent}.` : ''}`;
  const { lower, upper } = estimate;
  const g = formatNumber(gamma);
  const inverseUpper = upper === null ? null : 1 / upper;
  const inverseLower = lower > 0 ? 1 / lower : null;
  const against = `1/upper = ${inverseUpper === null ? '— (no certified bound with hidden layers)' : formatNumber(inverseUpper)}, 1/lower = ${inverseLower === null ? '—' : formatNumber(inverseLower)}`;
  if (inverseUpper !== null && gamma < inverseUpper) return `γ = ${g} < 1/upper (${against}), so γ < 1/L₂ₛ: the theorem covers this step.`;
  if (inverseLower !== null && gamma >= inverseLower) {
    return certified
      ? `γ = ${g} ≥ 1/lower (${against}), so γ ≥ 1/L₂ₛ and the global condition fails; but ${byDescent}.`
      : `γ = ${g} ≥ 1/lower (${against}), so γ ≥ 1/L₂ₛ: the theorem does not cover this step.`;
  }
  return certified
    ? `γ = ${g} (${against}): not shown below 1/L₂ₛ, but ${byDescent}.`
    : `γ = ${g} (${against}): below 1/lower, which is necessary, but not shown below 1/L₂ₛ.`;
}

export function createStepView({ onStep, button, phaseInputs, halvesInput, svgEl, summaryEl, tableEl }) {
  const view = createThresholdView({ svgEl, summaryEl, tableEl });
  let shown = null; // { detail, labels, s, estimate }
  let phase = 'projection';
  let awaiting = false; // a Step press whose step has not arrived yet

  function render() {
    if (!shown) return;
    for (const input of phaseInputs) input.checked = input.value === phase;
    view.set(shown.detail, { labels: shown.labels, s: shown.s, phase, coverage: stepAgainstBracket(shown.detail.step, shown.estimate, shown.detail.certified === true) });
  }

  // With two halves on, a press first reveals the projection of the step
  // shown; only the press after takes a new iteration.
  function press() {
    if (halvesInput.checked && shown && phase === 'gradient' && !awaiting) {
      phase = 'projection';
      render();
      return;
    }
    awaiting = true;
    onStep();
  }

  button.addEventListener('click', press);
  document.addEventListener('keydown', (event) => {
    if (event.key !== STEP_KEY || event.ctrlKey || event.metaKey || event.altKey || event.repeat || isTyping(event.target)) return;
    if (button.hidden || button.disabled) return;
    event.preventDefault();
    press();
  });
  for (const input of phaseInputs) {
    input.addEventListener('change', () => {
      if (!input.checked) return;
      phase = input.value;
      render();
    });
  }

  return {
    /** What the Step button does (the lesson presses it too). */
    press,
    /**
     * A step of the run shown: detail = trainer.lastStep() (null before the
     * first step); labels: describe()'s parameter labels; estimate: the
     * bracket { lower, upper } or null while unknown.
     */
    show(detail, { labels, s, estimate = null }) {
      if (detail === null) {
        awaiting = false;
        shown = null;
        view.clear('θ₀: no step yet. Press Step to take one IHT iteration.');
        return;
      }
      phase = awaiting && halvesInput.checked ? 'gradient' : 'projection';
      awaiting = false;
      shown = { detail, labels, s, estimate };
      render();
    },
    /** The bracket arrived after the step. */
    setEstimate(estimate) {
      if (!shown) return;
      shown.estimate = estimate;
      render();
    },
    /** No step to show (a run starting); a Step press still waiting for its step keeps waiting. */
    clear(text) {
      shown = null;
      view.clear(text);
    },
    /** Whether Step reveals halves; for the lesson. */
    setHalves(on) {
      halvesInput.checked = on;
    },
    get detail() {
      return shown?.detail ?? null;
    },
    get phase() {
      return phase;
    },
  };
}
