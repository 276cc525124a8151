#!/usr/bin/env bash
# The JavaScript half of `npm run mutants` (issue #10): Stryker mutates
# wasm/js/api.js, web/state.js and web/protocol.js and runs the Node tests
# against each mutant, in a sandbox copy under build/mutants/js/tmp (Stryker
# builds its own dist/ there and never touches the real one). Prints the mutation score per file and every
# surviving mutant; exits 1 while a survivor is neither killed nor explained
# in tests/mutants/js/equivalent.json. Not part of `npm test`: about
# 20 minutes on 2 idle cores.
#
# Usage: run.sh [--no-build] [Stryker arguments…], e.g. `--concurrency 1`,
# `--mutate web/state.js` or `--incremental` (reuses
# build/mutants/js/incremental.json). --no-build skips bringing build/ up to
# date, for a caller that has just built it.
set -uo pipefail
cd "$(dirname "$0")/../../.."
here=tests/mutants/js
build=1
if [ "${1:-}" = --no-build ]; then
  build=0
  shift
fi

# Stryker lives in its own package so the main `npm ci` stays lean; it is
# installed only when its lock file changed since the last install.
stamp=$here/node_modules/.sparse-iht-mutants-lock
lock_hash=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  npm ci --prefix "$here" --no-audit --no-fund || exit 1
  echo "$lock_hash" > "$stamp"
fi

# The sandbox wraps the (mutated) api.js around the WebAssembly core built in
# build/wasm, which must match wasm/bindings.cpp and core/, and some tests
# compare with build/native/iht (an incremental build: seconds when nothing
# changed).
if [ "$build" = 1 ]; then
  bash scripts/ensure-deps.sh --no-browser --no-fuzz || exit 1
  bash scripts/build.sh || exit 1
fi
for file in build/wasm/sparse-iht-core.mjs build/wasm/sparse-iht-core-node.cjs build/native/iht; do
  [ -f "$file" ] || { echo "$file is missing: run 'bash scripts/build.sh'" >&2; exit 1; }
done

rm -f build/mutants/js/report.json
"$here/node_modules/.bin/stryker" run "$here/stryker.config.mjs" "$@"
status=$?
if [ ! -f build/mutants/js/report.json ]; then
  echo "stryker failed (status $status) before writing build/mutants/js/report.json" >&2
  exit 1
fi
node "$here/summary.mjs" build/mutants/js/report.json || status=1
echo "report: build/mutants/js/report.html"
exit "$status"
