// The page's judgement of a step (web/theory.js): against the bracket
// lower ≤ L₂ₛ ≤ upper, each side of each end, and without a certified bound.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ADAPTIVE_RULES, isAdaptive, runStep, stepCoverage, stepRuleHint } from '../../web/theory.js';

const IRIS = { max: 0.544, lower: 1.06, upper: 1.4524, upperMethod: "Böhning's bound" };

test('covered below 1/upper, not at or above 1/lower, undecided between', () => {
  assert.equal(stepCoverage(IRIS, 0.9 / 1.4524).covered, true);
  assert.match(stepCoverage(IRIS, 0.6).text, /so γ < 1\/L₂ₛ: the theorem covers it/);
  // Exactly 1/upper is not below it.
  assert.equal(stepCoverage(IRIS, 1 / 1.4524).covered, null);
  // The paper's Monte Carlo step, 0.9 / L̂₂ₛ, is above 1/upper and above 1/lower: not covered.
  const paper = stepCoverage(IRIS, 0.9 / 0.544);
  assert.equal(paper.covered, false);
  assert.match(paper.text, /is at least 1\/lower = 0\.943\d*, so γ ≥ 1\/L₂ₛ: the theorem does not cover it/);
  assert.equal(stepCoverage(IRIS, 1 / 1.06).covered, false, 'exactly 1/lower');
  assert.equal(stepCoverage(IRIS, 0.8).covered, null);
  assert.match(stepCoverage(IRIS, 0.8).text, /lies between 1\/upper = 0\.68\d* and 1\/lower = 0\.94\d*: the theorem may not cover it/);
  assert.ok(!stepCoverage(IRIS, 0.8).text.includes('L̂₂ₛ'), 'never judged on the Monte Carlo maximum');
});

test('without a certified bound (hidden layers), only a violation can be shown', () => {
  const hidden = { max: 0.3, lower: 0.5, upper: null, upperMethod: 'no certified bound with hidden layers' };
  assert.equal(stepCoverage(hidden, 0.1).covered, null);
  assert.match(stepCoverage(hidden, 0.1).text, /No certified bound exists for this network/);
  assert.match(stepCoverage(hidden, 0.1).text, /necessary, not sufficient/);
  assert.equal(stepCoverage(hidden, 2).covered, false);
  assert.match(stepCoverage(hidden, 2).text, /\? \)|≤ \?/);
});

test('an adaptive rule is judged on its per-step certificate, its largest step placed on the bracket', () => {
  // Backtracking with hidden layers: every step passed the descent condition, the largest was 1, at least 1/lower.
  const hidden = { max: 0.83, lower: 1.009, upper: null, upperMethod: 'no certified bound with hidden layers' };
  const backtracking = stepCoverage(hidden, 1, { rule: 'backtracking', certified: true });
  assert.equal(backtracking.covered, true);
  assert.match(backtracking.text, /^Every step of this backtracking run passed the sparse descent condition, so each step is certified: the theorem covers the run step by step\./);
  assert.match(backtracking.text, /Its largest step, γ = 1, is at least 1\/lower = 0\.99\d*: as a fixed step it would break γ < 1\/L₂ₛ/);
  assert.match(backtracking.text, /\(1\.009 ≤ L₂ₛ ≤ \?\)\.$/);
  // The same step as a fixed one is not covered: the certificate, not the size, decides.
  assert.equal(stepCoverage(hidden, 1).covered, false);
  assert.equal(stepCoverage(hidden, 1, { rule: 'fixed', certified: true }).covered, false, 'a fixed rule is judged on the bracket');

  // Normalized IHT on IRIS: a step failed the descent condition.
  const normalized = stepCoverage(IRIS, 135.5, { rule: 'normalized', certified: false });
  assert.equal(normalized.covered, false);
  assert.match(normalized.text, /^Not every step of this normalized run passed the sparse descent condition, so the run is not certified: the theorem does not cover it\./);
  assert.match(normalized.text, /Its largest step, γ = 135\.5, is at least 1\/lower/);

  // Largest step below 1/upper, and between the ends; without a certificate the bracket decides as before.
  assert.match(stepCoverage(IRIS, 0.5, { rule: 'backtracking', certified: true }).text, /Its largest step, γ = 0\.5, is also below 1\/upper = 0\.68\d*/);
  assert.match(stepCoverage(IRIS, 0.8, { rule: 'normalized', certified: true }).text, /Its largest step, γ = 0\.8, lies between 1\/upper = 0\.68\d* and 1\/lower = 0\.94\d*/);
  assert.match(stepCoverage(hidden, 0.5, { rule: 'backtracking', certified: true }).text, /Its largest step is γ = 0\.5; no certified bound exists/);
  assert.deepEqual(stepCoverage(IRIS, 0.6, { rule: 'backtracking' }), stepCoverage(IRIS, 0.6), 'certificate unknown');
  for (const rule of ['backtracking', 'normalized']) {
    for (const certified of [true, false]) {
      assert.ok(!stepCoverage(IRIS, 0.6, { rule, certified }).text.includes('L̂₂ₛ'), 'never judged on the Monte Carlo maximum');
    }
  }
});

test('runStep: a fixed rule its γ, an adaptive rule the largest step it took (typed array or plain)', () => {
  const history = (...steps) => ({ step: Float64Array.from(steps) });
  assert.deepEqual(runStep({ stepRule: 'bound', stepSize: 0.62, stepCertified: true, history: history() }), {
    rule: 'bound', stepSize: 0.62, certified: true, largest: false,
  });
  assert.deepEqual(runStep({ stepRule: 'estimate', stepSize: 1.65, stepCertified: false }), {
    rule: 'estimate', stepSize: 1.65, certified: false, largest: false,
  });
  // history.step is 0 at k = 0; the last step (stepSize) need not be the largest.
  assert.deepEqual(runStep({ stepRule: 'normalized', stepSize: 43.3, stepCertified: false, history: history(0, 1, 135.5, 43.3) }), {
    rule: 'normalized', stepSize: 135.5, certified: false, largest: true,
  });
  assert.deepEqual(runStep({ stepRule: 'backtracking', stepSize: 0.25, stepCertified: true, history: { step: [0, 0.5, 0.25] } }), {
    rule: 'backtracking', stepSize: 0.5, certified: true, largest: true,
  });
  // No step taken yet (a trainer's state has no history): the current step.
  assert.deepEqual(runStep({ stepRule: 'backtracking', stepSize: 1, stepCertified: true }), {
    rule: 'backtracking', stepSize: 1, certified: true, largest: false,
  });
  assert.deepEqual(runStep({ stepRule: 'backtracking', stepSize: 1, stepCertified: true, history: history(0) }).largest, false);
});

test('the hint under the step control is true for each choice', () => {
  assert.match(stepRuleHint('auto'), /^auto: bound \(γ = c \/ upper, certified\) without hidden layers; with them, .*backtracking \(each step certified/);
  assert.ok(!/estimate/.test(stepRuleHint('auto')), 'auto is no longer the estimate');
  assert.match(stepRuleHint('bound'), /γ = c \/ upper, where upper is a certified upper bound of L₂ₛ, so γ < 1\/L₂ₛ/);
  assert.match(stepRuleHint('backtracking'), /each step is certified by the descent condition/);
  assert.match(stepRuleHint('normalized'), /certified only if every step passes the sparse descent condition/);
  assert.match(stepRuleHint('estimate'), /lower estimate of L₂ₛ, so this step is not certified/);
  assert.match(stepRuleHint('fixed'), /a larger γ .* shows what can go wrong/);
  assert.equal(stepRuleHint(0.5), stepRuleHint('fixed'), 'a number is a fixed step');
  const hints = ['auto', 'bound', 'backtracking', 'normalized', 'estimate', 'fixed'].map(stepRuleHint);
  assert.equal(new Set(hints).size, hints.length, 'one hint per choice');
  assert.deepEqual(ADAPTIVE_RULES, ['backtracking', 'normalized']);
  assert.ok(isAdaptive('normalized') && !isAdaptive('bound') && !isAdaptive('auto'));
});
