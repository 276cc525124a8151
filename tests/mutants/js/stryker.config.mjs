// Stryker for the JavaScript half of `npm run mutants` (issue #10): mutates the
// package's API body and the page's state and protocol modules, and runs the
// Node tests that exercise them against each mutant. Run it through
// tests/mutants/js/run.sh, from the repository root: every path below is
// relative to the root, and Stryker only ever writes under build/mutants/js/.
//
// Stryker is pinned at 9.6.1 (package.json here), the last release that runs
// on Node 20, the project's Node: Stryker 10 refuses to start below Node 22.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OUT = 'build/mutants/js';

// Every Node test file but these, so a new one joins by itself. Each of these
// takes 9 s to minutes per run and tests something other than these modules'
// logic: package.test.mjs packs and installs the tarball and runs tsc;
// bad-inputs.test.mjs and native-parity.test.mjs spawn both command lines
// many times; memory.test.mjs runs 1,000-round leak loops (the API paths it
// crosses are in trainer.test.mjs too). Two more check the whole repository,
// which the sandbox does not hold: cmake-consumer.test.mjs configures the C++
// project, and readme.test.mjs checks the README's layout, C++ example and
// bench tables (the API calls its examples make are the other files' too).
const SLOW = [
  'package.test.mjs', 'bad-inputs.test.mjs', 'native-parity.test.mjs', 'memory.test.mjs',
  'cmake-consumer.test.mjs', 'readme.test.mjs',
];
const TESTS = readdirSync(fileURLToPath(new URL('../../node', import.meta.url)))
  .filter((name) => name.endsWith('.test.mjs') && !SLOW.includes(name))
  .sort()
  .map((name) => `tests/node/${name}`);

export default {
  mutate: ['wasm/js/api.js', 'web/state.js', 'web/protocol.js'],

  // The tap runner starts one `node` per test file (so a mutant in module
  // scope is seen fresh by every file), reads node:test's TAP output, and
  // records which test file reaches which mutant: a mutant then runs only
  // the files that reach it.
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  tap: {
    testFiles: TESTS,
    nodeArgs: ['--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
    forceBail: true,
  },
  coverageAnalysis: 'perTest',

  // The tests import dist/index.mjs, which scripts/build-package.mjs wraps
  // around wasm/js/api.js. In the sandbox (a copy of the repository under
  // tempDirName) api.js carries every mutant behind a switch, so one build
  // there serves them all; it reuses the WebAssembly core already built in
  // build/wasm and needs no emcc. The real dist/ is never touched.
  buildCommand: 'node scripts/build-package.mjs',

  // Only what the tests and the build read goes into the sandbox.
  ignorePatterns: [
    '/*',
    '!/package.json',
    '!/scripts',
    '!/tests',
    '!/wasm',
    '!/web',
    '!/build',
    '/build/**',
    '!/build/wasm/sparse-iht-core.mjs',
    // The browser module's WebAssembly is its own file (issue #18).
    '!/build/wasm/sparse-iht-core.wasm',
    '!/build/wasm/sparse-iht-core-node.cjs',
    // Tests that compare the API with the command line check it is built.
    '!/build/native/iht',
    // The C++ sources: scripts/build-package.mjs writes the digits data module
    // from core/src/digits_table.cpp.
    '!/core',
    // data-memory.test.mjs writes its large CSV files with bench/lib/big-csv.mjs.
    '!/bench',
    '/bench/**',
    '!/bench/lib/**',
    '/tests/browser',
    '/tests/core',
    '/tests/fuzz',
    '/tests/mutants',
  ],

  // Two cores, shared with the rest of the machine; the wasm tests are
  // CPU-bound, so a loaded machine can take several times the dry run's time.
  concurrency: 2,
  timeoutFactor: 4,
  timeoutMS: 20000,
  dryRunTimeoutMinutes: 15,

  tempDirName: `${OUT}/tmp`,
  cleanTempDir: true,
  incrementalFile: `${OUT}/incremental.json`,
  reporters: ['progress-append-only', 'clear-text', 'html', 'json'],
  // summary.mjs lists the survivors, with the reasons from equivalent.json.
  clearTextReporter: { allowColor: false, logTests: false, reportTests: false, reportMutants: false },
  htmlReporter: { fileName: `${OUT}/report.html` },
  jsonReporter: { fileName: `${OUT}/report.json` },
  thresholds: { high: 95, low: 85, break: null },
};
