#!/usr/bin/env bash
# Issue 22: how big a night fits in a laptop's memory when rehearsed with
# `run --sim`. For each size and store mode, one nf.create job of bench rows
# on the embedded simulator under /usr/bin/time -v (measure.py): wall time,
# peak RSS of the whole process (runner and simulator together), rows by
# status, and the store's bytes an audience from the run's `simulator store:`
# line. Prints the figures as Markdown rows (report.py --rehearsal).
#
#   bench/rehearsal.sh [RAW.jsonl]       appends the figures there if given
#   BENCH_REHEARSAL_ROWS="1000000 10000000"   sizes (default 1000000)
#   BENCH_REHEARSAL_STORES="full ids"         store modes (default both)
#   BENCH_WORKDIR=/tmp  BENCH_TIMEOUT=7200  BENCH_BIN=build/audience-batch
# A 10,000,000-row job is 650 MB and its results file about 1 GB: put
# BENCH_WORKDIR on a disk (or /dev/shm) with room for both.
set -euo pipefail

cd "$(dirname "$0")/.."
python=/usr/bin/python3
bin=${BENCH_BIN:-$PWD/build/audience-batch}
sizes=${BENCH_REHEARSAL_ROWS:-1000000}
stores=${BENCH_REHEARSAL_STORES:-full ids}
timeout=${BENCH_TIMEOUT:-7200}
work=$(mktemp -d "${BENCH_WORKDIR:-/tmp}/audience-batch-rehearsal.XXXXXX")
logs=${BENCH_LOGS:-$work}
raw=${1:-$work/figures.jsonl}
trap 'rm -rf "$work"' EXIT

[ -x "$bin" ] || { echo "rehearsal: no binary at $bin (make build, or BENCH_BIN=...)" >&2; exit 1; }
largest=0
for rows in $sizes; do if ((rows > largest)); then largest=$rows; fi; done
"$python" bench/gen_job.py nf.create "$largest" >"$work/all.csv"

for rows in $sizes; do
  for store in $stores; do
    dir=$work/$store-$rows
    mkdir -p "$dir"
    head -n $((rows + 1)) "$work/all.csv" >"$dir/job.csv"
    echo "== rehearsal: $rows rows, --sim-store $store" >&2
    "$python" bench/measure.py run --raw "$raw" --scenario "R.$store" --runner ours --run "$rows" --rows "$rows" \
      --concurrency 32 --results "$dir/job.results.csv" --log "$logs/rehearsal-$store-$rows.log" --timeout "$timeout" \
      -- "$bin" run "$dir/job.csv" --job nf.create --sim --sim-store "$store" --progress lines
    rm -rf "$dir"
  done
done
"$python" bench/report.py --rehearsal "$raw"
