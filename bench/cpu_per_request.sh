#!/usr/bin/env bash
# CPU time per request, ours against wrk, and the bench nginx's under each:
# the budget that decides T1's ratio on two cores. When both cores are busy,
# rate = 2 cores / (client µs + server µs) per request, so a client that costs
# more per request than wrk cannot reach wrk's rate whatever it overlaps.
#
#   bench/cpu_per_request.sh [BIN [ROWS]]     defaults: build/audience-batch, 100,000
#   CONCURRENCY=128 bench/cpu_per_request.sh  in flight (default 32)
#   RUNS=3                                    runs of each (default 3)
#
# CPU seconds come from the kernel's accounting (/proc/PID/stat for nginx's
# workers, getrusage through /usr/bin/time for the clients): counts that the
# machine's load moves much less than it moves rates. wrk posts the body the
# runners build for row 1, for 5 s.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
bench=$root/bench
python=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
bin=$(realpath "${1:-$root/build/audience-batch}")
rows=${2:-100000}
concurrency=${CONCURRENCY:-32}
runs=${RUNS:-3}
work=$(mktemp -d /tmp/audience-batch-cpu.XXXXXX)
logs=$work
source "$bench/lib.sh"
trap 'stop_started; rm -rf "$work"' EXIT

"$python" "$bench/gen_job.py" nf.create "$rows" >"$work/job.csv"
nginx_for_wrk "$work/job.csv"

# nginx workers' user + system time, in clock ticks.
nginx_ticks() {
  local total=0 pid
  for pid in $(pgrep -f "nginx: worker process" || true); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)

# row NAME REQUESTS WALL USER SYS NGINX_TICKS
row() {
  "$python" - "$@" "$hz" <<'PY'
import sys
name, n, wall, user, sys_, ticks, hz = sys.argv[1:]
n, wall, user, sys_, ngx = int(n), float(wall), float(user), float(sys_), int(ticks) / int(hz)
us = lambda s: 1e6 * s / n
print(f"| {name} | {n / wall:,.0f}/s | {us(user):.1f} | {us(sys_):.1f} | {us(user + sys_):.1f} | {us(ngx):.1f} | {us(user + sys_ + ngx):.1f} |")
PY
}

echo "| client | rate | client user µs | client system µs | client µs | nginx µs | both µs |"
echo "|---|---|---|---|---|---|---|"
for run in $(seq "$runs"); do
  rm -f "$work"/results.csv*
  before=$(nginx_ticks)
  /usr/bin/time -o "$work/time" -f "%e %U %S" "$bin" run "$work/job.csv" --job nf.create --nf-api "$nginx_api" \
    --nf-token-url "$nginx_token_url" --concurrency "$concurrency" --out "$work/results.csv" -q >/dev/null 2>&1 ||
    die "$bin failed"
  after=$(nginx_ticks)
  read -r wall user sys <"$work/time"
  row "audience-batch (run $run)" "$rows" "$wall" "$user" "$sys" $((after - before))

  before=$(nginx_ticks)
  WRK_BODY=$work/body.json WRK_TOKEN=$wrk_token WRK_UNIQUE_NAMES=0 /usr/bin/time -o "$work/time" -f "%e %U %S" \
    wrk -t1 -c"$concurrency" -d5s -s "$bench/wrk/request.lua" "$wrk_create_url" >"$work/wrk.out" 2>&1
  after=$(nginx_ticks)
  read -r wall user sys <"$work/time"
  requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk.out")
  [ -n "$requests" ] || die "wrk said: $(tail -3 "$work/wrk.out")"
  row "wrk (run $run)" "$requests" "$wall" "$user" "$sys" $((after - before))
done
