// View 7's sentence on whether the theorem covers one IHT step
// (web/step-view.js, stepAgainstBracket): against the bracket
// lower ≤ L₂ₛ ≤ upper, and, for a step that a rule certified on its own
// (backtracking's sparse descent condition), whatever γ is. It must agree
// with the package's StepDetail.certified: a backtracking step of γ = 1 on
// IRIS is above 1/lower and still covered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stepAgainstBracket } from '../../web/step-view.js';
import load from '../../dist/index.node.mjs';

const bracket = { lower: 1.06, upper: 2.5 }; // 1/upper = 0.4, 1/lower ≈ 0.943

test('below 1/upper the global condition holds, certified or not', () => {
  for (const certified of [false, true]) {
    assert.match(stepAgainstBracket(0.3, bracket, certified), /γ = 0\.3 < 1\/upper .*so γ < 1\/L₂ₛ: the theorem covers this step\./);
  }
});

test('above 1/lower: not covered, unless the step certified itself', () => {
  assert.match(stepAgainstBracket(1, bracket, false), /γ ≥ 1\/L₂ₛ: the theorem does not cover this step\./);
  const certified = stepAgainstBracket(1, bracket, true);
  assert.doesNotMatch(certified, /does not cover/);
  assert.match(certified, /global condition fails; but the package certified this step \(the sparse descent condition held at θ⁺, or γ ≤ 1\/upper\), so the theorem covers it step by step\./);
});

test('between the two: not shown, unless the step certified itself', () => {
  assert.match(stepAgainstBracket(0.6, bracket, false), /below 1\/lower, which is necessary, but not shown below 1\/L₂ₛ\./);
  assert.match(stepAgainstBracket(0.6, bracket, true), /not shown below 1\/L₂ₛ, but the package certified this step/);
});

test('no certified upper bound (hidden layers), and a bracket still being estimated', () => {
  assert.match(stepAgainstBracket(0.6, { lower: 1.06, upper: null }, false), /1\/upper = — \(no certified bound with hidden layers\)/);
  assert.match(stepAgainstBracket(0.6, null, false), /^1\/upper and 1\/lower: the L₂ₛ bracket is being estimated…$/);
  assert.match(stepAgainstBracket(0.6, null, true), /being estimated… Meanwhile: the package certified this step/);
});

test("the package's own steps: backtracking is covered above 1/lower, a fixed γ = 1 is not", async () => {
  const iht = await load();
  const { lower, upper } = iht.estimateL2s({ s: 5 });
  const stepOf = (step) => {
    const trainer = iht.createTrainer({ step, iters: 20 });
    try {
      trainer.advance(20);
      return trainer.lastStep();
    } finally {
      trainer.free();
    }
  };
  const backtracking = stepOf('backtracking');
  assert.ok(backtracking.step >= 1 / lower, `backtracking's γ = ${backtracking.step} is above 1/lower = ${1 / lower} on IRIS`);
  assert.equal(backtracking.certified, true);
  assert.match(stepAgainstBracket(backtracking.step, { lower, upper }, backtracking.certified), /the theorem covers it step by step/);
  const fixed = stepOf(1);
  assert.equal(fixed.certified, false);
  assert.match(stepAgainstBracket(fixed.step, { lower, upper }, fixed.certified), /the theorem does not cover this step/);
});
