#!/usr/bin/env bash
# Two builds of audience-batch against each other at T1, in alternating
# back-to-back runs: the median of the pairs' rate ratios, B over A. This
# machine's speed moves by ±25 % from one minute to the next, so a change of
# a few per cent shows only in such pairs (how the gathering of intents and
# the allocations of this engine were judged).
#
#   bench/pairs.sh A B [PAIRS [ROWS]]      defaults: 12 pairs of 60,000 rows
#
# Each run is T1's job (nf.create, --concurrency 32) against the bench nginx
# started here, its results and journal in a fresh directory under /tmp.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
bench=$root/bench
python=/usr/bin/python3
[ $# -ge 2 ] || { echo "usage: bench/pairs.sh A B [PAIRS [ROWS]]" >&2; exit 2; }
a=$(realpath "$1")
b=$(realpath "$2")
pairs=${3:-12}
rows=${4:-60000}
work=$(mktemp -d /tmp/audience-batch-pairs.XXXXXX)
logs=$work
bin=$a
source "$bench/lib.sh"
trap 'stop_started; rm -rf "$work"' EXIT

"$python" "$bench/gen_job.py" nf.create "$rows" >"$work/job.csv"
start_nginx
export NEUROFLASH_CLIENT_ID=bench NEUROFLASH_CLIENT_SECRET=bench

# rate BIN: rows/s of one run, as the run's summary says.
rate() {
  local out=$work/run
  rm -rf "$out" && mkdir -p "$out"
  "$1" run "$work/job.csv" --job nf.create --nf-api "$nginx_api" --nf-token-url "$nginx_token_url" \
    --concurrency 32 --out "$out/results.csv" --progress lines >"$out/log" 2>&1 || die "$1 failed: $(tail -2 "$out/log")"
  grep -o '[0-9.]* rows/s' "$out/log" | tail -1 | cut -d' ' -f1
}

for ((i = 0; i < pairs; i++)); do
  if ((i % 2 == 0)); then ra=$(rate "$a"); rb=$(rate "$b"); else rb=$(rate "$b"); ra=$(rate "$a"); fi
  echo "$ra $rb"
done | "$python" -c '
import statistics, sys
runs = [tuple(map(float, line.split())) for line in sys.stdin]
ratios = sorted(b / a for a, b in runs)
q = len(ratios) // 4
print(f"A median {statistics.median(a for a, _ in runs):,.0f} rows/s, B median {statistics.median(b for _, b in runs):,.0f}")
print(f"B/A: median {statistics.median(ratios):.3f}, quartiles {ratios[q]:.3f}..{ratios[-1 - q]:.3f} over {len(ratios)} pairs")
print("pairs:", " ".join(f"{r:.2f}" for r in ratios))'
