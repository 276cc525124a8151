#!/usr/bin/env bash
# `npm run lint`: clang-format (no diff allowed) and clang-tidy (.clang-tidy,
# warnings are errors) over the C++ sources. clang-tidy is slow on Eigen code,
# so a file that passed is skipped until it, a core header or the config changes.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t sources < <(git ls-files 'core/*.cpp' 'core/*.hpp' 'wasm/*.cpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp')
echo "clang-format: ${#sources[@]} files"
clang-format --dry-run --Werror "${sources[@]}"

if [ ! -f build/native/compile_commands.json ]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
mkdir -p build/lint
config_hash=$(cat .clang-tidy core/include/sparse_iht/*.hpp core/src/kernels/*.hpp | sha256sum | cut -c1-16)
pending=()
for f in $(git ls-files 'core/src/*.cpp' 'core/cli/*.cpp'); do
  stamp="build/lint/$(echo "$f" | tr / _).$config_hash.$(sha256sum "$f" | cut -c1-16)"
  [ -f "$stamp" ] || pending+=("$f")
done
echo "clang-tidy: ${#pending[@]} files to check"
if [ ${#pending[@]} -gt 0 ]; then
  # clang-tidy counts the warnings it suppressed in system headers: drop that noise.
  printf '%s\n' "${pending[@]}" | xargs -P "${JOBS:-2}" -n 1 clang-tidy -p build/native --quiet 2>&1 |
    sed '/warnings generated\.$/d'
  for f in "${pending[@]}"; do
    touch "build/lint/$(echo "$f" | tr / _).$config_hash.$(sha256sum "$f" | cut -c1-16)"
  done
fi
echo "lint: clean"
