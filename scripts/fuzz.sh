#!/usr/bin/env bash
# Builds the libFuzzer targets under tests/fuzz with clang and runs each for
# the given number of seconds (default 20). Exits non-zero on any finding.
set -euo pipefail
seconds=${1:-20}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build-fuzz
mkdir -p "$out"
shopt -s nullglob
targets=("$top"/tests/fuzz/*_fuzz.sh)
[ ${#targets[@]} -eq 0 ] && { echo "fuzz: no targets"; exit 0; }
for t in "${targets[@]}"; do
  bash "$t" "$out" "$seconds"
done
