// "Copy as code" (web/code-snippets.js): the page's snippet generator, run.
// For several page settings, the native command it writes is run by a shell
// (build/native/iht, with --json added) and the JavaScript program it writes
// by Node against this package; both must give the θ that the package's
// train() gives for the same options, to 1e-9. One C++ program is compiled
// against the native library and run too.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import load from '../../dist/index.node.mjs';
import { OPTIONS as TABLE } from '../../dist/options.mjs';
import { cppSnippet, jsSnippet, nativeCommand, shellQuote, snippetOptions } from '../../web/code-snippets.js';
import { createState } from '../../web/state.js';
import { NATIVE_IHT, ROOT, requireBuilt } from './helpers.mjs';

const { defaultState, runOptions } = createState(TABLE);
let iht;

before(async () => {
  requireBuilt();
  iht = await load();
});

// Page states as a user could set them (web/state.js values).
const SETTINGS = [
  {},
  { s: 3, seed: 7, iters: 150 },
  { s: 6, step: 'estimate', stepFactor: 0.5, samples: 40, iters: 120 },
  { s: 5, step: 0.3, ridge: 0.01, refine: true, iters: 40, testFraction: 0.3 },
  { s: 20, hidden: [6], activation: 'relu', step: 'backtracking', iters: 60, seed: 3 },
  { s: 9, hidden: [4, 3], activation: 'sigmoid', step: 'normalized', iters: 80, stopWhenStable: true, testFraction: 0 },
];
const optionsOf = (settings) => runOptions({ ...defaultState(), ...settings });

function assertClose(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const tolerance = 1e-9 * Math.max(1, Math.abs(expected[i]));
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}: θ[${i}] = ${actual[i]}, train() gives ${expected[i]}`);
  }
}

describe('copy as code', () => {
  test('the native command: s always, other options only where they differ from the default', () => {
    assert.equal(nativeCommand(optionsOf({}), { table: TABLE }), 'iht train --s 5');
    assert.equal(
      nativeCommand(optionsOf({ s: 4, hidden: [8, 8], refine: true, step: 0.5 }), { table: TABLE }),
      'iht train --s 4 --hidden 8,8 --step 0.5 --refine on',
    );
    assert.equal(nativeCommand(optionsOf({}), { table: TABLE, data: "my data's.csv" }), "iht train --s 5 --data 'my data'\\''s.csv'");
    assert.deepEqual(snippetOptions(optionsOf({ stepFactor: 0.9, iters: 1000 }), TABLE).map((o) => o.name), ['s']);
    assert.equal(shellQuote('a b'), "'a b'");
  });

  // The digits pick their own network when hidden is not given: the snippets
  // write hidden always for them, also when it is empty.
  const DIGITS = [{ s: 40, hidden: [], iters: 5 }, { s: 100, hidden: [32], iters: 5 }];
  test('for the digits, hidden is always written, even empty', () => {
    assert.equal(nativeCommand(optionsOf(DIGITS[0]), { table: TABLE, data: 'digits' }), "iht train --s 40 --hidden '' --iters 5 --data digits");
    assert.match(jsSnippet(optionsOf(DIGITS[1]), { table: TABLE, data: 'digits' }), /hidden: \[32\].*data: "digits"/);
    const cpp = cppSnippet(optionsOf(DIGITS[0]), { table: TABLE, data: 'digits' });
    assert.match(cpp, /#include "sparse_iht\/digits\.hpp"/);
    assert.match(cpp, /options\.hidden = std::vector<int>\{\};/);
    assert.match(cpp, /sparse_iht::train\(options, sparse_iht::digits\(\)\)/);
  });

  const CASES = [...SETTINGS.map((settings) => ({ settings, data: 'iris' })), ...DIGITS.map((settings) => ({ settings, data: 'digits' }))];
  for (const { settings, data } of CASES) {
    const options = optionsOf(settings);
    test(`native command and JavaScript reproduce train()'s θ: ${JSON.stringify(settings)}${data === 'iris' ? '' : ` on ${data}`}`, () => {
      const expected = Array.from(iht.train(data === 'iris' ? options : { ...options, data }).theta);

      const command = nativeCommand(options, { table: TABLE, data });
      assert.match(command, /^iht train --s \d+/);
      const shell = spawnSync('sh', ['-c', `${shellQuote(NATIVE_IHT)}${command.slice('iht'.length)} --json`], { encoding: 'utf8' });
      assert.equal(shell.status, 0, `${command}: ${shell.stderr}`);
      assertClose(JSON.parse(shell.stdout).theta, expected, command);

      // The JavaScript program as the page shows it, with 'sparse-iht' resolving to this package.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-iht-snippet-'));
      try {
        fs.mkdirSync(path.join(dir, 'node_modules'));
        fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'sparse-iht'), 'dir');
        const file = path.join(dir, 'snippet.mjs');
        fs.writeFileSync(file, jsSnippet(options, { table: TABLE, data }));
        const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
        assertClose(JSON.parse(out).theta, expected, 'the JavaScript snippet');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('the C++ program compiles against the library and reproduces θ', (t) => {
    const library = path.join(ROOT, 'build', 'native', 'libsparse_iht_core.a');
    const eigen = ['/usr/include/eigen3', '/usr/local/include/eigen3'].find((dir) => fs.existsSync(path.join(dir, 'Eigen')));
    const compiler = spawnSync('c++', ['--version']).status === 0 ? 'c++' : null;
    if (!fs.existsSync(library) || !eigen || !compiler) {
      t.skip('no native library, Eigen or C++ compiler here');
      return;
    }
    const options = optionsOf({ s: 6, hidden: [5], activation: 'tanh', step: 'backtracking', iters: 50, seed: 4, ridge: 0.001 });
    const source = cppSnippet(options, { table: TABLE });
    assert.match(source, /options\.hidden = std::vector<int>\{5\};/);
    assert.match(source, /options\.step_rule = sparse_iht::StepRule::backtracking;/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-iht-cpp-'));
    try {
      fs.writeFileSync(path.join(dir, 'main.cpp'), source);
      const exe = path.join(dir, 'main');
      execFileSync(compiler, ['-std=c++17', '-O1', '-I', path.join(ROOT, 'core', 'include'), '-isystem', eigen, path.join(dir, 'main.cpp'), library, '-o', exe], { stdio: 'pipe' });
      const theta = execFileSync(exe, { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
      assertClose(theta, Array.from(iht.train(options).theta), 'the C++ snippet');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
