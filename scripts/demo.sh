#!/usr/bin/env bash
# `make demo`: a night in miniature on the embedded simulator. Each job runs
# from a fresh copy under build/demo/, so the demo can be run again and again
# (a second run of the same results file would resume and send nothing).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/build/audience-batch
demo=$top/build/demo
rm -rf "$demo" && mkdir -p "$demo"

if ! "$bin" --version >/dev/null 2>&1; then
  echo "demo: $bin is missing; run 'make demo' from the top of the checkout" >&2
  exit 2
fi

run_job() {
  local kind=$1; shift
  local file=$top/examples/$kind.csv
  [ -f "$file" ] || { echo "demo: no example for $kind yet ($file)"; return 0; }
  cp "$file" "$demo/"
  echo
  echo "=== audience-batch run examples/$kind.csv --job $kind --sim $*"
  "$bin" run "$demo/$kind.csv" --job "$kind" --sim --progress lines \
    --responses "$demo/$kind.responses.jsonl" "$@"
  local rc=$?
  echo "--- exit code $rc; results ($demo/$kind.results.csv):"
  cat "$demo/$kind.results.csv" 2>/dev/null
  if [ -s "$demo/$kind.responses.jsonl" ]; then
    echo "--- first response line:"
    head -c 600 "$demo/$kind.responses.jsonl" | head -1
  fi
}

echo "audience-batch $("$bin" --version | cut -d' ' -f2): rehearsal on the embedded simulator (no account needed)"
run_job nf.url-import --create
run_job nf.create
run_job tw.create
run_job tw.count
run_job tw.flexible
echo
echo "Check a file before the night without sending anything:"
echo "=== audience-batch check examples/nf.create.csv --job nf.create"
"$bin" check "$top/examples/nf.create.csv" --job nf.create
exit 0
