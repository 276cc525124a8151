// `npm run mutants` (issue #10): a mutation check of the C++ core. Each mutant
// of tests/mutants/cpp.json is applied, one at a time, to a scratch copy of the
// sources in build/mutants/tree; the native doctest suite is rebuilt
// incrementally in build/mutants/build and run. A mutant the suite fails on (or
// that hangs past the timeout) is killed; one it passes on survived. The real
// working tree is only read, never written: other work may be going on in it.
// Not part of `npm test`, for time. Usage and the meaning of each verdict:
// tests/mutants/README.md.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync, utimesSync, writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'build/mutants');
const tree = join(work, 'tree');
const buildDir = join(work, 'build');
const reportPath = join(work, 'report.json');
const jsRunner = join(root, 'tests/mutants/js/run.sh');

// What the native build and its suite read. bench/ is left out on purpose: the
// top-level CMakeLists.txt only adds it when present, and nothing the suite
// runs depends on it.
const COPIED = ['CMakeLists.txt', 'core', 'tests'];

const USAGE = `usage: node scripts/mutants.mjs [options]
  --only ID,ID,...   run only these mutants
  --list             check that every mutant still applies to the working tree, list them, build nothing
  --jobs N           build parallelism (default 2)
  --timeout S        seconds one run of the suite may take before the mutant counts as killed
                     (default: 5 × the unmutated run, at least 60)
  --mutants FILE     the mutant list (default tests/mutants/cpp.json)
  --js               also run the JavaScript mutation check, tests/mutants/js/run.sh (Stryker)
  --js-only          only the JavaScript mutation check
  --cpp-only         only the C++ check (the default)
  -h, --help         this text`;

function parseArgs(argv) {
  const opts = {
    only: null, list: false, jobs: 2, timeout: null, mutants: join(root, 'tests/mutants/cpp.json'), js: false, cpp: true,
  };
  for (let i = 0; i < argv.length; ++i) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) fail(`${flag}: missing value\n${USAGE}`);
      return argv[++i];
    };
    const positive = (text) => {
      const n = Number(text);
      if (!Number.isFinite(n) || n <= 0) fail(`${flag}: expected a number > 0, got '${text}'`);
      return n;
    };
    switch (flag) {
      case '--only': opts.only = value().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--list': opts.list = true; break;
      case '--jobs': opts.jobs = Math.max(1, Math.floor(positive(value()))); break;
      case '--timeout': opts.timeout = positive(value()); break;
      case '--mutants': opts.mutants = resolve(value()); break;
      case '--js': opts.js = true; break;
      case '--js-only': opts.js = true; opts.cpp = false; break;
      case '--cpp-only': opts.js = false; opts.cpp = true; break;
      case '-h': case '--help': console.log(USAGE); process.exit(0); break;
      default: fail(`unknown option '${argv[i]}'\n${USAGE}`);
    }
  }
  return opts;
}

function fail(message) {
  console.error(`mutants: ${message}`);
  process.exit(2);
}

// ---- The mutant list -------------------------------------------------------

function countOccurrences(text, needle) {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) ++count;
  return count;
}

// Every entry must name an existing file and a snippet found there exactly
// once: a list that no longer matches the code fails loudly instead of
// silently testing nothing. With --only, only the chosen entries are matched.
function loadMutants(path, sourceRoot, only) {
  let list;
  try {
    list = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    fail(`cannot read the mutant list ${path}: ${e.message}`);
  }
  const mutants = Array.isArray(list) ? list : list.mutants;
  if (!Array.isArray(mutants)) fail(`${path}: expected an array of mutants, or {"mutants": [...]}`);
  const problems = [];
  const ids = new Set();
  const texts = new Map();
  for (const [index, m] of mutants.entries()) {
    const where = `${relative(root, path)}: mutant ${m && m.id ? `'${m.id}'` : `#${index}`}`;
    for (const key of ['id', 'file', 'find', 'description']) {
      if (typeof m?.[key] !== 'string' || m[key] === '') {
        problems.push(`${where}: '${key}' must be a non-empty string`);
      }
    }
    if (typeof m?.replace !== 'string') problems.push(`${where}: 'replace' must be a string`);
    if ('equivalent' in (m ?? {}) && (typeof m.equivalent !== 'string' || m.equivalent.trim() === '')) {
      problems.push(`${where}: 'equivalent' must give the reason as a string`);
    }
    if (typeof m?.id !== 'string' || typeof m?.file !== 'string' || typeof m?.find !== 'string') continue;
    if (ids.has(m.id)) problems.push(`${where}: duplicate id`);
    ids.add(m.id);
    if (m.find === m.replace) problems.push(`${where}: 'replace' equals 'find'`);
    if (only && !only.includes(m.id)) continue;
    if (!texts.has(m.file)) {
      const file = join(sourceRoot, m.file);
      texts.set(m.file, existsSync(file) ? readFileSync(file, 'utf8') : null);
    }
    const text = texts.get(m.file);
    if (text === null) {
      problems.push(`${where}: no file ${m.file}`);
      continue;
    }
    const count = countOccurrences(text, m.find);
    if (count !== 1) {
      problems.push(`${where}: its 'find' occurs ${count} times in ${m.file} (must be exactly once): ` +
        JSON.stringify(m.find));
    }
  }
  if (problems.length > 0) fail(`the mutant list does not match the sources:\n  ${problems.join('\n  ')}`);
  return select(mutants, only);
}

// ---- The scratch copy ------------------------------------------------------

function git(args) {
  const r = spawnSync('git', args, { cwd: root, encoding: 'buffer', maxBuffer: 64 << 20 });
  if (r.status !== 0) fail(`git ${args.join(' ')} failed: ${r.stderr?.toString() || r.error}`);
  return r.stdout;
}

// Tracked files as they are in the working tree, plus new files that are not
// ignored, so uncommitted work is tested and untracked junk is not.
function sourceFiles() {
  const listed = git(['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...COPIED])
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  // A tracked file deleted in the working tree is listed but absent.
  return [...new Set(listed)].filter((f) => existsSync(join(root, f)) && statSync(join(root, f)).isFile());
}

// Whether file times on this disk have sub-second resolution. If not, a file
// written within the same second as the build that read it would not look
// newer, and make would skip it; writes then wait for the next second.
let coarseTimes = null;
function hasCoarseTimes() {
  if (coarseTimes === null) {
    const probe = join(work, '.mtime-probe');
    let fine = false;
    for (let k = 0; k < 3 && !fine; ++k) {
      writeFileSync(probe, String(k));
      fine = statSync(probe, { bigint: true }).mtimeNs % 1000000000n !== 0n;
    }
    rmSync(probe, { force: true });
    coarseTimes = !fine;
  }
  return coarseTimes;
}

// When the last build ended (wall clock): every output it wrote is older.
let lastBuildEnd = 0;

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// Writes a file so that the next build sees it as changed. make rebuilds only
// what is strictly newer than its outputs, and the kernel stamps files from a
// coarse clock, so the time is set explicitly, later than the last build's end
// (in a later second where the disk keeps whole seconds).
function writeChanged(path, content) {
  writeFileSync(path, content);
  let now = Date.now();
  const later = hasCoarseTimes()
    ? () => Math.floor(now / 1000) > Math.floor(lastBuildEnd / 1000)
    : () => now > lastBuildEnd;
  while (!later()) {
    sleepMs(hasCoarseTimes() ? 50 : 2);
    now = Date.now();
  }
  utimesSync(path, now / 1000, now / 1000);
}

// Brings tree/ in line with the working tree. Unchanged files keep their times,
// so the build directory, kept between runs, only rebuilds what changed since.
function syncTree() {
  const files = sourceFiles();
  const wanted = new Set(files);
  let written = 0;
  for (const f of files) {
    const source = readFileSync(join(root, f));
    const target = join(tree, f);
    if (existsSync(target) && readFileSync(target).equals(source)) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeChanged(target, source);
    ++written;
  }
  let removed = 0;
  const prune = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        prune(path);
        if (readdirSync(path).length === 0) rmdirSync(path);
      } else if (!wanted.has(relative(tree, path))) {
        rmSync(path);
        ++removed;
      }
    }
  };
  if (existsSync(tree)) prune(tree);
  return { files: files.length, written, removed };
}

// Two runs at once would mutate the same snapshot under each other.
const lockPath = join(work, '.lock');
function takeLock() {
  if (existsSync(lockPath)) {
    const pid = Number(readFileSync(lockPath, 'utf8'));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid > 0;
    } catch {
      alive = false;
    }
    if (alive) fail(`another run (process ${pid}) is using ${relative(root, work)}`);
  }
  writeFileSync(lockPath, String(process.pid));
  process.on('exit', () => rmSync(lockPath, { force: true }));
}

// ---- Processes -------------------------------------------------------------

// The child running now, ended with its process group on Ctrl-C.
let current = null;

// Runs a command in its own process group, so that a timeout also ends the
// processes the suite starts (the command-line tests run `iht`).
function run(command, args, { cwd, timeoutMs = 0 } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    let size = 0;
    const keep = (chunk) => {
      if (size < 8 << 20) {
        chunks.push(chunk);
        size += chunk.length;
      }
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = timeoutMs > 0
      ? setTimeout(() => {
        timedOut = true;
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      }, timeoutMs)
      : null;
    current = child;
    const finish = (code, signal, output) => {
      if (timer) clearTimeout(timer);
      current = null;
      resolve({ code, signal, timedOut, output, seconds: (Date.now() - started) / 1000 });
    };
    child.on('error', (error) => finish(null, null, String(error)));
    child.on('close', (code, signal) => finish(code, signal, Buffer.concat(chunks).toString('utf8')));
  });
}

process.on('SIGINT', () => {
  if (current) {
    try { process.kill(-current.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  console.error('\nmutants: interrupted (the scratch copy is brought back in line on the next run)');
  process.exit(130);
});

async function build(jobs) {
  const args = ['--build', buildDir, '--target', 'sparse_iht_tests', '--parallel', String(jobs)];
  const r = await run('cmake', args, { cwd: root });
  lastBuildEnd = Date.now();
  return r;
}

const testBinary = join(buildDir, 'sparse_iht_tests');
const cliBinary = join(buildDir, 'iht');

// The suite as the mutants run it. --abort-after=1 stops at the first failed
// assertion: one failure is all a kill needs.
const SUITE_ARGS = ['--abort-after=1', '--no-colors=true'];

function runSuite(timeoutMs) {
  return run(testBinary, SUITE_ARGS, { cwd: buildDir, timeoutMs });
}

// The first failing test case doctest names. Its report comes in blocks
// between lines of '=', each headed "TEST CASE:  name"; MESSAGE blocks have the
// same header, so the block must hold an error.
function failingCase(output) {
  for (const block of output.split(/^={20,}$/m)) {
    if (!/\b(FATAL ERROR|ERROR):/.test(block)) continue;
    const m = /^TEST CASE:\s+(.+)$/m.exec(block);
    if (m) return m[1].trim();
  }
  return null;
}

function firstError(output) {
  const m = /^.*\berror\b.*$/im.exec(output);
  return m ? m[0].trim().slice(0, 300) : output.trim().split('\n').slice(-3).join(' ').slice(0, 300);
}

function newestBinaryTime() {
  return Math.max(...[testBinary, cliBinary].map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
}

// ---- The run ---------------------------------------------------------------

function pad(text, width) {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function describe(result) {
  switch (result.status) {
    case 'killed':
      if (result.timedOut) return `killed (timeout after ${result.timeout} s)`;
      if (result.test) return `killed by "${result.test}"`;
      return result.signal ? `killed (${result.signal})` : `killed (exit status ${result.exitCode})`;
    case 'invalid': return `INVALID: ${result.reason}`;
    case 'equivalent': return `equivalent: ${result.reason}`;
    default: return 'SURVIVED';
  }
}

function printLine(result, widths) {
  const columns = [pad(result.id, widths.id), pad(result.file, widths.file), pad(result.description, widths.description)];
  console.log(`${columns.join('  ')}  ${describe(result)}`);
}

async function runCpp(opts) {
  if (opts.list) {
    const chosen = loadMutants(opts.mutants, root, opts.only);
    const widths = columnWidths(chosen);
    for (const m of chosen) {
      const note = m.equivalent ? `  [equivalent: ${m.equivalent}]` : '';
      console.log(`${pad(m.id, widths.id)}  ${pad(m.file, widths.file)}  ${m.description}${note}`);
    }
    console.log(`${chosen.length} mutants, every one applies to the working tree`);
    return 0;
  }

  mkdirSync(work, { recursive: true });
  takeLock();
  // What was measured, as of the snapshot.
  const commit = git(['rev-parse', 'HEAD']).toString('utf8').trim();
  const uncommitted = git(['status', '--porcelain', '--', ...COPIED]).toString('utf8').trim() !== '';
  const synced = syncTree();
  console.log(`scratch copy: ${synced.files} files in ${relative(root, tree)} ` +
    `(${synced.written} updated, ${synced.removed} removed)`);
  // Checked against the snapshot, which is what gets mutated.
  const mutants = loadMutants(opts.mutants, tree, opts.only);

  if (!existsSync(join(buildDir, 'CMakeCache.txt'))) {
    console.log(`configuring a Release build in ${relative(root, buildDir)}`);
    const r = await run('cmake', ['-S', tree, '-B', buildDir, '-DCMAKE_BUILD_TYPE=Release'], { cwd: root });
    if (r.code !== 0) {
      console.error(r.output);
      fail('cmake configuration failed');
    }
  }
  console.log('building the unmutated tree');
  const base = await build(opts.jobs);
  if (base.code !== 0) {
    console.error(base.output);
    fail('the unmutated tree does not build');
  }
  const green = await runSuite(0);
  if (green.code !== 0) {
    console.error(green.output.split('\n').slice(-40).join('\n'));
    const failing = failingCase(green.output);
    fail(`the suite fails on the unmutated tree${failing ? ` ("${failing}")` : ''}: fix it before measuring mutants`);
  }
  const timeout = opts.timeout ?? Math.max(60, Math.ceil(5 * green.seconds));
  console.log(`unmutated suite: green in ${green.seconds.toFixed(1)} s; per-mutant timeout ${timeout} s\n`);

  // Mutants of one file run one after the other, so each rebuild compiles one
  // file (the next mutant overwrites the last) instead of two.
  const order = [...mutants].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const originals = new Map();
  const widths = columnWidths(order);
  const results = [];
  let mutated = null;
  const restore = () => {
    if (mutated !== null) writeChanged(join(tree, mutated), originals.get(mutated));
    mutated = null;
  };
  for (const m of order) {
    const base = { id: m.id, file: m.file, description: m.description };
    const path = join(tree, m.file);
    if (!originals.has(m.file)) originals.set(m.file, readFileSync(path, 'utf8'));
    const original = originals.get(m.file);
    const mutatedText = original.replace(m.find, () => m.replace);
    if (m.equivalent) {
      const result = { ...base, status: 'equivalent', reason: m.equivalent };
      results.push(result);
      printLine(result, widths);
      continue;
    }
    if (mutated !== null && mutated !== m.file) restore();
    writeChanged(path, mutatedText);
    const writtenAt = statSync(path).mtimeMs;
    mutated = m.file;
    const built = await build(opts.jobs);
    let result;
    if (built.code !== 0) {
      const reason = `does not compile: ${firstError(built.output)}`;
      result = { ...base, status: 'invalid', reason, buildSeconds: built.seconds };
    } else if (newestBinaryTime() < writtenAt) {
      // The build saw nothing to do: the mutant never reached a binary.
      const reason = 'the build did not pick it up (not compiled into the suite or iht?)';
      result = { ...base, status: 'invalid', reason, buildSeconds: built.seconds };
    } else {
      const r = await runSuite(timeout * 1000);
      const killed = r.timedOut || r.code !== 0;
      result = {
        ...base,
        status: killed ? 'killed' : 'survived',
        test: killed ? failingCase(r.output) : null,
        timedOut: r.timedOut,
        timeout,
        signal: r.signal,
        exitCode: r.code,
        buildSeconds: built.seconds,
        suiteSeconds: r.seconds,
      };
    }
    results.push(result);
    printLine(result, widths);
  }
  restore();

  const count = (status) => results.filter((r) => r.status === status).length;
  const killed = count('killed');
  const survived = count('survived');
  const equivalent = count('equivalent');
  const invalid = count('invalid');
  const counted = results.length - equivalent - invalid;
  const rate = counted > 0 ? (100 * killed) / counted : null;
  const rateText = rate === null ? 'n/a' : `${rate.toFixed(1)} %`;

  const ordered = mutants.map((m) => results.find((r) => r.id === m.id));
  const survivors = ordered.filter((r) => r.status === 'survived');
  const invalids = ordered.filter((r) => r.status === 'invalid');
  if (survivors.length > 0) {
    console.log('\nsurvivors (the suite passed with these bugs in the core):');
    for (const r of survivors) console.log(`  ${r.id}  ${r.file}: ${r.description}`);
  }
  if (invalids.length > 0) {
    console.log('\ninvalid (fix these entries of the list):');
    for (const r of invalids) console.log(`  ${r.id}  ${r.file}: ${r.reason}`);
  }
  console.log(`\nmutants: ${killed} killed, ${survived} survived, ${equivalent} equivalent, ${invalid} invalid — ` +
    `kill rate ${rateText}`);

  const report = {
    date: new Date().toISOString(),
    commit,
    uncommittedChanges: uncommitted,
    list: relative(root, opts.mutants),
    suite: { command: [relative(root, testBinary), ...SUITE_ARGS].join(' '), seconds: green.seconds, timeout },
    summary: {
      total: results.length, killed, survived, equivalent, invalid,
      killRate: rate === null ? null : Number(rate.toFixed(2)),
    },
    mutants: ordered,
  };
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`report: ${relative(root, reportPath)}`);
  return survived > 0 || invalid > 0 ? 1 : 0;
}

function select(mutants, only) {
  if (!only) return mutants;
  const known = new Set(mutants.map((m) => m.id));
  const unknown = only.filter((id) => !known.has(id));
  if (unknown.length > 0) fail(`--only: no mutant with id ${unknown.join(', ')}`);
  return mutants.filter((m) => only.includes(m.id));
}

function columnWidths(mutants) {
  const widest = (key, cap) => Math.min(cap, Math.max(0, ...mutants.map((m) => m[key].length)));
  return { id: widest('id', 28), file: widest('file', 26), description: widest('description', 64) };
}

async function runJs() {
  if (!existsSync(jsRunner)) {
    // Asked for and impossible: say so rather than pass without checking anything.
    console.error(`mutants: --js: ${relative(root, jsRunner)} does not exist`);
    return 1;
  }
  console.log(`\n=== JavaScript mutants: bash ${relative(root, jsRunner)}`);
  const r = spawnSync('bash', [jsRunner], { cwd: root, stdio: 'inherit' });
  return r.status === 0 ? 0 : 1;
}

const opts = parseArgs(process.argv.slice(2));
let status = 0;
if (opts.cpp) status = Math.max(status, await runCpp(opts));
if (opts.js && !opts.list) status = Math.max(status, await runJs());
process.exit(status);
