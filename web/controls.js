// The settings form: writes the state into the controls, parses what the user
// enters with the same table as the URL (state.js), and shows each problem
// next to the control concerned. The inputs' ranges come from the same fields,
// so a control never offers a value its link would refuse.
import { stepCoverage, stepRuleHint } from './theory.js';

const $ = (id) => document.getElementById(id);

// Keys with one plain input or select whose value is the field's text.
const SIMPLE = ['data', 's', 'iters', 'ridge', 'seed', 'hidden', 'activation', 'samples', 'testFraction', 'speed', 'stepFactor', 'cv', 'sGrid'];

// Keys with a checkbox: on or off.
const CHECKS = ['refine', 'stopWhenStable', 'exact'];

// The step's choices that take the factor c: γ = c / upper or c / L̂₂ₛ (auto runs bound where it can).
const TAKES_FACTOR = ['auto', 'bound', 'estimate'];

// The error line shown under each key's control.
const ERROR_SLOT = {
  data: 'data-error',
  s: 's-error',
  step: 'step-error',
  stepFactor: 'step-error',
  iters: 'iters-error',
  ridge: 'ridge-error',
  refine: 'refine-error',
  stopWhenStable: 'stopWhenStable-error',
  seed: 'seed-error',
  hidden: 'hidden-error',
  activation: 'hidden-error',
  samples: 'samples-error',
  testFraction: 'testFraction-error',
  cv: 'cv-error',
  sGrid: 'sGrid-error',
  exact: 'exact-error',
  run: 'run-error',
  sweep: 'sweep-error',
  export: 'export-error',
};

const INPUT_OF = {
  step: 'step-value',
  stepFactor: 'stepFactor',
  s: 's',
  iters: 'iters',
  ridge: 'ridge',
  seed: 'seed',
  hidden: 'hidden',
  samples: 'samples',
  testFraction: 'testFraction',
  cv: 'cv',
  sGrid: 'sGrid',
};

// How a menu names a value from a link that it does not list.
const UNLISTED = {
  speed: (value) => `${value} iterations per frame`,
  cv: (value) => (value === '0' ? 'no cross-validation' : `${value} folds`),
};

export function createControls({ onChange, onAction, fields, parseField }) {
  const stepMode = $('step-mode');
  const stepValue = $('step-value');
  const sRange = $('s-range');
  let lastFixedStep = 0.1;

  // min and max of each number input from its field (state.js); s's maximum
  // is n, set by setMaxS once the network is known.
  for (const [key, id] of Object.entries(INPUT_OF)) {
    const { min, max, minOpen } = fields[key];
    const input = $(id);
    if (input.type !== 'number') continue;
    // An open lower end (c > 0) keeps the page's own floor for the spinner.
    if (Number.isFinite(min) && !minOpen) input.min = String(min);
    if (Number.isFinite(max) && key !== 's') input.max = String(max);
  }

  function showError(key, message) {
    const slot = $(ERROR_SLOT[key] ?? 'run-error');
    slot.textContent = message;
    const input = INPUT_OF[key] && $(INPUT_OF[key]);
    if (input) input.setAttribute('aria-invalid', 'true');
  }

  function clearError(key) {
    $(ERROR_SLOT[key] ?? 'run-error').textContent = '';
    const input = INPUT_OF[key] && $(INPUT_OF[key]);
    if (input) input.removeAttribute('aria-invalid');
  }

  // Clears key's error; a field whose text was rejected gets back the value
  // the state holds, which is the one a run uses.
  function settle(key, state) {
    const input = INPUT_OF[key] && $(INPUT_OF[key]);
    if (input?.getAttribute('aria-invalid') === 'true') {
      if (key === 'step') {
        if (!isRule(state.step)) stepValue.value = String(state.step);
      } else if (key === 's') {
        input.value = String(state.s);
        sRange.value = String(state.s);
      } else {
        input.value = Array.isArray(state[key]) ? state[key].join(',') : String(state[key]);
      }
    }
    clearError(key);
  }

  function clearAllErrors() {
    for (const key of Object.keys(ERROR_SLOT)) clearError(key);
  }

  function commit(key, text) {
    const parsed = parseField(key, text);
    if ('error' in parsed) {
      // s's range is 1 … n once the network is known (setMaxS), not the
      // field's own bound, which only stops a link from asking for millions.
      const n = key === 's' ? $('s').max : '';
      showError(key, n ? `s: expected an integer from 1 to n = ${n}.` : `${labelOf(key)}: ${parsed.error}.`);
      return;
    }
    clearError(key);
    onChange(key, parsed.value);
  }

  function labelOf(key) {
    return (
      {
        s: 's',
        step: 'Step size',
        stepFactor: 'c',
        iters: 'Iterations',
        ridge: 'Ridge λ',
        seed: 'Seed',
        hidden: 'Hidden layers',
        samples: 'Samples',
        testFraction: 'Test share',
        cv: 'Cross-validation folds',
        sGrid: 'Values of s',
        exact: 'Best of all supports',
      }[key] ?? key
    );
  }

  for (const key of SIMPLE) {
    $(key).addEventListener('change', (event) => commit(key, event.target.value));
  }
  for (const key of CHECKS) {
    $(key).addEventListener('change', (event) => commit(key, event.target.checked ? '1' : '0'));
  }
  sRange.addEventListener('input', () => {
    $('s').value = sRange.value;
  });
  sRange.addEventListener('change', () => commit('s', sRange.value));
  // The step's rules are the words the option table lists besides numbers.
  const isRule = (value) => typeof value === 'string';
  stepMode.addEventListener('change', () => {
    showStepInputs(stepMode.value);
    $('step-bound').textContent = stepRuleHint(stepMode.value);
    commit('step', stepMode.value !== 'fixed' ? stepMode.value : stepValue.value || String(lastFixedStep));
  });
  stepValue.addEventListener('change', () => commit('step', stepValue.value));

  for (const name of ['train', 'stop', 'reset', 'sweep']) {
    $(name).addEventListener('click', () => onAction(name));
  }

  // bound and estimate (and auto, which runs bound where it can) take the
  // factor c; a fixed step takes its value; backtracking and normalized neither.
  function showStepInputs(mode) {
    const factor = TAKES_FACTOR.includes(mode);
    const fixed = mode === 'fixed';
    $('stepFactor').hidden = !factor;
    $('stepFactor-label').hidden = !factor;
    stepValue.hidden = !fixed;
    $('step-value-label').hidden = !fixed;
  }

  return {
    showError,
    clearError,
    /**
     * Clears the errors of `keys` as a run starts with `state`: a field whose
     * text was rejected shows the value the run uses again, so no field shows
     * a value the run does not use.
     */
    settle(keys, state) {
      for (const key of keys) settle(key, state);
    },
    clearAllErrors,

    write(state) {
      for (const key of SIMPLE) {
        const el = $(key);
        const value = Array.isArray(state[key]) ? state[key].join(',') : String(state[key]);
        if (el.tagName === 'SELECT' && ![...el.options].some((o) => o.value === value)) {
          // A speed or a number of folds from a link that the menu does not list.
          const option = document.createElement('option');
          option.value = value;
          option.textContent = (UNLISTED[key] ?? String)(value);
          el.append(option);
        }
        el.value = value;
      }
      for (const key of CHECKS) $(key).checked = state[key];
      sRange.value = String(state.s);
      stepMode.value = isRule(state.step) ? state.step : 'fixed';
      if (!isRule(state.step)) {
        stepValue.value = String(state.step);
        lastFixedStep = state.step;
      } else if (!stepValue.value) {
        stepValue.value = String(lastFixedStep);
      }
      showStepInputs(stepMode.value);
      $('step-bound').textContent = stepRuleHint(stepMode.value);
    },

    /** n for the current network and data: the range of s. */
    setMaxS(n) {
      $('s').max = String(n);
      sRange.max = String(n);
      $('s-of').textContent = `of n = ${n} parameters (weights and biases)`;
    },

    /**
     * The hint under the step control: what the chosen rule does and, once the
     * bracket lower ≤ L₂ₛ ≤ upper is known, whether this run's step is covered
     * by the theorem. step: theory.js runStep of the run ({ rule, stepSize,
     * certified, largest }), or null.
     */
    setStepBound(estimate, step) {
      const choice = stepMode.value;
      const ran = choice === 'auto' && step ? ` It ran ${step.rule}.` : '';
      const coverage = estimate && step ? ` ${stepCoverage(estimate, step.stepSize, { rule: step.rule, certified: step.certified }).text}` : '';
      $('step-bound').textContent = `${stepRuleHint(choice)}${ran}${coverage}`;
    },

    /** The data sets the menu offers: IRIS, and the loaded CSV if any. */
    setCsvOption(name) {
      const option = $('data').querySelector('option[value="csv"]');
      option.disabled = !name;
      option.textContent = name ? `CSV: ${name}` : 'CSV file (load one below)';
    },

    /** What is running: null, 'train', 'prepare', 'sweep' or 'data' (each of the last two has its own progress bar). */
    setBusy(kind) {
      $('stop').disabled = kind === null;
      $('sweep').disabled = kind === 'sweep';
      $('run-progress').hidden = kind === null || kind === 'sweep' || kind === 'data';
      if (kind !== null && kind !== 'sweep') $('run-progress').removeAttribute('value');
    },

    setStatus(text) {
      $('run-status').textContent = text;
    },

    announce(text) {
      // Re-set so that repeating the same words is announced again.
      const el = $('announce');
      el.textContent = '';
      requestAnimationFrame(() => {
        el.textContent = text;
      });
    },
  };
}
