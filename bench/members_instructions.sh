#!/usr/bin/env bash
# User-space instructions per tw.members member, counted by callgrind: the
# steady per-member figure on a shared machine whose VM exposes no hardware
# counters (`perf stat -e instructions` says "not supported" here).
#
#   bench/members_instructions.sh [BIN...]    default: build/audience-batch
#
# Each binary runs bench/members.sh's job (an email, a handle and a phone
# number a row) for 10,000 and for 50,000 members against the bench nginx;
# the difference over 40,000 members leaves start-up out. Every thread counts
# (the journal writer's and any hashing worker's); the kernel does not.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$bench")
command -v valgrind >/dev/null || { echo "members_instructions: valgrind is missing" >&2; exit 1; }
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=("$top/build/audience-batch")
work=$(mktemp -d /tmp/audience-batch-members-instructions.XXXXXX)
nginx_pid=
cleanup() {
  if [ -n "$nginx_pid" ]; then kill -TERM "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

source "$bench/members_nginx.sh"
start_members_nginx
for n in 10000 50000; do python3 "$bench/members_job.py" "$n" "$work/$n.csv"; done

instructions() {  # BIN MEMBERS: every thread's user-space instructions for one run
  local out=$work/run
  rm -rf "$out" && mkdir -p "$out"
  TWITTER_ADS_API_URL="http://127.0.0.1:$port/8" TWITTER_ADS_ACCOUNT_ID=bench \
  TWITTER_CONSUMER_KEY=k TWITTER_CONSUMER_SECRET=s TWITTER_ACCESS_TOKEN=t TWITTER_ACCESS_TOKEN_SECRET=ts \
    valgrind --tool=callgrind --callgrind-out-file="$out/cg.%p" "$1" run "$work/$2.csv" --job tw.members -q \
      --concurrency 32 --rate tw.members=1000000/1s --out "$out/results.csv" >"$out/log" 2>&1 ||
    { echo "members_instructions: $1 failed: $(tail -2 "$out/log")" >&2; exit 1; }
  [ "$(grep -c ',ok,' "$out/results.csv")" = "$2" ] || { echo "members_instructions: not every row ok" >&2; exit 1; }
  grep -h "^summary:" "$out"/cg.* | awk '{ ir += $2 } END { printf "%d\n", ir }'
}

for b in "${bins[@]}"; do
  small=$(instructions "$b" 10000)
  large=$(instructions "$b" 50000)
  echo "$b: $(( (large - small) / 40000 )) instructions per member"
done
