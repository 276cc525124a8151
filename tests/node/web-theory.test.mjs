// The page's judgement of a step (web/theory.js): against the bracket
// lower ≤ L₂ₛ ≤ upper, each side of each end, and without a certified bound.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { stepCoverage } from '../../web/theory.js';

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
