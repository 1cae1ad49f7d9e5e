#!/usr/bin/env bash
# User-space instructions per nf.create row, counted by callgrind: the one
# per-row figure this machine's noise cannot move (its speed varies by ±20 %
# from one minute to the next, and its VM exposes no hardware counters).
#
#   bench/instructions.sh [BIN...]      default: build/audience-batch
#   CONCURRENCY=256 bench/instructions.sh   in flight (default 32)
#   CACHE_SIM=1 bench/instructions.sh       also simulated cache misses per row
#                                           (first-level data, last-level data)
#   MAX_PER_ROW=N bench/instructions.sh     fails (exit 1) when a binary counts more
#                                           (the ctest guard, tests/CMakeLists.txt)
#
# Each binary runs T1's job for 1,000 and for 5,000 rows against the bench
# nginx (started here); the difference over 4,000 rows leaves start-up out.
# Every thread counts (the journal writer's too); the kernel does not.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
bench=$root/bench
python=/usr/bin/python3
command -v valgrind >/dev/null || { echo "instructions: valgrind is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=("$root/build/audience-batch")
work=$(mktemp -d /tmp/audience-batch-instructions.XXXXXX)
logs=$work
bin=${bins[0]}
source "$bench/lib.sh"
trap 'stop_started; rm -rf "$work"' EXIT

per_row_counts_setup

# instructions BIN ROWS: every thread's user-space instructions for one run.
instructions() {
  local out=$work/run
  rm -rf "$out" && mkdir -p "$out"
  valgrind --tool=callgrind ${CACHE_SIM:+--cache-sim=yes} --callgrind-out-file="$out/cg.%p" "$1" run "$work/$2.csv" --job nf.create \
    --nf-api "$nginx_api" --nf-token-url "$nginx_token_url" --concurrency "${CONCURRENCY:-32}" --out "$out/results.csv" \
    --progress lines >"$out/log" 2>&1 || die "$1 failed: $(tail -2 "$out/log")"
  # summary: Ir [Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw]; sums over threads.
  grep -h "^summary:" "$out"/cg.* |
    awk '{ ir += $2; d1 += $6 + $7; dl += $9 + $10 } END { printf "%d %d %d\n", ir, d1, dl }'
}

for b in "${bins[@]}"; do
  read -r ir_small d1_small dl_small < <(instructions "$b" 1000)
  read -r ir_large d1_large dl_large < <(instructions "$b" 5000)
  per_row=$(( (ir_large - ir_small) / 4000 ))
  line="$b: $per_row instructions per row at ${CONCURRENCY:-32} in flight"
  [ -n "${CACHE_SIM:-}" ] &&
    line+=", $(( (d1_large - d1_small) / 4000 )) D1 misses, $(( (dl_large - dl_small) / 4000 )) LL data misses"
  echo "$line"
  if [ -n "${MAX_PER_ROW:-}" ] && [ "$per_row" -gt "$MAX_PER_ROW" ]; then
    echo "instructions: $b counts $per_row a row, over the limit of $MAX_PER_ROW (bench/README.md, \"Instructions per row, guarded\")" >&2
    failed=1
  fi
done
exit "${failed:-0}"
