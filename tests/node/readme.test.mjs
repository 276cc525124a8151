// The README, run (issue #16). Every fenced code block carries a marker
// (readme-blocks.mjs) and is run or compared here, or in
// tests/browser/readme.test.mjs for the blocks that need a browser. The
// option table and the command synopsis are compared with `iht <command>
// --help`, and the figures the text quotes with the files and commands they
// come from. A README edit that breaks an example, or a code change that makes
// a quoted figure false, fails here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, mkdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { DIST, NATIVE_IHT, ROOT, requireBuilt, run, runNative } from './helpers.mjs';
import { KINDS, fencedBlocks, fixtureFiles, markdownTable, readmeText } from './readme-blocks.mjs';

requireBuilt();
const text = readmeText();
const blocks = fencedBlocks(text);
const marked = (kind) => blocks.filter((b) => b.marker?.kind === kind);
const where = (b) => `README.md:${b.line}`;

let scratch;
before(() => {
  // A project in which `sparse-iht` resolves to this package through its
  // package.json exports, as it does after `npm install`.
  scratch = mkdtempSync(join(tmpdir(), 'sparse-iht-readme-'));
  mkdirSync(join(scratch, 'node_modules'));
  symlinkSync(ROOT, join(scratch, 'node_modules', 'sparse-iht'), 'dir');
});
after(() => rmSync(scratch, { recursive: true, force: true }));

function withFixtures(dir, b) {
  for (const [name, from] of fixtureFiles(b.marker.args)) copyFileSync(from, join(dir, name));
}

function expectOutput(b, r) {
  assert.equal(r.status, 0, `${where(b)} exited ${r.status}:\n${r.stderr}`);
  if (b.marker.args.expect) {
    assert.match(r.stdout, new RegExp(b.marker.args.expect, 'm'), `${where(b)}: its output`);
  }
}

describe('every code block of the README is checked', () => {
  test('each fence has a readme-test marker of a known kind', () => {
    assert.ok(blocks.length >= 12, `only ${blocks.length} blocks found`);
    for (const b of blocks) {
      assert.ok(b.marker, `${where(b)}: a \`\`\`${b.lang} block without a <!-- readme-test: … --> marker`);
      assert.ok(KINDS.includes(b.marker.kind), `${where(b)}: unknown kind '${b.marker.kind}'`);
      if (b.marker.kind === 'skip') assert.ok(String(b.marker.args.reason ?? '').length > 10, `${where(b)}: a skip needs a reason`);
      for (const [, from] of fixtureFiles(b.marker.args)) assert.ok(existsSync(from), `${where(b)}: ${from} is missing`);
    }
  });

  test('every kind that needs a block has one', () => {
    for (const kind of ['node', 'cjs', 'shell', 'synopsis', 'cmake', 'cpp', 'browser', 'iframe', 'layout']) {
      assert.ok(marked(kind).length > 0, `no README block of kind ${kind}`);
    }
  });
});

describe('README examples run as written', () => {
  // A `continue` block is appended to the node block before it (the snippet
  // uses its `iht`), and the two run as one module.
  const programs = [];
  for (const b of marked('node')) {
    if (b.marker.args.continue) {
      const last = programs.at(-1);
      assert.ok(last, `${where(b)}: continues nothing`);
      last.parts.push(b);
    } else programs.push({ parts: [b] });
  }

  for (const { parts } of programs) {
    test(`Node: ${parts.map(where).join(' + ')}`, () => {
      const dir = mkdtempSync(join(scratch, 'node-'));
      symlinkSync(join(scratch, 'node_modules'), join(dir, 'node_modules'), 'dir');
      parts.forEach((b) => withFixtures(dir, b));
      writeFileSync(join(dir, 'example.mjs'), parts.map((b) => b.body).join('\n'));
      const r = run(process.execPath, ['example.mjs'], { cwd: dir });
      for (const b of parts) expectOutput(b, r);
    });
  }

  for (const b of marked('cjs')) {
    test(`CommonJS: ${where(b)}`, () => {
      const dir = mkdtempSync(join(scratch, 'cjs-'));
      symlinkSync(join(scratch, 'node_modules'), join(dir, 'node_modules'), 'dir');
      withFixtures(dir, b);
      writeFileSync(join(dir, 'example.cjs'), b.body);
      expectOutput(b, run(process.execPath, ['example.cjs'], { cwd: dir }));
    });
  }

  for (const b of marked('shell')) {
    test(`shell: ${where(b)}`, () => {
      const dir = mkdtempSync(join(scratch, 'sh-'));
      withFixtures(dir, b);
      const status = Number(b.marker.args.status ?? 0);
      const steps = [];
      for (const line of b.body.split('\n')) {
        if (line.startsWith('$ ')) steps.push({ command: line.slice(2), output: [] });
        else steps.at(-1)?.output.push(line);
      }
      assert.ok(steps.length > 0, `${where(b)}: no $ command`);
      const env = { ...process.env, PATH: `${dirname(NATIVE_IHT)}${delimiter}${process.env.PATH}` };
      for (const { command, output } of steps) {
        const r = run('bash', ['-c', command], { cwd: dir, env });
        assert.equal(r.status, status, `${command}: exit status`);
        assert.equal((r.stdout + r.stderr).trimEnd(), output.join('\n').trimEnd(), `${command}: its output as the README shows it`);
      }
    });
  }

  for (const b of marked('cpp')) {
    test(`C++: ${where(b)} compiles against the library and trains`, () => {
      // The library is the native build's; cmake-consumer.test.mjs checks the
      // README's CMake lines against a consuming project.
      const dir = mkdtempSync(join(scratch, 'cpp-'));
      const lines = b.body.split('\n');
      const includes = lines.filter((l) => l.startsWith('#include'));
      const statements = lines.filter((l) => !l.startsWith('#include'));
      writeFileSync(
        join(dir, 'main.cpp'),
        [...includes, '#include <cstdio>', 'int main() {', ...statements,
          '  std::printf("%.4f\\n", r.test_accuracy.value_or(-1));', '}', ''].join('\n'),
      );
      const lib = join(ROOT, 'build', 'native', 'libsparse_iht_core.a');
      const cc = run('g++', ['-std=c++17', '-O1', '-I', join(ROOT, 'core', 'include'), '-I', '/usr/include/eigen3',
        join(dir, 'main.cpp'), lib, '-o', join(dir, 'app')]);
      assert.equal(cc.status, 0, cc.stderr);
      const r = run(join(dir, 'app'), []);
      expectOutput(b, r);
    });
  }

  test('layout: every path the layout block names exists', () => {
    const [b] = marked('layout');
    for (const line of b.body.split('\n').filter(Boolean)) {
      const path = line.split(/\s+/)[0];
      const [head, alternatives] = path.includes('|') ? [path.slice(0, path.lastIndexOf('/') + 1), path.slice(path.lastIndexOf('/') + 1).split('|')] : ['', [path]];
      for (const alt of alternatives) assert.ok(existsSync(join(ROOT, head + alt)), `${where(b)}: ${head + alt} does not exist`);
    }
  });
});

// ---- The command line's options ----------------------------------------------

const COMMANDS = ['train', 'sweep', 'lipschitz'];

/** `iht <command> --help` as Map(flag → default text or null). */
function helpOptions(command) {
  const r = runNative([command, '--help']);
  assert.equal(r.status, 0, r.stderr);
  const options = new Map();
  let last = null;
  for (const line of r.stdout.split('\n')) {
    const m = line.match(/^ {2}(?:-h, )?(--[a-z-]+)(?: \S+)?(?:\s+(.*))?$/);
    if (m) {
      if (m[1] === '--help') { last = null; continue; }
      last = m[1];
      const d = (m[2] ?? '').match(/\(default ([^()]*)\)$/);
      options.set(last, d ? d[1] : null);
    } else if (last) {
      const d = line.match(/^\s+default: (.*)$/) ?? line.match(/\(default ([^()]*)\)$/);
      if (d) options.set(last, d[1]);
    }
  }
  return options;
}

describe("the README's command line matches `iht <command> --help`", () => {
  const help = Object.fromEntries(COMMANDS.map((c) => [c, helpOptions(c)]));

  test('the synopsis lists exactly each command’s flags', () => {
    const [b] = marked('synopsis');
    const entries = {};
    let current = null;
    for (const line of b.body.split('\n')) {
      const m = line.match(/^iht (\w+)\s+(.*)$/);
      if (m) [current, entries[m[1]]] = [m[1], m[2]];
      else if (current) entries[current] += ` ${line.trim()}`;
    }
    assert.deepEqual(Object.keys(entries).sort(), [...COMMANDS].sort());
    const flags = (s) => new Set([...s.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]));
    const listed = Object.fromEntries(COMMANDS.map((c) => [c, flags(entries[c])]));
    // "the same options without --s, plus …"
    if (/the same options without --s/.test(entries.sweep)) {
      listed.sweep = new Set([...listed.train, ...[...listed.sweep].filter((f) => f !== '--s')]);
      listed.sweep.delete('--s');
    }
    for (const c of COMMANDS) {
      assert.deepEqual([...listed[c]].sort(), [...help[c].keys()].sort(), `iht ${c}: the synopsis against --help`);
    }
  });

  test('the option table has one row per flag, with --help’s default', () => {
    const rows = markdownTable(text, '| option | meaning | default |');
    const all = new Map(COMMANDS.flatMap((c) => [...help[c]]));
    const seen = new Set();
    for (const [option, meaning, def] of rows) {
      const flag = option.match(/`(--[a-z-]+)/)?.[1];
      assert.ok(flag && all.has(flag), `the table's ${option} is no command's option`);
      seen.add(flag);
      const scope = meaning.match(/^\((\w+)\)/)?.[1];
      const takers = COMMANDS.filter((c) => help[c].has(flag));
      if (scope) assert.deepEqual(takers, [scope], `${flag}: the table says only ${scope}`);
      else assert.ok(takers.includes('train'), `${flag}: a row without a (command) prefix is a train option`);
      const expected = all.get(flag);
      if (expected !== null) {
        const cell = def.replace(/`/g, '');
        assert.ok(cell === expected || cell.startsWith(`${expected} (`),
          `${flag}: the table's default '${cell}' is not --help's '${expected}'`);
      }
    }
    assert.deepEqual([...all.keys()].filter((f) => !seen.has(f)), [], 'flags missing from the table');
  });
});

// ---- Figures quoted in the text ----------------------------------------------

const KB = (bytes) => Math.round(bytes / 1000);

describe('figures the README quotes come from where it says', () => {
  test('the three paper tables are what scripts/paper-table.mjs prints', () => {
    for (const extra of [[], ['--step', 'estimate'], ['--ridge', '1e-2']]) {
      const r = run(process.execPath, [join(ROOT, 'scripts', 'paper-table.mjs'), '--warm', 'off', '--baselines', 'off', ...extra]);
      assert.equal(r.status, 0, r.stderr);
      const rows = r.stdout.split('\n').filter((l) => /^\| (\d+|dense)/.test(l));
      assert.ok(rows.length === 16, `paper-table ${extra.join(' ')}: ${rows.length} rows`);
      for (const row of rows) assert.ok(text.includes(`\n${row}\n`), `paper-table ${extra.join(' ')}: README lacks the row\n${row}`);
    }
  });

  test('the digits table is what scripts/deeper-table.mjs prints', () => {
    const r = run(process.execPath, [join(ROOT, 'scripts', 'deeper-table.mjs')]);
    assert.equal(r.status, 0, r.stderr);
    const rows = r.stdout.split('\n').filter((l) => /^\| (certified|the paper's)/.test(l));
    assert.equal(rows.length, 4);
    for (const row of rows) assert.ok(text.includes(`\n${row}\n`), `README lacks the row\n${row}`);
    // The seeds table's first row is the default run's.
    const seed1 = text.match(/\n\| 1 \| ([\d.]+ %) \| ([\d.]+ %) \| [\d.]+ points \|\n/);
    assert.ok(seed1, 'the seeds table');
    assert.deepEqual([seed1[1], seed1[2]], [rows[0], rows[1]].map((row) => row.split(' | ')[5]));
  });

  test('the sparsity-path table and the CV sentence are what iht sweep gives', () => {
    const path = JSON.parse(runNative(['sweep', '--json']).stdout);
    const rows = markdownTable(text, '| s | start | train loss | test acc | cold start\'s loss | magnitude pruning | L1 |');
    assert.ok(rows.length >= 5);
    const pct = (x) => `${(100 * x).toFixed(1)} %`;
    for (const [s, start, train, testAcc, cold, magnitude, l1] of rows) {
      const p = path.points.find((q) => q.s === Number(s));
      assert.ok(p, `no point s = ${s}`);
      assert.deepEqual([start, train, testAcc, cold, magnitude, l1],
        [p.start, p.trainLoss.toFixed(4), pct(p.testAccuracy), p.cold.trainLoss.toFixed(4),
          p.baselines.magnitude.trainLoss.toFixed(4), p.baselines.l1.trainLoss.toFixed(4)], `s = ${s}`);
    }
    const cv = JSON.parse(runNative(['sweep', '--cv', '5', '--json']).stdout).cv;
    const sentence = text.match(/On IRIS with `--cv 5`, the lowest mean\s+validation loss is at s = (\d+), the 1-SE rule chooses \*\*s = (\d+)\*\*, and EBIC s = (\d+)\./);
    assert.ok(sentence, 'the CV sentence');
    assert.deepEqual(sentence.slice(1).map(Number), [cv.minS, cv.chosenS, cv.criterion.chosenS]);
  });

  test('the L_2s bracket at s = 5 is what iht lipschitz prints', () => {
    const l = JSON.parse(runNative(['lipschitz', '--s', '5', '--json']).stdout);
    const m = text.match(/at s = 5 on\s+IRIS, ([\d.]+) ≤ L_2s ≤ ([\d.]+)\./);
    assert.ok(m, 'the bracket sentence');
    assert.equal(m[1], l.lower.toFixed(2));
    assert.equal(m[2], l.upper.toFixed(3));
  });

  test('the count of bad inputs is tests/bad_inputs.json’s', () => {
    const { entries } = JSON.parse(readFileSync(join(ROOT, 'tests', 'bad_inputs.json'), 'utf8'));
    const refused = entries.filter((e) => 'error' in e).length;
    const m = text.match(/`tests\/bad_inputs\.json` lists (\d+) inputs, (\d+) refused and (\d+) accepted/);
    assert.ok(m, 'the sentence');
    assert.deepEqual(m.slice(1).map(Number), [entries.length, refused, entries.length - refused]);
  });

  test('the mutant count is tests/mutants/cpp.json’s', () => {
    const list = JSON.parse(readFileSync(join(ROOT, 'tests', 'mutants', 'cpp.json'), 'utf8'));
    const mutants = Array.isArray(list) ? list : list.mutants;
    const m = text.match(/puts each of\s+the (\d+) small bugs listed in `tests\/mutants\/cpp\.json`/);
    assert.ok(m, 'the sentence');
    assert.equal(Number(m[1]), mutants.length);
    // Each mutant's `find` must still occur exactly once in its file, or
    // `npm run mutants` refuses to start: a new line of code that repeats an
    // old mutant's target once broke it without any test noticing.
    const listed = spawnSync(process.execPath, [join(ROOT, 'scripts', 'mutants.mjs'), '--list'], { encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
  });

  test('the download sizes are the built files’', () => {
    const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
    const entry = readFileSync(join(DIST, 'index.mjs'));
    const glue = readFileSync(join(DIST, 'sparse-iht-core.mjs'));
    const wasm = readFileSync(join(DIST, 'sparse-iht-core.wasm'));
    assert.doesNotMatch(glue.toString('utf8'), /AGFzbQ/, 'the browser glue embeds no WebAssembly');
    const m = text.match(/`dist\/index\.mjs` \((\d+) KB, (\d+) KB gzipped\), `dist\/sparse-iht-core\.mjs`, the\s+JavaScript glue \((\d+) KB, (\d+) KB gzipped\), and `dist\/sparse-iht-core\.wasm`, the\s+WebAssembly \((\d+) KB, (\d+) KB gzipped\): (\d+) KB in all/);
    assert.ok(m, 'the Size paragraph');
    const quoted = m.slice(1).map(Number);
    const actual = [KB(entry.length), KB(gz(entry)), KB(glue.length), KB(gz(glue)), KB(wasm.length), KB(gz(wasm)), KB(gz(entry) + gz(glue) + gz(wasm))];
    // ±1 KB: a figure is rounded, and an unrelated one-line change must not fail here.
    quoted.forEach((q, i) => assert.ok(Math.abs(q - actual[i]) <= 1, `Size paragraph: quoted ${quoted.join(', ')}; built ${actual.join(', ')}`));
    const limits = text.match(/- \*\*Browser download\.\*\* It is about (\d+) KB gzipped/);
    assert.ok(limits && Math.abs(Number(limits[1]) - actual[6]) <= 1, 'Known limitations: the download');
    // "The browser module leaves out the command line and iostreams."
    const strings = wasm.toString('latin1');
    assert.doesNotMatch(strings, /basic_ostream|usage: iht/, 'the browser module pulls in iostreams or the command line');
  });

  test('the performance summary (issue #18) is the committed run’s', async () => {
    const { summaryMarkdown } = await import(join(ROOT, 'bench', 'lib', 'report.mjs'));
    const run = JSON.parse(readFileSync(join(ROOT, 'bench', 'results', 'issue-18.json'), 'utf8'));
    assert.ok(text.includes(summaryMarkdown(run)), 'README: the table of bench/results/issue-18.json (bench/lib/report.mjs, summaryMarkdown)');
    const m = text.match(/\*\*Performance against the machine \(issue #18\)\.\*\*[\s\S]*?Measured (\d{4}-\d{2}-\d{2}) with `([^`]+)`[^;]*?; load average \(1 min\) ([\d.]+) at the start, ([\d.]+) at the end/);
    assert.ok(m, 'the sentence with the date, the command and the load average');
    assert.equal(m[1], run.date.slice(0, 10));
    assert.equal(m[2], run.command);
    assert.equal(m[3], run.loads[0].loadavg[0]);
    assert.equal(m[4], run.loads.at(-1).loadavg[0]);
  });

  test('describe({ hidden: [8] }) is as the README says', async () => {
    const { default: load } = await import(join(DIST, 'index.node.mjs'));
    const iht = await load();
    const d = iht.describe({ hidden: [8] });
    const m = text.match(/`describe\(\{ hidden: \[8\] \}\)` lists (\d+)\s+parameters, and `W2\[2\]\[5\]` runs from `h1\[5\]` to the third class/);
    assert.ok(m);
    assert.equal(d.parameters.length, Number(m[1]));
    const p = d.parameters.find((q) => q.label === 'W2[2][5]');
    assert.equal(p.from, 'h1[5]');
    assert.equal(p.to, iht.iris().classes[2]);
  });

  test("the demo's URL limits are web/state.js's", async () => {
    const { OPTIONS } = await import(join(DIST, 'options.mjs'));
    const { createState } = await import(join(ROOT, 'web', 'state.js'));
    const { FIELDS } = createState(OPTIONS);
    const m = text.match(/\*\*Limits of a link\.\*\*([\s\S]*?)\n\n/);
    assert.ok(m, 'the Limits of a link paragraph');
    const limits = [...m[1].matchAll(/`(\w+)` ≤ ([\d,.]+)/g)];
    assert.ok(limits.length >= 5, 'the paragraph quotes the limits');
    for (const [, key, max] of limits) {
      assert.ok(FIELDS[key], `${key} is no URL setting`);
      assert.equal(FIELDS[key].max, Number(max.replace(/,/g, '')), `${key}'s maximum`);
    }
    const layers = m[1].match(/at most (\d+) hidden layers/);
    assert.ok(layers, 'the number of hidden layers');
    assert.equal(FIELDS.hidden.maxItems, Number(layers[1]));
  });

  test("the names hide= takes are web/state.js's, in the README and in web/README.md", async () => {
    const { HIDEABLE } = await import(join(ROOT, 'web', 'state.js'));
    const names = (paragraph) => [...paragraph.matchAll(/`(\w+)`/g)].map((x) => x[1]).sort();
    const root = text.match(/- \*\*Hiding\.\*\* `hide=a,b,…` hides controls ([\s\S]*?)\n- /);
    assert.ok(root, 'the Hiding bullet');
    assert.deepEqual(names(root[1]), [...HIDEABLE].sort());
    const web = readFileSync(join(ROOT, 'web', 'README.md'), 'utf8').match(/`hide=a,b` hides controls ([\s\S]*?)\.\n/);
    assert.ok(web, "web/README.md's hide sentence");
    assert.deepEqual(names(web[1]), [...HIDEABLE].sort());
  });
});

describe('what the README says about the two commands', () => {
  test('the Debian packages it lists are the ones scripts/ensure-deps.sh installs', () => {
    const script = readFileSync(join(ROOT, 'scripts', 'ensure-deps.sh'), 'utf8');
    const installed = [...script.matchAll(/^\s*(?:if .*then )?need ([\w.+-]+) /gm)].map((m) => m[1]);
    const bullet = text.match(/- \*\*Debian packages\.\*\*([\s\S]*?)\n- /);
    assert.ok(bullet, 'the Debian packages bullet');
    const listed = [...bullet[1].matchAll(/`([\w.+-]+)`/g)].map((m) => m[1]).filter((w) => w !== 'apt-get' && !w.startsWith('apt-get '));
    assert.ok(installed.length >= 6, `ensure-deps.sh: ${installed.join(', ')}`);
    assert.deepEqual([...new Set(listed)].sort(), [...new Set(installed)].sort());
  });

  test('the suites it lists are the ones npm test runs, in that order', () => {
    const script = readFileSync(join(ROOT, 'scripts', 'test.sh'), 'utf8');
    const suites = [...script.matchAll(/^\s*suite "([^"]+)"/gm)].map((m) => m[1]);
    const section = text.match(/`npm test` runs these suites in order[^\n]*\n([\s\S]*?)\n\n(?!\s)/);
    assert.ok(section, 'the list of suites');
    const listed = [...section[1].matchAll(/^- \*\*([^*]+)\*\*/gm)].map((m) => m[1]);
    assert.deepEqual(listed, suites);
  });
});
