#!/usr/bin/env bash
# tw.members end to end against nginx, and its hashing against OpenSSL's own:
#
#   members/s   audience-batch (whole command, wall clock) against wrk posting
#               the same 2,500-user body to the same nginx: the wire's ceiling
#               in members/s. Runs alternate (ours, wrk, wrk, ours, ...) and
#               the ratio is the median of each pair's ratio.
#   requests    per 1,000,000 members, from the run's summary (floor: 400).
#   memory      peak RSS of each run (the rows held are bounded, so it does
#               not grow with the file).
#   hashing     SHA-256 of 32-byte values, MB/s: ours (micro_bench) against
#               `openssl speed -evp sha256 -bytes 32`, same machine, same minute.
#
#   bench/members.sh [MEMBERS [RUNS]]   # defaults 1000000 and 3; MEMBERS a multiple of 2500
#
# Needs build/audience-batch and build/bench/micro_bench (cmake --build --preset
# ci), nginx, wrk, /usr/bin/time, python3. The client's tw.members budget is
# lifted (--rate tw.members=1000000/1s): the default, 1,500 requests a minute,
# would cap any run at 62,500 members/s and measure the budget, not the work.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$bench")
members=${1:-1000000}
runs=${2:-3}
(( members % 2500 == 0 )) || { echo "bench: MEMBERS must be a multiple of 2500" >&2; exit 2; }
bin=${AB_BIN:-$top/build/audience-batch}
micro=${AB_MICRO:-$top/build/bench/micro_bench}
concurrency=${AB_CONCURRENCY:-32}
for tool in "$bin" nginx wrk /usr/bin/time python3 openssl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 2; }
done
work=$(mktemp -d)
nginx_pid=
cleanup() {
  if [ -n "$nginx_pid" ]; then kill -TERM "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  [ -n "${AB_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

source "$bench/members_nginx.sh"
start_members_nginx

# The job (one audience, three identifiers a row, written as exports write
# them) and the body audience-batch sends for its first 2,500 rows, for wrk.
python3 "$bench/members_job.py" "$members" "$work/members.csv" "$work/body.json"
sync

ours() {  # one run: prints "members_per_s requests peak_rss_mb"
  rm -f "$work/members.results.csv" "$work/members.results.csv.journal"
  local start end
  start=$(date +%s.%N)
  TWITTER_ADS_API_URL="http://127.0.0.1:$port/8" TWITTER_ADS_ACCOUNT_ID=bench \
  TWITTER_CONSUMER_KEY=k TWITTER_CONSUMER_SECRET=s TWITTER_ACCESS_TOKEN=t TWITTER_ACCESS_TOKEN_SECRET=ts \
    /usr/bin/time -v -o "$work/time.txt" "$bin" run "$work/members.csv" --job tw.members -q \
      --concurrency "$concurrency" --rate tw.members=1000000/1s 2>"$work/stderr" || true
  end=$(date +%s.%N)
  python3 - "$members" "$start" "$end" "$work/stderr" "$work/time.txt" "$work/members.results.csv" <<'PY'
import re, sys
members, start, end = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
log, timing = open(sys.argv[4]).read(), open(sys.argv[5]).read()
ok = sum(1 for line in open(sys.argv[6]) if ",ok," in line)
if ok != members:
    sys.exit(f"bench: only {ok} of {members} rows ok:\n{log}")
requests = int(re.search(r"(\d+) requests", log).group(1))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1)) / 1024
print(f"{members / (end - start):.0f} {requests} {rss:.1f}")
PY
}

wire() {  # one wrk run of 10 s: prints the ceiling in members/s
  WRK_BODY="$work/body.json" wrk -t1 -c"$concurrency" -d10s -s "$bench/wrk/request.lua" \
    "http://127.0.0.1:$port/8/accounts/bench/tailored_audiences/bench1/users" >"$work/wrk.txt"
  python3 - "$work/wrk.txt" <<'PY'
import json, sys
line = next(l for l in open(sys.argv[1]) if l.startswith("WRK "))
w = json.loads(line[4:])
assert w["non2xx"] == 0 and w["socket_errors"] == 0, w
print(f"{w['requests'] * 2500 / w['seconds']:.0f}")
PY
}

echo "bench/members.sh: $members members, $runs pairs, --concurrency $concurrency, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "run  ours members/s  wrk members/s  ratio  requests/1M  peak RSS MB"
ratios=()
for run in $(seq "$runs"); do
  if (( run % 2 )); then read -r rate requests rss < <(ours); ceiling=$(wire)
  else ceiling=$(wire); read -r rate requests rss < <(ours); fi
  ratio=$(python3 -c "print(f'{$rate / $ceiling:.3f}')")
  ratios+=("$ratio")
  printf '%3d  %16s  %13s  %5s  %11s  %11s\n' "$run" "$rate" "$ceiling" "$ratio" \
    "$(( requests * 1000000 / members ))" "$rss"
done
echo "median ratio (ours / wrk, pairwise): $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")"

echo "--- hashing SHA-256, 32-byte values: ours (micro_bench) against openssl speed, same minute"
openssl_hash=$(openssl speed -evp sha256 -bytes 32 -seconds 3 2>/dev/null | awk '/^sha256/ {sub("k", "", $2); printf "%.1f", $2 / 1000}')
if [ ! -x "$micro" ]; then echo "openssl: $openssl_hash MB/s; ours: no $micro (cmake --build --preset ci --target micro_bench)"; exit 0; fi
"$micro" --benchmark_filter='BM_Sha256Hex32Bytes' --benchmark_format=json >"$work/hash.json" 2>/dev/null
ours_hash=$(python3 -c 'import json, sys; print("%.1f" % (json.load(open(sys.argv[1]))["benchmarks"][0]["bytes_per_second"] / 1e6))' "$work/hash.json")
echo "ours: $ours_hash MB/s   openssl: $openssl_hash MB/s   ratio: $(python3 -c "print(f'{$ours_hash / $openssl_hash:.2f}')")"
"$micro" --benchmark_filter='Email|MemberRow' 2>/dev/null | grep -E '^BM_'
