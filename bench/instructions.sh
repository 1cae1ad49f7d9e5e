#!/usr/bin/env bash
# User-space instructions per nf.create row, counted by callgrind: the one
# per-row figure this machine's noise cannot move (its speed varies by ±20 %
# from one minute to the next, and its VM exposes no hardware counters).
#
#   bench/instructions.sh [BIN...]      default: build/audience-batch
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

"$python" "$bench/gen_job.py" nf.create 5000 >"$work/5000.csv"
head -n 1001 "$work/5000.csv" >"$work/1000.csv"
start_nginx
export NEUROFLASH_CLIENT_ID=bench NEUROFLASH_CLIENT_SECRET=bench

# instructions BIN ROWS: every thread's user-space instructions for one run.
instructions() {
  local out=$work/run
  rm -rf "$out" && mkdir -p "$out"
  valgrind --tool=callgrind --callgrind-out-file="$out/cg.%p" "$1" run "$work/$2.csv" --job nf.create \
    --nf-api "$nginx_api" --nf-token-url "$nginx_token_url" --concurrency 32 --out "$out/results.csv" \
    --progress lines >"$out/log" 2>&1 || die "$1 failed: $(tail -2 "$out/log")"
  grep -h "^summary:" "$out"/cg.* | awk '{ total += $2 } END { print total }'
}

for b in "${bins[@]}"; do
  small=$(instructions "$b" 1000)
  large=$(instructions "$b" 5000)
  echo "$b: $(( (large - small) / 4000 )) instructions per row"
done
