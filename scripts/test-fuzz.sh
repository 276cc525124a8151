#!/usr/bin/env bash
# Fuzzing (issue #5): builds the libFuzzer targets of tests/fuzz/ with clang,
# ASan and UBSan in build/fuzz (kept between runs, so rebuilds are
# incremental), then runs each for a bounded time on a COPY of its committed
# corpus (tests/fuzz/corpus/<name>), so CI never grows the corpus. Fails on
# any crash, sanitizer report, leak, timeout (-timeout: one input taking more
# than 5 s) or out-of-memory, and prints the reproducer.
#
#   FUZZ_SECONDS  seconds per fuzzer (default 30; 0 only replays the corpus)
#   FUZZ_JOBS     fuzzers run at once (default: 2 if the machine has 2 cores)
#   JOBS          build parallelism (default 2)
#
# Reproduce a find: build/fuzz/fuzz_csv build/fuzz/artifacts/fuzz_csv/crash-…
# Keep a minimized find as a seed: build/fuzz/fuzz_csv -minimize_crash=1 … or
# copy it into tests/fuzz/corpus/<name>/ after fixing the bug.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-30}
jobs=${JOBS:-2}
cores=$(nproc 2>/dev/null || echo 1)
fuzz_jobs=${FUZZ_JOBS:-$(( cores >= 2 ? 2 : 1 ))}
build=build/fuzz
fuzzers=(fuzz_csv fuzz_options)
declare -A corpus=([fuzz_csv]=csv [fuzz_options]=options)
declare -A max_len=([fuzz_csv]=4096 [fuzz_options]=1024)

libfuzzer=$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null | head -n1)
if ! command -v clang++ >/dev/null 2>&1 || [ -z "$libfuzzer" ]; then
  echo "test-fuzz: needs clang and libFuzzer: apt-get install -y --no-install-recommends clang libclang-rt-14-dev" >&2
  exit 1
fi

start=$SECONDS
if [ ! -f "$build/CMakeCache.txt" ]; then
  # -O1 -g without NDEBUG: fast enough to fuzz, with Eigen's and the
  # library's assertions on and readable stack traces.
  CC=clang CXX=clang++ cmake -S . -B "$build" -DSPARSE_IHT_FUZZ=ON -DSPARSE_IHT_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null ||
    { echo "test-fuzz: configure failed" >&2; exit 1; }
fi
cmake --build "$build" -j"$jobs" --target "${fuzzers[@]}" >"$build/build.log" 2>&1 ||
  { tail -n 40 "$build/build.log" >&2; echo "test-fuzz: build failed ($build/build.log)" >&2; exit 1; }
echo "test-fuzz: built ${fuzzers[*]} in $((SECONDS - start)) s"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
work=$(mktemp -d "${TMPDIR:-/tmp}/sparse-iht-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

run_one() { # run_one NAME: fuzzes one target; its log goes to $work/NAME.log
  local name=$1 dir=tests/fuzz/corpus/${corpus[$1]}
  local artifacts=$build/artifacts/$name
  mkdir -p "$artifacts" "$work/$name"
  local dict=()
  [ -f "tests/fuzz/$name.dict" ] && dict=("-dict=tests/fuzz/$name.dict")
  local common=(-max_len="${max_len[$name]}" -timeout=5 -rss_limit_mb=2048 -malloc_limit_mb=2048
    -detect_leaks=1 -artifact_prefix="$artifacts/" -print_final_stats=1 "${dict[@]}")
  if [ "$seconds" = 0 ]; then
    "$build/$name" "${common[@]}" "$dir"/* >"$work/$name.log" 2>&1
  else
    cp -r "$dir/." "$work/$name/"
    "$build/$name" "${common[@]}" -max_total_time="$seconds" "$work/$name" >"$work/$name.log" 2>&1
  fi
}

report() { # report NAME STATUS
  local name=$1 status=$2 log=$work/$1.log
  local execs speed units
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
  units=$(find "$work/$name" -type f 2>/dev/null | wc -l)
  if [ "$status" = 0 ]; then
    echo "test-fuzz: $name ok: ${execs:-?} runs, ${speed:-?} execs/s, corpus ${units} inputs (copy; tests/fuzz/corpus/${corpus[$name]} unchanged)"
    return 0
  fi
  echo "test-fuzz: $name FAILED (exit status $status)" >&2
  grep -E "ERROR: |SUMMARY: |runtime error|fuzz_[a-z]+: |ALARM|Test unit written|^==[0-9]+== " "$log" | head -n 30 >&2
  local found
  found=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n1)
  # Replaying files (FUZZ_SECONDS=0): the input that failed is the last one run.
  [ -z "$found" ] && found=$(sed -n 's/^Running: \(.*\)$/\1/p' "$log" | tail -n1)
  if [ -n "$found" ]; then
    echo "test-fuzz: reproducer: $found" >&2
    echo "test-fuzz: rerun with: $build/$name $found" >&2
  fi
  echo "test-fuzz: full log (last 60 lines):" >&2
  tail -n 60 "$log" >&2
  return 1
}

failed=0
pids=()
names=()
for name in "${fuzzers[@]}"; do
  run_one "$name" &
  pids+=($!)
  names+=("$name")
  if [ "${#pids[@]}" -ge "$fuzz_jobs" ]; then
    wait "${pids[0]}"; status=$?
    report "${names[0]}" "$status" || failed=1
    pids=("${pids[@]:1}"); names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}"; status=$?
  report "${names[$i]}" "$status" || failed=1
done
echo "test-fuzz: $((SECONDS - start)) s in all"
exit "$failed"
