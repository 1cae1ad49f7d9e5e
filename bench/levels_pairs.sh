#!/usr/bin/env bash
# The rate at many requests in flight against the rate at a few, as issue 24
# asks for it: alternating pairs back to back, so that the machine's phases
# (its speed moves by ±25 % within minutes) fall on both sides of each ratio.
# wrk is paired the same way in the same minutes: its own ratio says how much
# of ours is the machine.
#
#   bench/levels_pairs.sh [BIN [PAIRS [ROWS [LOW HIGH]]]]
#       defaults: build/audience-batch, 7 pairs, 100,000 rows, 32 and 256 in flight
#   BENCH_WRK_SECONDS=3      each wrk measurement
#
# Each of our runs is T1's job (nf.create) against the bench nginx started
# here, its results and journal in a fresh directory under /tmp; wrk posts
# the body our runs build for row 1 (bench/wrk/request.lua), one thread.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
bench=$root/bench
python=/usr/bin/python3
bin=$(realpath "${1:-$root/build/audience-batch}")
pairs=${2:-7}
rows=${3:-100000}
low=${4:-32}
high=${5:-256}
seconds=${BENCH_WRK_SECONDS:-3}
command -v wrk >/dev/null || { echo "levels_pairs: wrk is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
work=$(mktemp -d /tmp/audience-batch-levels.XXXXXX)
logs=$work
source "$bench/lib.sh"
trap 'stop_started; rm -rf "$work"' EXIT

"$python" "$bench/gen_job.py" nf.create "$rows" >"$work/job.csv"
nginx_for_wrk "$work/job.csv"

# ours C: rows/s of one run at C in flight, as the run's summary says.
ours() {
  local out=$work/run
  rm -rf "$out" && mkdir -p "$out"
  "$bin" run "$work/job.csv" --job nf.create --nf-api "$nginx_api" --nf-token-url "$nginx_token_url" \
    --concurrency "$1" --out "$out/results.csv" --progress lines >"$out/log" 2>&1 || die "$bin failed: $(tail -2 "$out/log")"
  grep -o '[0-9.]* rows/s' "$out/log" | tail -1 | cut -d' ' -f1
}

# theirs C: wrk's requests/s at C in flight.
theirs() {
  WRK_BODY="$work/body.json" WRK_TOKEN="$wrk_token" \
    wrk -t1 -c"$1" -d"${seconds}s" -s "$bench/wrk/request.lua" "$wrk_create_url" >"$work/wrk.log" 2>&1 ||
    die "wrk failed: $(tail -2 "$work/wrk.log")"
  awk '/^Requests\/sec:/ {print $2}' "$work/wrk.log"
}

for ((i = 0; i < pairs; i++)); do
  if ((i % 2 == 0)); then
    ol=$(ours "$low"); oh=$(ours "$high"); wl=$(theirs "$low"); wh=$(theirs "$high")
  else
    wh=$(theirs "$high"); wl=$(theirs "$low"); oh=$(ours "$high"); ol=$(ours "$low")
  fi
  echo "$ol $oh $wl $wh"
done | "$python" -c '
import statistics, sys
low, high = sys.argv[1], sys.argv[2]
runs = [tuple(map(float, line.split())) for line in sys.stdin]
def line(name, values):
    values = sorted(values)
    print(f"{name}: median {statistics.median(values):.2f}, {values[0]:.2f} to {values[-1]:.2f} ({len(values)} pairs)")
print(f"ours at {low}: median {statistics.median(r[0] for r in runs):,.0f} rows/s; at {high}: {statistics.median(r[1] for r in runs):,.0f}")
print(f"wrk at {low}: median {statistics.median(r[2] for r in runs):,.0f} requests/s; at {high}: {statistics.median(r[3] for r in runs):,.0f}")
line(f"ours, {high} against {low}", [oh / ol for ol, oh, _, _ in runs])
line(f"wrk, {high} against {low}", [wh / wl for _, _, wl, wh in runs])
line(f"ours against wrk at {low}", [ol / wl for ol, _, wl, _ in runs])
line(f"ours against wrk at {high}", [oh / wh for _, oh, _, wh in runs])' "$low" "$high"
