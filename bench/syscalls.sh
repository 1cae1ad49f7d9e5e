#!/usr/bin/env bash
# Syscalls per nf.create row, counted by strace -f -c: like instructions.sh,
# a count the machine's load cannot move.
#
#   bench/syscalls.sh [BIN]                  default: build/audience-batch
#   CONCURRENCY="32 256" bench/syscalls.sh   in flight (default 32)
#
# Each level runs T1's job for 1,000 and for 5,000 rows against the bench
# nginx; the difference over 4,000 rows leaves start-up out.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
bench=$root/bench
python=/usr/bin/python3
command -v strace >/dev/null || { echo "syscalls: strace is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
bin=${1:-$root/build/audience-batch}
work=$(mktemp -d /tmp/audience-batch-syscalls.XXXXXX)
logs=$work
source "$bench/lib.sh"
trap 'stop_started; rm -rf "$work"' EXIT

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
