// A C++ project that takes sparse-iht with add_subdirectory gets the library
// only: no doctest suite, no benchmarks (issue #16). Configure only; the
// library's compilation is what the native build already tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers.mjs';

test('add_subdirectory: the library target, and no test or bench targets', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sparse-iht-consumer-'));
  try {
    writeFileSync(path.join(dir, 'CMakeLists.txt'), [
      'cmake_minimum_required(VERSION 3.16)',
      'project(consumer LANGUAGES CXX)',
      `add_subdirectory(${JSON.stringify(ROOT)} sparse-iht)`,
      'add_executable(consumer main.cpp)',
      'target_link_libraries(consumer PRIVATE sparse_iht_core)',
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
