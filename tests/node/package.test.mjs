// The npm package as a user gets it: `npm pack`, the tarball's file list,
// then a fresh project that installs the tarball (offline: no dependencies)
// and uses it from ESM, from CommonJS, from the `sparse-iht` command and from
// TypeScript (nodenext, bundler and node10 resolution, strict).
//
// `npm pack` runs the package's prepack script (bash scripts/build.sh wasm)
// unless scripts are ignored. The suite sets npm_config_ignore_scripts=true:
// scripts/test.sh builds everything just before running the suite, a rebuild
// here would cost 3–30 s and would rewrite dist/ while other test files read
// it, and a half-edited source from a concurrent change could break the build
// mid-test. Instead, the first test checks that dist/ is what the current
// sources build to, so the tarball is not a stale one.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import load from '../../dist/index.node.mjs';
import { DIST, ROOT, run, runNative, TSC } from './helpers.mjs';
import { patchLoader } from '../../scripts/patch-loader.mjs';

// execFile as a promise of { status, stdout }, whatever the exit status.
const execFileStatus = (file, args, options) => new Promise((resolve) => {
  execFile(file, args, { encoding: 'utf8', maxBuffer: 16 << 20, ...options }, (error, stdout, stderr) => {
    resolve({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout: stdout + stderr });
  });
});

const DIST_FILES = ['index.mjs', 'index.node.mjs', 'index.cjs', 'index.d.mts', 'index.d.cts', 'cli.mjs',
  'sparse-iht-core.mjs', 'sparse-iht-core.wasm', 'sparse-iht-core-node.cjs', 'digits.mjs', 'digits.cjs', 'digits.d.mts', 'digits.d.cts'];
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

const env = {
  ...process.env,
  npm_config_ignore_scripts: 'true',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};
const npm = (args, cwd) => {
  const r = run('npm', args, { cwd, env });
  assert.equal(r.status, 0, `npm ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

const tmp = mkdtempSync(join(tmpdir(), 'sparse-iht-package-'));
const project = join(tmp, 'project');
let tarball;
let files;
after(() => rmSync(tmp, { recursive: true, force: true }));

before(() => {
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], ROOT));
  tarball = join(tmp, packed[0].filename);
  assert.ok(existsSync(tarball), tarball);
  files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
});

test('dist/ is what the current sources build to (so the tarball is not stale)', () => {
  const api = readFileSync(join(ROOT, 'wasm/js/api.js'), 'utf8');
  const types = readFileSync(join(ROOT, 'wasm/types/sparse-iht.d.ts'), 'utf8');
  const stale = 'dist/ is older than the sources: run bash scripts/build.sh wasm';
  for (const file of ['index.mjs', 'index.cjs']) {
    assert.ok(readFileSync(join(DIST, file), 'utf8').includes(api), `${file}: ${stale}`);
  }
  // The shipped types are the source with the option interfaces generated
  // from the core's option table at the marker.
  const [before, after] = types.split('// @generated option interfaces\n');
  assert.ok(after !== undefined, 'wasm/types/sparse-iht.d.ts has the marker of the generated interfaces');
  for (const file of ['index.d.mts', 'index.d.cts']) {
    const shipped = readFileSync(join(DIST, file), 'utf8');
    assert.ok(shipped.startsWith(before) && shipped.endsWith(after), `${file}: ${stale}`);
  }
  assert.equal(readFileSync(join(DIST, 'cli.mjs'), 'utf8'),
    readFileSync(join(ROOT, 'wasm/js/cli.mjs'), 'utf8'), `cli.mjs: ${stale}`);
  for (const file of ['sparse-iht-core.mjs', 'sparse-iht-core-node.cjs']) {
    const built = join(ROOT, 'build/wasm', file);
    assert.ok(readFileSync(join(DIST, file), 'utf8') === patchLoader(readFileSync(built, 'utf8'), built),
      `${file}: ${stale}`);
  }
  assert.ok(readFileSync(join(DIST, 'sparse-iht-core.wasm')).equals(readFileSync(join(ROOT, 'build/wasm/sparse-iht-core.wasm'))),
    `sparse-iht-core.wasm: ${stale}`);
  assert.match(pkg.scripts.prepack ?? '', /build\.sh wasm/, 'a real npm pack/publish rebuilds first');
});

describe('the tarball', () => {
  test('holds exactly what a user needs', () => {
    const extras = readdirSync(ROOT).filter((f) => /^(readme|license|licence)(\.[a-z]+)?$/i.test(f));
    const expected = [...DIST_FILES.map((f) => `dist/${f}`), 'package.json', ...extras]
      .map((f) => `package/${f}`).sort();
    assert.deepEqual([...files].sort(), expected);
  });

  test('every path package.json points at is in it', () => {
    const packed = JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' }));
    const targets = [];
    const walk = (v) => {
      if (typeof v === 'string') targets.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk([packed.main, packed.module, packed.types, packed.exports, packed.bin]);
    assert.ok(targets.length >= 8, `${targets.length} targets`);
    for (const target of targets) {
      assert.ok(files.includes(`package/${target.replace(/^\.\//, '')}`), `${target} is not packed`);
    }
    const cli = execFileSync('tar', ['-xOzf', tarball, 'package/dist/cli.mjs'], { encoding: 'utf8' });
    assert.match(cli, /^#!\/usr\/bin\/env node\n/, 'the bin has a node shebang');
    assert.equal(packed.dependencies, undefined, 'no runtime dependencies');

  });
});

describe('a fresh project that installs the tarball', () => {
  let reference;
  before(async () => {
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'),
      JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }, null, 2));
    npm(['install', tarball, '--offline', '--no-audit', '--no-fund'], project);
    const iht = await load();
    reference = iht.train({ s: 3 });
  });

  const SCRIPT_BODY = `
const iht = await load();
const r = iht.train({ s: 3 });
console.log(JSON.stringify({ status: r.status, trainLoss: r.trainLoss, theta: Array.from(r.theta),
  support: Array.from(r.support), version: iht.version, thetaType: r.theta.constructor.name }));`;

  const checkOutput = (stdout) => {
    const lines = stdout.trim().split('\n');
    const out = JSON.parse(lines.at(-1));
    assert.equal(out.status, reference.status);
    assert.equal(out.trainLoss, reference.trainLoss);
    assert.deepEqual(out.theta, Array.from(reference.theta));
    assert.deepEqual(out.support, [...reference.support]);
    assert.equal(out.version, pkg.version);
    assert.equal(out.thetaType, 'Float64Array');
    return lines;
  };

  test("ESM: import load from 'sparse-iht' trains", () => {
    writeFileSync(join(project, 'default.mjs'),
      `import load from 'sparse-iht';\nconsole.log(import.meta.resolve('sparse-iht'));\n${SCRIPT_BODY}\n`);
    const r = run(process.execPath, ['default.mjs'], { cwd: project });
    assert.equal(r.status, 0, r.stderr);
    const [resolved] = checkOutput(r.stdout);
    // Node's loader takes the "node" condition: the entry that passes the digits data module.
    assert.match(resolved, /\/project\/node_modules\/sparse-iht\/dist\/index\.node\.mjs$/, 'the installed copy');
  });

  test("ESM: import { load } from 'sparse-iht' trains", () => {
    writeFileSync(join(project, 'named.mjs'), `import { load } from 'sparse-iht';\n${SCRIPT_BODY}\n`);
    const r = run(process.execPath, ['named.mjs'], { cwd: project });
    assert.equal(r.status, 0, r.stderr);
    checkOutput(r.stdout);
  });

  test("data: 'digits' from the installed copy: ESM imports its data module, CommonJS has it built in", () => {
    writeFileSync(join(project, 'digits.mjs'), `import load from 'sparse-iht';
import digits from 'sparse-iht/digits';
const iht = await load();
const a = iht.train({ data: 'digits', iters: 2 });
const b = iht.train({ data: digits, iters: 2 });
console.log(JSON.stringify([a.s, a.sizes, Array.from(a.theta).join() === Array.from(b.theta).join()]));`);
    writeFileSync(join(project, 'digits.cjs'), `require('sparse-iht').load().then((iht) => {
  const r = iht.train({ data: 'digits', iters: 2 });
  console.log(JSON.stringify([r.s, r.sizes, require('sparse-iht/digits').default.images]));
});`);
    const esm = run(process.execPath, ['digits.mjs'], { cwd: project });
    assert.equal(esm.status, 0, esm.stderr);
    assert.deepEqual(JSON.parse(esm.stdout), [241, [64, 32, 10], true]);
    const cjs = run(process.execPath, ['digits.cjs'], { cwd: project });
    assert.equal(cjs.status, 0, cjs.stderr);
    assert.deepEqual(JSON.parse(cjs.stdout), [241, [64, 32, 10], 1797]);
  });

  test("CommonJS: require('sparse-iht').load() trains", () => {
    writeFileSync(join(project, 'common.cjs'), `const m = require('sparse-iht');
if (m.default !== m.load) throw new Error('default export');
console.log(require.resolve('sparse-iht'));
m.load().then((iht) => {
  const r = iht.train({ s: 3 });
  console.log(JSON.stringify({ status: r.status, trainLoss: r.trainLoss, theta: Array.from(r.theta),
    support: Array.from(r.support), version: iht.version, thetaType: r.theta.constructor.name }));
});
`);
    const r = run(process.execPath, ['common.cjs'], { cwd: project });
    assert.equal(r.status, 0, r.stderr);
    const [resolved] = checkOutput(r.stdout);
    assert.match(resolved, /\/project\/node_modules\/sparse-iht\/dist\/index\.cjs$/);
  });

  test('npx --no-install sparse-iht train --s 3 prints the train summary', () => {
    const r = run('npx', ['--no-install', 'sparse-iht', 'train', '--s', '3'], { cwd: project, env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^data: {7}iris: 150 samples/);
    assert.match(r.stdout, /nonzero parameters: 3 of 15/);
    assert.equal(r.stdout, runNative(['train', '--s', '3']).stdout, 'the same text as the native iht');

    const bad = run('npx', ['--no-install', 'sparse-iht', 'train', '--s', '0'], { cwd: project, env });
    assert.equal(bad.status, 2, 'the exit status passes through the bin');
    assert.match(bad.stderr, /iht: --s: /);
  });

  describe('TypeScript (strict) against the installed types', () => {
    const MTS = `import load, { load as namedLoad } from 'sparse-iht';
import type {
  Activation, Dataset, L2sOptions, L2sResult, SparseIht, Status, SweepOptions, SweepResult, Trainer,
  TrainerState, TrainResult,
} from 'sparse-iht';

export async function main(): Promise<number> {
  const iht: SparseIht = await load();
  const same: SparseIht = await namedLoad({ wasmBinary: new Uint8Array(0) });
  const r: TrainResult = iht.train({ s: 5, hidden: [8], activation: 'relu', step: 'auto', standardize: true });
  const x: number = r.trainLoss;
  const theta: Float64Array = r.theta;
  const support: Int32Array = r.support;
  const test: number | null = r.testLoss;
  const status: Status = r.status;
  const stable: boolean = r.htStable.stable;
  const losses: Float64Array = r.history.loss;
  const activation: Activation = r.activation;
  const sweepOptions: SweepOptions = { hidden: '4,4', iters: 10 };
  const sweep: SweepResult = iht.sweep(sweepOptions, (done, total) => done < total);
  const gap: number = sweep.points[0].gapToDense;
  const l2sOptions: L2sOptions = { s: 3, samples: 10, firstPair: 20 };
  const l2s: L2sResult = iht.estimateL2s(l2sOptions);
  const p99: number = l2s.quantiles.p99;
  const data: Dataset = iht.iris();
  const other: TrainResult = same.train({ data: { csv: 'a,b,c\\n1,2,x\\n', name: 'mine' } });
  const again: TrainResult = iht.train({ data });
  const trainer: Trainer = iht.createTrainer({ s: 3, step: 0.5 });
  const next: Status = trainer.advance(7);
  const state: TrainerState = trainer.state();
  const l2sBehind: number | null = state.l2s;
  trainer.free();
  const freed: boolean = trainer.freed;
  const bytes: number = iht.heapInUse();
  const live: number = iht.liveTrainers;
  const cli: { status: number; stdout: string } = iht.runCli(['train', '--data', 'x.csv'], { 'x.csv': 'a,b\\n' });

  // Each line below must be a type error; tsc fails if the types are too loose.
  // @ts-expect-error testLoss is null without a test set
  const t2: number = r.testLoss;
  // @ts-expect-error activation is one of tanh, relu, sigmoid
  iht.train({ activation: 'swish' });
  // @ts-expect-error s is a number
  iht.train({ s: '5' });
  // @ts-expect-error there is no option 'speed'
  iht.train({ speed: 3 });
  // @ts-expect-error no such field
  r.nonexistent;
  // @ts-expect-error theta is a Float64Array, not number[]
  const arr: number[] = r.theta;
  // @ts-expect-error 'done' is not a status
  const st: Status = 'done';
  // @ts-expect-error load() returns a promise
  load().train({});
  // @ts-expect-error advance takes a number
  trainer.advance('7');
  // @ts-expect-error estimateL2s takes no training options
  iht.estimateL2s({ iters: 5 });
  // @ts-expect-error sweep covers every s, so it takes no s
  iht.sweep({ s: 3 });
  // @ts-expect-error liveTrainers is read-only
  iht.liveTrainers = 0;

  return x + theta[0] + support[0] + (test ?? 0) + gap + p99 + t2 + arr.length + losses[0] + next.length +
    Number(stable) + status.length + activation.length + other.n + again.n + (l2sBehind ?? 0) + cli.status +
    st.length + Number(freed) + bytes + live;
}
`;
    // The digits data module is a subpath export ('sparse-iht/digits'), which
    // the resolutions that read package.json's exports find.
    const DIGITS_MTS = `import load from 'sparse-iht';
import digits from 'sparse-iht/digits';
import type { DatasetHandle, DigitsData, ModelDescription } from 'sparse-iht';

export async function main(): Promise<number> {
  const data: DigitsData = digits;
  const iht = await load({ digits });
  const d: ModelDescription = iht.describe({ data: 'digits' });
  const shape: [number, number] | null = d.imageShape;
  const handle: DatasetHandle = iht.loadData(data);
  const again = iht.train({ data: handle, iters: 2 }).n + iht.train({ data, iters: 2 }).n;
  handle.free();
  // @ts-expect-error the text is read-only
  digits.text = '';
  // @ts-expect-error digits must be the data module, not a name
  await load({ digits: 'digits' });
  return d.defaultS + (shape ? shape[0] : 0) + again + iht.digits().numSamples;
}
`;
    const CTS = `import load, { load as namedLoad } from 'sparse-iht';
import type { SparseIht, TrainResult } from 'sparse-iht';

export async function main(): Promise<number> {
  const iht: SparseIht = await load();
  const iht2: SparseIht = await namedLoad();
  const r: TrainResult = iht.train({ s: 5 });
  const x: number = r.trainLoss;
  const theta: Float64Array = iht2.train({ s: 3, seed: 2 }).theta;
  // @ts-expect-error activation is one of tanh, relu, sigmoid
  iht2.train({ activation: 'swish' });
  // @ts-expect-error testLoss is null without a test set
  const t: number = r.testLoss;
  return x + theta[0] + t;
}
`;
    const MODES = [
      { name: 'nodenext', module: 'nodenext', moduleResolution: 'nodenext', expect: { mts: 'index.d.mts', cts: 'index.d.cts', digits: 'digits.d.mts' }, digits: true },
      { name: 'bundler', module: 'esnext', moduleResolution: 'bundler', expect: { mts: 'index.d.mts', digits: 'digits.d.mts' }, digits: true },
      { name: 'node10', module: 'commonjs', moduleResolution: 'node10', expect: { cts: 'index.d.cts' } },
    ];

    before(() => {
      writeFileSync(join(project, 'use.mts'), MTS);
      writeFileSync(join(project, 'use.cts'), CTS);
      writeFileSync(join(project, 'digits.mts'), DIGITS_MTS);
      for (const mode of MODES) {
        writeFileSync(join(project, `tsconfig.${mode.name}.json`), JSON.stringify({
          compilerOptions: {
            strict: true, noEmit: true, target: 'es2022', lib: ['es2022'], types: [],
            module: mode.module, moduleResolution: mode.moduleResolution,
          },
          files: ['use.mts', 'use.cts', ...(mode.digits ? ['digits.mts'] : [])],
        }, null, 2));
      }
    });

    // The three tsc runs take ~2.5 s each: the first test starts all of them at once.
    const runs = {};
    const tsc = (mode) => {
      runs[mode.name] ??= execFileStatus(process.execPath,
        [TSC, '-p', `tsconfig.${mode.name}.json`, '--listFiles'], { cwd: project });
      return runs[mode.name];
    };

    for (const mode of MODES) {
      test(`tsc --module ${mode.module} --moduleResolution ${mode.moduleResolution}`, async () => {
        MODES.forEach(tsc);
        const { status, stdout } = await tsc(mode);
        const errors = stdout.split('\n').filter((l) => /error TS/.test(l)).join('\n');
        assert.equal(status, 0, `tsc failed:\n${errors || stdout}`);
        // The usage files were checked against the installed package's types.
        const listed = stdout.split('\n');
        for (const file of ['use.mts', 'use.cts', ...(mode.digits ? ['digits.mts'] : [])]) {
          assert.ok(listed.some((l) => l.endsWith(`/project/${file}`)), `${file} was checked`);
        }
        for (const dts of Object.values(mode.expect)) {
          assert.ok(listed.some((l) => l.endsWith(`/project/node_modules/sparse-iht/dist/${dts}`)),
            `${dts} was used`);
        }
      });
    }
  });
});
