// "Copy as code": the page's current run as three programs that reproduce its
// θ — the native command line, a JavaScript program using the sparse-iht
// package, and a C++ program using the library (README, "C++ library"). The
// options are the package options of the page's state (state.js runOptions);
// a value equal to the option table's default is left out, since every
// surface takes its defaults from that one table. The digits are the
// exception: that data set picks its own network when hidden is not given, so
// hidden is always written for them. Pure functions of their arguments, so
// tests/node/web-snippets.test.mjs runs what they write.

// The C++ spelling of each option the page sets (sparse_iht::RunOptions).
const CPP_FIELD = {
  s: 's',
  hidden: 'hidden',
  activation: 'activation',
  stepFactor: 'step_factor',
  iters: 'iters',
  seed: 'seed',
  testFraction: 'test_fraction',
  samples: 'samples',
  ridge: 'ridge',
  refine: 'refine',
  stopWhenStable: 'stop_when_stable',
};

const CPP_RULE = { auto: 'automatic', bound: 'bound', estimate: 'estimate', normalized: 'normalized', backtracking: 'backtracking' };

const listOf = (value) => (Array.isArray(value) ? value : String(value).split(',').filter((x) => x !== '').map(Number));

function sameAsDefault(spec, value) {
  if (spec.type === 'integer-list') return listOf(value).join(',') === listOf(spec.default ?? []).join(',');
  return value === spec.default;
}

// Data sets whose network, when `hidden` is not given, is their own (the
// package's default for them), not the table's.
const OWN_NETWORK = new Set(['digits']);

/**
 * The options to write out: [{ name, flag, type, value }] in the option
 * table's order, s always (and hidden for a data set with a network of its
 * own), the others only where they differ from the default.
 */
export function snippetOptions(options, table, data = 'iris') {
  const out = [];
  const always = new Set(['s', ...(OWN_NETWORK.has(data) ? ['hidden'] : [])]);
  for (const spec of table) {
    if (!Object.hasOwn(options, spec.name) || spec.name === 'data') continue;
    const value = options[spec.name];
    if (!always.has(spec.name) && sameAsDefault(spec, value)) continue;
    out.push({ name: spec.name, flag: spec.flag, type: spec.type, value });
  }
  return out;
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word) {
  const text = String(word);
  return /^[A-Za-z0-9_./,:=+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

const BUILT_IN = new Set(['iris', 'digits']);

function cliValue({ type, value }) {
  if (type === 'boolean') return value ? 'on' : 'off';
  if (type === 'integer-list') return listOf(value).join(',');
  return String(value);
}

/**
 * The native command: `iht train --s 5 …`. data: 'iris', 'digits' or the CSV
 * file's name (run from the folder that holds it).
 */
export function nativeCommand(options, { table, data = 'iris' }) {
  const words = ['iht', 'train'];
  for (const o of snippetOptions(options, table, data)) {
    // An empty list (no hidden layer) is written '' (shellQuote quotes it).
    words.push(o.flag, cliValue(o));
  }
  if (data !== 'iris') words.push('--data', data);
  return words.map(shellQuote).join(' ');
}

function jsValue({ type, value }) {
  if (type === 'integer-list') return `[${listOf(value).join(', ')}]`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** A JavaScript (Node, ESM) program using the npm package. */
export function jsSnippet(options, { table, data = 'iris' }) {
  const fields = snippetOptions(options, table, data).map((o) => `${o.name}: ${jsValue(o)}`);
  const lines = ['// npm install sparse-iht', 'import load from "sparse-iht";'];
  if (!BUILT_IN.has(data)) lines.push('import { readFile } from "node:fs/promises";');
  lines.push('', 'const iht = await load();');
  if (data === 'digits') fields.push('data: "digits"');
  else if (data !== 'iris') {
    lines.push(`const csv = await readFile(${JSON.stringify(data)}, "utf8");`);
    fields.push(`data: { csv, name: ${JSON.stringify(data)} }`);
  }
  lines.push(`const result = iht.train({ ${fields.join(', ')} });`);
  lines.push('console.log(JSON.stringify({ theta: Array.from(result.theta), testAccuracy: result.testAccuracy }));');
  return lines.join('\n');
}

function cppNumber(value) {
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** A C++17 program using the library (link sparse_iht_core). */
export function cppSnippet(options, { table, data = 'iris' }) {
  const lines = ['#include <iomanip>', '#include <iostream>', '#include <vector>', ''];
  lines.push(data === 'iris' ? '#include "sparse_iht/iris.hpp"' : data === 'digits' ? '#include "sparse_iht/digits.hpp"' : '#include "sparse_iht/csv.hpp"');
  lines.push('#include "sparse_iht/trainer.hpp"', '', 'int main() {', '  sparse_iht::RunOptions options;  // the command line\'s defaults');
  for (const o of snippetOptions(options, table, data)) {
    if (o.name === 'step') {
      if (typeof o.value === 'number') lines.push(`  options.step = ${cppNumber(o.value)};  // a fixed step`);
      else lines.push(`  options.step_rule = sparse_iht::StepRule::${CPP_RULE[o.value]};`);
      continue;
    }
    const field = CPP_FIELD[o.name];
    if (!field) continue;
    let value;
    // std::vector<int>{}: a bare {} would unset the optional (the data set's default).
    if (o.type === 'integer-list') value = `std::vector<int>{${listOf(o.value).join(', ')}}`;
    else if (o.type === 'boolean') value = o.value ? 'true' : 'false';
    else if (o.name === 'activation') value = `sparse_iht::Activation::${o.value}`;
    else if (o.type === 'number') value = cppNumber(o.value);
    else value = String(o.value);
    lines.push(`  options.${field} = ${value};`);
  }
  const dataset =
    data === 'iris' ? 'sparse_iht::iris()' : data === 'digits' ? 'sparse_iht::digits()' : `sparse_iht::load_csv_file(${JSON.stringify(data)})`;
  lines.push(`  const sparse_iht::TrainResult r = sparse_iht::train(options, ${dataset});`);
  lines.push('  std::cout << std::setprecision(17) << r.theta.transpose() << "\\n";', '}');
  return lines.join('\n');
}

/** The three snippets for a state's run options. */
export function snippets(options, context) {
  return {
    native: nativeCommand(options, context),
    js: jsSnippet(options, context),
    cpp: cppSnippet(options, context),
  };
}
