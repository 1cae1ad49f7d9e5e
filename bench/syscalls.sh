#!/usr/bin/env bash
# Syscalls per nf.create row, counted by strace -f -c: like instructions.sh,
# a count the machine's load cannot move.
#
#   bench/syscalls.sh [BIN]                  default: build/audience-batch
#   CONCURRENCY="32 256" bench/syscalls.sh   in flight (default 32)
#   FULL_SPEED=1 bench/syscalls.sh [BIN]     at full speed instead (below)
#
# Each level runs T1's job for 1,000 and for 5,000 rows against the bench
# nginx; the difference over 4,000 rows leaves start-up out.
#
# strace stops the client at every syscall, so nginx has always answered by
# the time a read is tried: its counts are the work a row asks for, not what
# a run at full speed makes. FULL_SPEED=1 counts one run of ROWS (default
# 200,000) rows by the kernel's syscall tracepoints (perf stat, which does
# not slow the run), journal on disk, or in $JOURNAL_DIR: there a read tried
# before nginx answered costs a recvfrom that finds nothing, and the count
# moves with the machine (bench/README.md).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
bench=$root/bench
python=/usr/bin/python3
tool=strace
[ -n "${FULL_SPEED:-}" ] && tool=perf
command -v $tool >/dev/null || { echo "syscalls: $tool is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
bin=${1:-$root/build/audience-batch}
work=$(mktemp -d /tmp/audience-batch-syscalls.XXXXXX)
logs=$work
source "$bench/lib.sh"
trap 'stop_started; rm -rf "$work"' EXIT

if [ -n "${FULL_SPEED:-}" ]; then
  rows=${ROWS:-200000}
  "$python" "$bench/gen_job.py" nf.create "$rows" >"$work/job.csv"
  start_nginx
  export NEUROFLASH_CLIENT_ID=bench NEUROFLASH_CLIENT_SECRET=bench
  out=${JOURNAL_DIR:-$work/out}
  calls=(sendmsg recvfrom pwrite64 write futex epoll_wait epoll_ctl fdatasync)
  events=raw_syscalls:sys_enter
  for call in "${calls[@]}"; do events+=",syscalls:sys_enter_$call"; done
  for c in ${CONCURRENCY:-32}; do
    mkdir -p "$out" && rm -f "$out"/results.csv*
    perf stat -x, -e "$events" -o "$work/$c.perf" "$bin" run "$work/job.csv" --job nf.create \
      --nf-api "$nginx_api" --nf-token-url "$nginx_token_url" --concurrency "$c" \
      --out "$out/results.csv" --progress lines >"$work/log" 2>&1 || die "$bin failed: $(tail -2 "$work/log")"
    echo "$c in flight, $(grep -o '[0-9.]* rows/s' "$work/log" | tail -1), $rows rows:"
    awk -F, -v rows="$rows" '$3 ~ /sys_enter/ {
        name = $3; sub(/.*sys_enter_?/, "", name)
        if (name == "") total = $1; else printf "  %-16s %.2f\n", name, $1 / rows }
      END { printf "  %-16s %.2f\n", "per row (all)", total / rows }' "$work/$c.perf"
  done
  exit 0
fi

per_row_counts_setup

for c in ${CONCURRENCY:-32}; do
  for rows in 1000 5000; do
    rm -f "$work"/results.csv*
    strace -f -c -o "$work/$c.$rows" "$bin" run "$work/$rows.csv" --job nf.create \
      --nf-api "$nginx_api" --nf-token-url "$nginx_token_url" --concurrency "$c" \
      --out "$work/results.csv" --progress lines >"$work/log" 2>&1 || die "$bin failed: $(tail -2 "$work/log")"
  done
  echo "$c in flight:"
  "$python" - "$work/$c.1000" "$work/$c.5000" <<'PY'
import re, sys
def calls(path):
    found = {}
    for line in open(path):
        m = re.match(r'\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$', line)
        if m and m.group(2) != 'total':
            found[m.group(2)] = int(m.group(1))
    return found
small, large = calls(sys.argv[1]), calls(sys.argv[2])
per_row = {k: (large[k] - small.get(k, 0)) / 4000 for k in large}
for name, n in sorted(per_row.items(), key=lambda kv: -kv[1]):
    if n >= 0.01:
        print(f"  {name:16s} {n:.2f}")
print(f"  {'per row':16s} {sum(per_row.values()):.2f}")
PY
done
