#!/usr/bin/env bash
# The native doctest suite built with -DSPARSE_IHT_NATIVE_ARCH=ON
# (-march=native, in build/native-arch-tests): the opt-in build that the README
# and `npm run bench` offer must pass the same checks as the portable one.
# The kernels compile without contracting multiply-adds there too, so their
# recorded bits and the wide-against-pair tests hold; Eigen's products and
# reductions take this CPU's widest registers, which only the tolerance-based
# checks see. The tree is kept between runs, so only changed files rebuild.
#
#   JOBS   build parallelism (default 2)
#   Arguments go to the doctest binary, e.g. -tc="*wide*".
set -uo pipefail
cd "$(dirname "$0")/.."

jobs=${JOBS:-2}
build=build/native-arch-tests
start=$SECONDS
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSPARSE_IHT_NATIVE_ARCH=ON \
    -DSPARSE_IHT_TESTS=ON -DSPARSE_IHT_BENCH=OFF >/dev/null ||
    { echo "test-native-arch: configure failed" >&2; exit 1; }
fi
cmake --build "$build" -j"$jobs" --target sparse_iht_tests >"$build/build.log" 2>&1 ||
  { tail -n 40 "$build/build.log" >&2; echo "test-native-arch: build failed ($build/build.log)" >&2; exit 1; }
echo "test-native-arch: built in $((SECONDS - start)) s"
"$build/sparse_iht_tests" "$@"
