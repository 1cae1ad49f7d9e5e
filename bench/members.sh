#!/usr/bin/env bash
# tw.members end to end against nginx: members per second and requests per
# 1,000,000 members (400 is the floor: 2,500 a request), then the hashing
# micro-benchmarks beside `openssl speed` on the same machine.
#
#   bench/members.sh [MEMBERS]      # default 1000000; a multiple of 2500
#
# Needs a release build (build/audience-batch, build/bench/micro_bench) and
# nginx. Measure on a quiet machine only: the figures are the machine's.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$bench")
members=${1:-1000000}
(( members % 2500 == 0 )) || { echo "bench: MEMBERS must be a multiple of 2500" >&2; exit 2; }
bin=${AB_BIN:-$top/build/audience-batch}
micro=${AB_MICRO:-$top/build/bench/micro_bench}
work=$(mktemp -d)
nginx_pid=
cleanup() {
  [ -z "$nginx_pid" ] || { kill -TERM "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -e "s|@PORT@|$port|g" -e "s|@TMP@|$work|g" "$bench/nginx/members.conf.template" >"$work/nginx.conf"
nginx -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.05; done

python3 - "$members" >"$work/members.csv" <<'PY'
import sys
n = int(sys.argv[1])
out = sys.stdout
out.write("audience_id,operation,email,handle,phone_number\n")
for i in range(n):
    out.write(f"bench1,add, Customer.{i}@Example.COM ,@Fan_{i},+1 (415) {i % 1000:03d}-{i % 10000:04d}\n")
PY
sync

start=$(date +%s.%N)
TWITTER_ADS_API_URL="http://127.0.0.1:$port/8" TWITTER_ADS_ACCOUNT_ID=bench \
TWITTER_CONSUMER_KEY=k TWITTER_CONSUMER_SECRET=s TWITTER_ACCESS_TOKEN=t TWITTER_ACCESS_TOKEN_SECRET=ts \
  "$bin" run "$work/members.csv" --job tw.members --progress lines 2>"$work/stderr" || true
end=$(date +%s.%N)
cat "$work/stderr" | grep summary
python3 - "$members" "$start" "$end" "$work/stderr" <<'PY'
import re, sys
members, start, end = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
text = open(sys.argv[4]).read()
requests = int(re.search(r"(\d+) requests", text).group(1))
print(f"members/s (wall, process start to end): {members / (end - start):,.0f}")
print(f"requests per 1,000,000 members: {requests * 1_000_000 / members:,.0f} (floor 400)")
PY

echo "--- hashing: ours (bytes_per_second) vs openssl speed, 32-byte blocks"
"$micro" --benchmark_filter='Sha256|Email|MemberRow' 2>/dev/null || echo "bench: no $micro (build the bench preset)"
openssl speed -evp sha256 -bytes 32 -seconds 3 2>/dev/null | tail -1
