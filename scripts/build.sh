#!/usr/bin/env bash
# Builds the native library, command line and tests (build/native), the
# WebAssembly modules (build/wasm), the npm package (dist/) and the demo page
# (dist/web). `build.sh native` or `build.sh wasm` builds only that part.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
jobs=${JOBS:-2}

if [ "$what" = all ] || [ "$what" = native ]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native -j"$jobs"
fi

if [ "$what" = all ] || [ "$what" = wasm ]; then
  if [ ! -f build/wasm/CMakeCache.txt ]; then
    emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
  fi
  cmake --build build/wasm -j"$jobs"
  node scripts/build-package.mjs
  if [ -f scripts/build-web.mjs ]; then node scripts/build-web.mjs; fi
fi
