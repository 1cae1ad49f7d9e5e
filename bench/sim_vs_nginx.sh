#!/usr/bin/env bash
# Issue 3: how close is the simulator to a server that does nothing? wrk
# against the same two endpoints of both in one run, taking turns (nginx then
# the simulator, then the other way round): a cheap read (GET workspaces) and
# nf.create's POST (the simulator validates and stores it, nginx returns a
# canned 201). Prints the medians and the paired ratios as Markdown rows.
#
#   bench/sim_vs_nginx.sh [RAW.jsonl]     appends the figures there if given
#   BENCH_RUNS=3 WRK_SECONDS=5 WRK_CONNECTIONS=32 BENCH_BIN=build/audience-batch
set -euo pipefail

cd "$(dirname "$0")/.."
bench=$PWD/bench
python=/usr/bin/python3
bin=${BENCH_BIN:-$PWD/build/audience-batch}
runs=${BENCH_RUNS:-3}
seconds=${WRK_SECONDS:-5}
connections=${WRK_CONNECTIONS:-32}
work=$(mktemp -d /tmp/audience-batch-simcheck.XXXXXX)
logs=${BENCH_LOGS:-$work}
raw=${1:-$work/figures.jsonl}
source "$bench/lib.sh"
trap 'stop_started; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

[ -x "$bin" ] || die "no binary at $bin (make build, or BENCH_BIN=...)"
"$python" bench/gen_job.py nf.create 1 >"$work/one.csv"
wrk_body "$work/one.csv" "$work/body.json"

start_nginx
start_sim
export NEUROFLASH_CLIENT_ID=$sim_client_id NEUROFLASH_CLIENT_SECRET=$sim_client_secret

measure_server() {  # SERVER RUN
  if [ "$1" = nginx ]; then api=$nginx_api token_url=$nginx_token_url; else api=$sim_nf_api token_url=$sim_nf_token_url; fi
  login_for_wrk
  wrk_unique_names=1
  wrk_figure "$raw" "S.$1.get" "$2" "$connections" "$seconds" "$api/workspace-service/v1/workspaces"
  wrk_figure "$raw" "S.$1.post" "$2" "$connections" "$seconds" "$wrk_create_url" "$work/body.json"
}

for run in $(seq "$runs"); do
  if ((run % 2)); then order="nginx sim"; else order="sim nginx"; fi
  for server in $order; do measure_server "$server" "$run"; done
done
"$python" bench/report.py --sim-vs-nginx "$raw"
