#!/usr/bin/env bash
# `npm start`: installs what is missing, builds, and serves the demo page on
# http://127.0.0.1:8080/ (PORT and HOST override).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --no-fuzz
bash scripts/build.sh
exec node scripts/serve.mjs dist/web
