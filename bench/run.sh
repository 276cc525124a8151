#!/usr/bin/env bash
# `npm run bench` (issue #6): sparse-iht natively, in WebAssembly (Node and
# headless Chromium) and against TensorFlow.js, side by side. Installs what is
# missing (TF.js only here, with `npm ci --prefix bench`, never for `npm test`),
# builds, then runs bench/run.mjs, which writes bench/results/latest.{json,md}.
# Arguments go to bench/run.mjs: --rounds N, --workloads iris,mlp,mc,sweep,sweep-certified,page,page-digits,path-iris,path-digits,
# --path-digits-iters N, --quick.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh --no-fuzz
bash scripts/build.sh

# What the chosen workloads need: page and path-digits need neither TF.js nor
# the bench module, path-iris the bench module only; the others both.
need_tfjs=true
need_module=true
args=("$@")
for i in "${!args[@]}"; do
  if [ "${args[$i]}" = --workloads ]; then
    need_tfjs=false
    need_module=false
    IFS=, read -ra chosen <<< "${args[$((i + 1))]:-}"
    for w in "${chosen[@]}"; do
      case "$w" in
        page | path-digits) ;;
        path-iris | sweep-certified) need_module=true ;;
        *) need_tfjs=true; need_module=true ;;
      esac
    done
  fi
done
# The native-arch contestant of iris and mlp (issue #18): the native bench
# again, built with -DSPARSE_IHT_NATIVE_ARCH=ON in its own tree (the bench
# target only). Only the workloads timed against TF.js use it.
if [ "$need_tfjs" = true ]; then
  cmake -S . -B build/native-arch -DSPARSE_IHT_NATIVE_ARCH=ON -DSPARSE_IHT_TESTS=OFF >/dev/null
  cmake --build build/native-arch --target sparse_iht_bench -j"$(nproc)"
fi
if [ "$need_module" = false ]; then
  exec node bench/run.mjs "$@"
fi

# The TF.js peers, only when bench/package-lock.json changed since the last install.
stamp=bench/node_modules/.sparse-iht-bench-lock
lock_hash=$(sha256sum bench/package-lock.json | cut -d' ' -f1)
if [ "$need_tfjs" = true ] && { [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; }; then
  npm ci --prefix bench --no-audit --no-fund
  echo "$lock_hash" > "$stamp"
fi

# The WebAssembly bench module: bench/wasm_bench.cpp and the workloads, linked
# against build/wasm/libsparse_iht_core.a (the npm package's own core objects)
# with the package's flags (WebAssembly exceptions and SIMD).
module=build/bench/sparse-iht-bench.mjs
mkdir -p build/bench
if [ ! -f "$module" ] || [ -n "$(find bench -maxdepth 1 \( -name '*.cpp' -o -name '*.hpp' \) -newer "$module")" ] ||
   [ build/wasm/libsparse_iht_core.a -nt "$module" ]; then
  echo "bench: linking $module"
  NODE_PATH=/usr/share/nodejs em++ -std=c++17 -O3 -DNDEBUG -fwasm-exceptions -msimd128 -flto -sMALLOC=emmalloc \
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion \
    -Icore/include -isystem /usr/include/eigen3 \
    bench/wasm_bench.cpp bench/workloads.cpp build/wasm/libsparse_iht_core.a \
    --bind -sMODULARIZE=1 -sSINGLE_FILE=1 -sALLOW_MEMORY_GROWTH=1 -sFILESYSTEM=0 \
    -sEXPORT_NAME=createBenchModule -sEXPORT_ES6=1 -sENVIRONMENT=web,worker \
    -o "$module"
fi

node bench/run.mjs "$@"
