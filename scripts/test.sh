#!/usr/bin/env bash
# `npm test`: installs what is missing, builds everything, and runs every test
# suite (native doctest, sanitizers, fuzzers, Node, browser: Chromium in full,
# then a smoke suite in Chromium, Firefox ESR and WebKitGTK). Exits non-zero if
# any suite fails, after running all of them, and prints one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh || exit 1
bash scripts/build.sh || { echo "build failed" >&2; exit 1; }

passed=0
failed=0
failures=()
suite() { # suite NAME COMMAND...
  local name=$1; shift
  echo
  echo "=== $name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
  fi
}

# The README lists these names in this order (tests/node/readme.test.mjs).
suite "core (doctest)" build/native/sparse_iht_tests
suite "core, native-arch build (doctest)" bash scripts/test-native-arch.sh
suite "sanitize (ASan + UBSan)" bash scripts/test-sanitize.sh
suite "fuzz (libFuzzer)" bash scripts/test-fuzz.sh
suite "lint (clang-format, clang-tidy)" bash scripts/test-lint.sh
suite "package (node --test)" node --test --test-reporter=spec tests/node/
page_suite() {
  node --test --test-concurrency=1 --test-reporter=spec tests/browser/
}
if compgen -G "tests/browser/*.test.mjs" >/dev/null; then
  suite "page (Playwright + Debian's Chromium)" page_suite
fi
# The page's smoke steps (tests/engines/smoke.mjs), the same in each engine:
# Chromium, whose full suite is above, Firefox ESR and WebKitGTK.
engine_suite() { # engine_suite ENGINE
  node --test --test-reporter=spec "tests/engines/$1.test.mjs"
}
suite "page smoke (Playwright + Debian's Chromium)" engine_suite chromium
suite "page smoke (puppeteer-core + Debian's Firefox ESR)" engine_suite firefox
suite "page smoke (selenium-webdriver + Debian's WebKitGTK)" engine_suite webkit

echo
if [ "$failed" -gt 0 ]; then
  echo "failed suites: ${failures[*]}"
fi
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
