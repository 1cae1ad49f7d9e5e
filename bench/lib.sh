# Servers for the benchmarks, sourced by bench/run and bench/sim_vs_nginx.sh.
# Every server runs in its own process group on a loopback port and is
# stopped by its id when the script exits, however it exits.
# Needs: $bench (this folder), $work (a scratch folder), $logs, $python, $bin.

server_groups=()
measuring=

die() { echo "bench: $*" >&2; exit 1; }

# What the EXIT trap calls: the measurement under way, then every server.
stop_started() {
  [ -z "$measuring" ] || stop_group "$measuring"
  measuring=
  stop_servers
}

stop_servers() {
  local pid
  for pid in "${server_groups[@]}"; do stop_group "$pid"; done
  server_groups=()
}

# Runs a command in its own process group and waits for it: a signal to the
# script interrupts the wait at once, and stop_started ends the whole group
# (measure.py, /usr/bin/time and the runner under it).
measured() {
  local code=0
  setsid "$@" &
  measuring=$!
  wait "$measuring" || code=$?
  measuring=
  return "$code"
}

# Stops a process group this script started (setsid made its leader's pid its id).
stop_group() {
  kill -TERM -- "-$1" 2>/dev/null || return 0
  wait "$1" 2>/dev/null || true
}

forget_group() {
  local kept=() pid
  for pid in "${server_groups[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  server_groups=("${kept[@]}")
}

free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_url() {  # URL: up to 5 s for a server to answer anything
  local _
  for _ in $(seq 100); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.05
  done
  return 1
}

# Sets nginx_pid, nginx_api, nginx_token_url.
start_nginx() {
  local dir=$work/nginx port
  port=$(free_port)
  mkdir -p "$dir"
  sed -e "s|@PORT@|$port|g" -e "s|@TMP@|$dir|g" "$bench/nginx/nginx.conf.template" >"$dir/nginx.conf"
  setsid nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >>"$dir/error.log" 2>&1 &
  nginx_pid=$!
  server_groups+=("$nginx_pid")
  nginx_api=http://127.0.0.1:$port/api
  nginx_token_url=http://127.0.0.1:$port/oauth/v2/token
  wait_for_url "$nginx_api/workspace-service/v1/workspaces" || die "nginx did not start: $(tail -3 "$dir/error.log")"
}

# start_sim [sim options]: sets sim_pid, sim_stats and sim_<key> for each key
# of the line the simulator prints (sim_nf_api, sim_client_id, sim_tw_api...).
start_sim() {
  local line=$work/sim.json _
  : >"$line"
  setsid "$bin" sim --port 0 "$@" >"$line" 2>>"$work/sim.log" &
  sim_pid=$!
  server_groups+=("$sim_pid")
  for _ in $(seq 200); do
    grep -q '}' "$line" && break
    sleep 0.025
  done
  grep -q '}' "$line" || die "the simulator did not start: $(tail -3 "$work/sim.log")"
  eval "$("$python" -c '
import json, shlex, sys
for key, value in json.loads(open(sys.argv[1]).readline()).items():
    print(f"sim_{key}={shlex.quote(str(value))}")' "$line")"
  sim_stats=${sim_nf_api%/nf/api}/__stats
}

stop_sim() {
  stop_group "$sim_pid"
  forget_group "$sim_pid"
}

# wrk_body JOB OUT: the JSON body the runners build for JOB's first row,
# which wrk posts as the same exchange.
wrk_body() {
  "$python" -c '
import csv, json, sys
sys.path.insert(0, sys.argv[2])
from python_runner import build_body
row = next(csv.DictReader(open(sys.argv[1])))
sys.stdout.write(json.dumps(build_body(row), separators=(",", ":")))' "$1" "$bench/peers" >"$2"
}

# nginx_for_wrk JOB: the bench nginx with its credentials exported, and
# wrk's body ($work/body.json), token and URL for it.
nginx_for_wrk() {
  wrk_body "$1" "$work/body.json"
  start_nginx
  export NEUROFLASH_CLIENT_ID=bench NEUROFLASH_CLIENT_SECRET=bench
  api=$nginx_api token_url=$nginx_token_url
  login_for_wrk
}

# Sets wrk_token and wrk_create_url for the server behind $api/$token_url:
# wrk sends one fixed request and cannot log in itself.
login_for_wrk() {
  read -r wrk_token wrk_create_url < <("$python" "$bench/nf_login.py" "$api" "$token_url")
}

# wrk_figure RAW SCENARIO RUN CONCURRENCY SECONDS URL [BODY_FILE]: wrk for a
# fixed time, one thread (on two cores, with the server on the other one, a
# second wrk thread only adds contention), GET or with a body POST; with
# $wrk_unique_names=1 each POST a new name (see wrk/request.lua).
wrk_figure() {
  local raw_file=$1 scenario=$2 run=$3 c=$4 seconds=$5 url=$6 body=${7:-}
  measured "$python" "$bench/measure.py" wrk --raw "$raw_file" --scenario "$scenario" --runner wrk --run "$run" \
    --concurrency "$c" --log "$logs/$scenario-wrk-$run.log" -- \
    env WRK_BODY="$body" WRK_TOKEN="$wrk_token" WRK_UNIQUE_NAMES="${wrk_unique_names:-0}" wrk -t1 -c"$c" -d"${seconds}s" -s "$bench/wrk/request.lua" "$url"
}

# per_row_counts_setup: the job files of the per-row counts (instructions.sh,
# syscalls.sh: 1,000 and 5,000 rows of T1's job, whose difference leaves
# start-up out) in $work, and the bench nginx with its credentials.
per_row_counts_setup() {
  "$python" "$bench/gen_job.py" nf.create 5000 >"$work/5000.csv"
  head -n 1001 "$work/5000.csv" >"$work/1000.csv"
  start_nginx
  export NEUROFLASH_CLIENT_ID=bench NEUROFLASH_CLIENT_SECRET=bench
}
