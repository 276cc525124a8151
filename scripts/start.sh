#!/usr/bin/env bash
# `npm start`: installs what is missing, builds, and serves the demo page on
# http://127.0.0.1:8080/ (PORT and HOST override).
set -euo pipefail
cd "$(dirname "$0")/.."
# The demo needs no browser or fuzzer on this machine: those are for npm test.
bash scripts/ensure-deps.sh --no-fuzz --no-browser
bash scripts/build.sh
exec node scripts/serve.mjs dist/web
