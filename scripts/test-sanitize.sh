#!/usr/bin/env bash
# The native doctest suite under AddressSanitizer + UndefinedBehaviorSanitizer
# (issue #5), in build/asan: -O1 -g without NDEBUG (so Eigen's and the
# library's assertions are on), leak detection on, and any report fails the
# run. build/asan is kept between runs, so only changed files are rebuilt.
#
#   SANITIZE_CXX  compiler (default clang++ when installed, else g++)
#   JOBS          build parallelism (default 2)
#   Arguments go to the doctest binary, e.g. -tc="csv*".
set -uo pipefail
cd "$(dirname "$0")/.."

jobs=${JOBS:-2}
build=build/asan
cxx=${SANITIZE_CXX:-}
if [ -z "$cxx" ]; then
  if command -v clang++ >/dev/null 2>&1; then cxx=clang++; else cxx=g++; fi
fi
cc=$([ "$cxx" = clang++ ] && echo clang || echo gcc)

start=$SECONDS
# Reconfigure only when the compiler changes.
if [ ! -f "$build/CMakeCache.txt" ] || ! grep -q "^CMAKE_CXX_COMPILER:.*$(command -v "$cxx")\$" "$build/CMakeCache.txt"; then
  rm -rf "$build"
  CC=$cc CXX=$cxx cmake -S . -B "$build" -DSPARSE_IHT_SANITIZE=ON -DSPARSE_IHT_TESTS=ON \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" >/dev/null ||
    { echo "test-sanitize: configure failed" >&2; exit 1; }
fi
cmake --build "$build" -j"$jobs" --target sparse_iht_tests >"$build/build.log" 2>&1 ||
  { tail -n 40 "$build/build.log" >&2; echo "test-sanitize: build failed ($build/build.log)" >&2; exit 1; }
echo "test-sanitize: built with $cxx in $((SECONDS - start)) s"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
run_start=$SECONDS
"$build/sparse_iht_tests" "$@"
status=$?
echo "test-sanitize: tests ran in $((SECONDS - run_start)) s (exit status $status)"
exit "$status"
