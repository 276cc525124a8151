// A C++ project that takes sparse-iht with add_subdirectory gets the library
// only: no doctest suite, no benchmarks (issue #16). Configure only; the
// library's compilation is what the native build already tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers.mjs';
import { fencedBlocks } from './readme-blocks.mjs';

test("add_subdirectory as the README writes it: the library target, and no test or bench targets", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sparse-iht-consumer-'));
  try {
    // The README's CMake lines as written, with its checkout's path and the
    // consumer's target name filled in.
    const [readme] = fencedBlocks(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).filter((b) => b.marker?.kind === 'cmake');
    assert.ok(readme, 'the README has a cmake block');
    assert.match(readme.body, /^add_subdirectory\(sparse-iht\)/m);
    const lines = readme.body
      .split('\n')
      .map((l) => l.replace(/^add_subdirectory\(sparse-iht\)/, `add_subdirectory(${JSON.stringify(ROOT)} sparse-iht)`));
    writeFileSync(path.join(dir, 'CMakeLists.txt'), [
      'cmake_minimum_required(VERSION 3.16)',
      'project(consumer LANGUAGES CXX)',
      'add_executable(app main.cpp)',
      ...lines,
      '',
    ].join('\n'));
    writeFileSync(path.join(dir, 'main.cpp'), 'int main() { return 0; }\n');
    const build = path.join(dir, 'build');
    const configure = spawnSync('cmake', ['-S', dir, '-B', build], { encoding: 'utf8' });
    assert.equal(configure.status, 0, configure.stderr);
    const cache = spawnSync('cmake', ['-L', '-N', build], { encoding: 'utf8' }).stdout;
    assert.match(cache, /SPARSE_IHT_TESTS:BOOL=OFF/);
    assert.match(cache, /SPARSE_IHT_BENCH:BOOL=OFF/);
    const targets = spawnSync('cmake', ['--build', build, '--target', 'help'], { encoding: 'utf8' }).stdout;
    assert.match(targets, /sparse_iht_core/);
    assert.doesNotMatch(targets, /sparse_iht_tests|sparse_iht_bench/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
