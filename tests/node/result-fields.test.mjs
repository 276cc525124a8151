// The result types of wasm/types/sparse-iht.d.ts against real results: the
// JS API's objects and the command line's --json documents, which both come
// from the field lists of core/include/sparse_iht/fields.hpp. Every key a
// result has must be declared, and every declared member must be there unless
// it is optional (`?`). Nested results (htStable, history, points, ...) are
// checked against the interfaces their members name. The declarations are read
// with the TypeScript compiler API, so a renamed or added field fails here
// until the declaration says the same.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ts from 'typescript';

import load from '../../dist/index.node.mjs';
import { ROOT, requireBuilt, runNative, runNpmCli } from './helpers.mjs';

requireBuilt();

const DECLARATIONS = join(ROOT, 'wasm', 'types', 'sparse-iht.d.ts');
const RESULT_TYPES = [
  'TrainResult', 'SweepPoint', 'SweepResult', 'HtStable', 'History', 'L2sResult',
  'ModelDescription', 'Parameter', 'TrainerState', 'StepDetail', 'SamplePredictions',
];

/** name → { optional, type } of an interface's or type literal's properties. */
function propertiesOf(members) {
  const out = new Map();
  for (const m of members) {
    // Methods (Trainer, SparseIht) are not data; results have none.
    if (!ts.isPropertySignature(m)) continue;
    out.set(m.name.getText(), { optional: m.questionToken !== undefined, type: m.type });
  }
  return out;
}

const source = ts.createSourceFile(
  DECLARATIONS, readFileSync(DECLARATIONS, 'utf8'), ts.ScriptTarget.Latest, true);
const interfaces = new Map();
for (const statement of source.statements) {
  if (!ts.isInterfaceDeclaration(statement)) continue;
  // Members of an interface that extends another would be incomplete here.
  const extended = (statement.heritageClauses ?? []).length > 0;
  interfaces.set(statement.name.text, { extended, properties: propertiesOf(statement.members) });
}

/** The interfaces a check has compared a real value with. */
const checked = new Set();

/** The declared properties behind a type node, or null when it declares no object. */
function objectType(type) {
  if (!type) return null;
  if (ts.isParenthesizedTypeNode(type)) return objectType(type.type);
  if (ts.isTypeLiteralNode(type)) return { name: null, properties: propertiesOf(type.members) };
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    const found = interfaces.get(name);
    return found ? { name, properties: found.properties } : null;
  }
  return null;
}

/** The object types among the branches of a union such as `L2sResult | null`. */
function branches(type) {
  if (ts.isParenthesizedTypeNode(type)) return branches(type.type);
  return ts.isUnionTypeNode(type) ? type.types.flatMap(branches) : [type];
}

/** Checks a member's value against its declared type, where that declares objects. */
function checkValue(value, type, where) {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return;
  for (const branch of branches(type)) {
    if (Array.isArray(value) && ts.isArrayTypeNode(branch)) {
      value.forEach((item, i) => checkValue(item, branch.elementType, `${where}[${i}]`));
      return;
    }
    const object = !Array.isArray(value) && objectType(branch);
    if (object) {
      checkObject(value, object, where);
      return;
    }
  }
}

/** Every key of `value` declared, every required member present; then the members' values. */
function checkObject(value, { name, properties }, where) {
  const label = name ?? 'a type literal';
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value),
    `${where}: expected an object (${label})`);
  if (name) checked.add(name);
  const keys = Object.keys(value);
  for (const key of keys) {
    assert.ok(properties.has(key), `${where}.${key}: not a member of ${label} in sparse-iht.d.ts`);
  }
  for (const [key, member] of properties) {
    if (!member.optional) {
      assert.ok(keys.includes(key), `${where}.${key}: declared in ${label}, missing from the result`);
    }
  }
  for (const key of keys) checkValue(value[key], properties.get(key).type, `${where}.${key}`);
}

function assertDeclared(value, name, where = name) {
  const declared = interfaces.get(name);
  assert.ok(declared, `sparse-iht.d.ts declares no interface ${name}`);
  assert.equal(declared.extended, false, `${name} extends another interface: read its members too`);
  checkObject(value, { name, properties: declared.properties }, where);
}

/** Key paths in order, objects in arrays included: what "the same field list" means. */
function keyPaths(value, where = '') {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return [];
  if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${where}[]`));
  return Object.keys(value).flatMap((key) => [`${where}.${key}`, ...keyPaths(value[key], `${where}.${key}`)]);
}

function cliJson(run, args) {
  const r = run([...args, '--json']);
  assert.equal(r.status, 0, `${args.join(' ')} --json: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

let iht;
before(async () => { iht = await load(); });
after(() => assert.equal(iht.liveTrainers, 0, 'every trainer freed'));

test('the declarations name every result type, and the check catches differences', () => {
  for (const name of RESULT_TYPES) assert.ok(interfaces.has(name), name);
  const ht = { stable: true, margin: 0, supportGradInf: 0, supportSize: 1, tolerance: 1e-4, reason: 'Stable: …' };
  assertDeclared(ht, 'HtStable');
  assert.throws(() => assertDeclared({ ...ht, extra: 1 }, 'HtStable'), /extra: not a member/);
  const noMargin = { ...ht };
  delete noMargin.margin;
  assert.throws(() => assertDeclared(noMargin, 'HtStable'), /margin: declared in HtStable/);
  // Nested: a point of a sweep, under SweepResult.points: SweepPoint[].
  assert.throws(
    () => assertDeclared({ dense: {}, points: [], grid: [], cv: null, supportFrequency: [], exactNote: null, complete: true },
      'SweepResult'),
    /dense\.s: declared in TrainResult/);
  const l2s = {
    s: 1, n: 2, samples: 3, seed: 4, scale: 1, ratios: new Float64Array(), max: 0, lower: 0, upper: null, upperMethod: '',
  };
  assert.throws(
    () => assertDeclared({ ...l2s, quantiles: { p50: 0, p90: 0 } }, 'L2sResult'),
    /quantiles\.p99: declared in a type literal/);
});

describe('JS API results have exactly the declared members', () => {
  test('train (with and without a test set)', () => {
    assertDeclared(iht.train({ iters: 20 }), 'TrainResult');
    const noTest = iht.train({ iters: 20, testFraction: 0 });
    assert.equal(noTest.testLoss, null, 'absent figures are null members, not missing ones');
    assertDeclared(noTest, 'TrainResult');
  });

  test('sweep', () => {
    const sweep = iht.sweep({ iters: 5, hidden: '' });
    assert.ok(sweep.points.length > 0);
    assertDeclared(sweep, 'SweepResult');
  });

  test('estimateL2s', () => {
    assertDeclared(iht.estimateL2s({ samples: 50 }), 'L2sResult');
  });

  test('describe: weights and biases', () => {
    const d = iht.describe({ hidden: [3] });
    assert.ok(d.parameters.some((p) => p.kind === 'bias') && d.parameters.some((p) => p.kind === 'weight'));
    assertDeclared(d, 'ModelDescription');
    // imageShape is [rows, columns] for the digits, null otherwise.
    assertDeclared(iht.describe({ data: 'digits', hidden: [] }), 'ModelDescription');
  });

  test('a trainer: state before and after a support change, history, result, l2sEstimate', () => {
    const trainer = iht.createTrainer({ iters: 20, step: 'estimate' });
    try {
      assertDeclared(trainer.state(), 'TrainerState', 'state()');
      trainer.advance(20);
      const state = trainer.state();
      assertDeclared(state, 'TrainerState', 'state()');
      assertDeclared(trainer.history(), 'History', 'history()');
      assertDeclared(trainer.history(5), 'History', 'history(5)');
      assertDeclared(trainer.result(), 'TrainResult', 'result()');
      assertDeclared(trainer.lastStep(), 'StepDetail', 'lastStep()');
      assertDeclared(trainer.predictions(3), 'SamplePredictions', 'predictions(3)');
      const l2s = trainer.l2sEstimate();
      assert.notEqual(l2s, null, 'an estimate step has an estimate');
      assertDeclared(l2s, 'L2sResult', 'l2sEstimate()');
    } finally {
      trainer.free();
    }
  });
});

// Train, sweep and L2s documents, from the native iht and the npm command.
const COMMANDS = [
  { args: ['train', '--iters', '20'], type: 'TrainResult', js: (iht) => iht.train({ iters: 20 }) },
  { args: ['sweep', '--iters', '5'], type: 'SweepResult', js: (iht) => iht.sweep({ iters: 5 }) },
  { args: ['lipschitz', '--samples', '50'], type: 'L2sResult', js: (iht) => iht.estimateL2s({ samples: 50 }) },
];

describe('--json documents have exactly the declared members, in the JS results\' order', () => {
  for (const { args, type, js } of COMMANDS) {
    test(`iht ${args.join(' ')} --json`, () => {
      const native = cliJson(runNative, args);
      assertDeclared(native, type, `iht ${args[0]}`);
      assert.deepEqual(keyPaths(native), keyPaths(js(iht)), 'same keys in the same order as the JS result');
    });
    test(`sparse-iht ${args.join(' ')} --json (dist/cli.mjs)`, () => {
      assertDeclared(cliJson(runNpmCli, args), type, `sparse-iht ${args[0]}`);
    });
  }
});

test('every result type was compared with a real result', () => {
  assert.deepEqual(RESULT_TYPES.filter((name) => !checked.has(name)), []);
});
