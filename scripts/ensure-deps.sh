#!/usr/bin/env bash
# Installs what `npm test` and `npm start` need and the machine lacks: Debian
# packages with apt-get when running as root on Debian (otherwise it prints the
# exact command and stops), then `npm ci` against the committed lock file when
# node_modules is missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=1
want_fuzz=1
for arg in "$@"; do
  case "$arg" in
    --no-browser) want_browser=0 ;;
    --no-fuzz) want_fuzz=0 ;;
  esac
done

missing=()
need() { # need PACKAGE TEST-PATH...
  local pkg=$1; shift
  for path in "$@"; do
    if [ ! -e "$path" ]; then missing+=("$pkg"); return; fi
  done
}
need cmake /usr/bin/cmake
need make /usr/bin/make
need g++ /usr/bin/g++
need emscripten /usr/bin/emcc /usr/share/emscripten/emcc.py
need libeigen3-dev /usr/include/eigen3/Eigen/Dense
need doctest-dev /usr/include/doctest/doctest.h
if [ "$want_browser" = 1 ]; then
  need chromium /usr/bin/chromium
  # The page's smoke suite in the two other engines (tests/engines/): Firefox
  # ESR, and WebKitGTK's WebDriver with its MiniBrowser, which needs a display:
  # xvfb-run, which needs xauth.
  need firefox-esr /usr/bin/firefox-esr
  need webkit2gtk-driver /usr/bin/WebKitWebDriver /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser
  need xvfb /usr/bin/xvfb-run
  need xauth /usr/bin/xauth
fi
if [ "$want_fuzz" = 1 ]; then
  need clang /usr/bin/clang++
  need libclang-rt-14-dev /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
fi

if [ ${#missing[@]} -gt 0 ]; then
  cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "ensure-deps: missing ${missing[*]}. Run as root:" >&2
    echo "  $cmd" >&2
    exit 1
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "ensure-deps: Node $(node --version) is too old; Node 20 or newer is needed" >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install.
stamp=node_modules/.sparse-iht-lock
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "ensure-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi
