# Sourced by the *_fuzz.sh scripts, with their arguments (OUTDIR SECONDS):
# the one way a fuzz target is built and run. Sets top (the checkout), out
# (the output folder) and seconds.
set -euo pipefail
out=${1:?usage: $(basename "$0") OUTDIR SECONDS}
seconds=${2:-20}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

cxx=${CXX_FUZZ:-$(command -v clang++-14 || command -v clang++)}

# fuzz_build BINARY SOURCE... [-- LINK FLAGS...]: clang with libFuzzer,
# address and undefined sanitizers, every warning an error. Each source is
# compiled on its own, in parallel and through ccache when there is one, so
# that a second checkout (CI's clone) compiles only what changed.
fuzz_build() {
  local binary=$1 sources=() links=() objects=() launcher=()
  shift
  while (($#)) && [ "$1" != "--" ]; do sources+=("$1"); shift; done
  (($#)) && shift && links=("$@")
  command -v ccache >/dev/null && launcher=(env CCACHE_BASEDIR="$top" CCACHE_NOHASHDIR=1 ccache)
  local flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
               -Wall -Wextra -Wpedantic -Wshadow -Werror -I"$top" -I"$top/include")
  local objdir=$out/obj/$(basename "$binary")
  mkdir -p "$objdir"
  local source pairs=()
  for source in "${sources[@]}"; do
    objects+=("$objdir/$(realpath --relative-to="$top" "$source" | tr / _).o")
    pairs+=("$source" "${objects[-1]}")
  done
  # xargs appends SOURCE OBJECT to the compiler's command line.
  printf '%s\0' "${pairs[@]}" | xargs -0 -n2 -P"$(nproc)" \
    bash -c 'exec "${@:1:$#-2}" -c "${@: -2:1}" -o "${@: -1}"' _ "${launcher[@]}" "$cxx" "${flags[@]}" \
    || { echo "fuzz_build: compiling $(basename "$binary") failed" >&2; exit 1; }
  "$cxx" "${flags[@]}" "${objects[@]}" "${links[@]}" -o "$binary"
}

# fuzz_run NAME BINARY CORPUS DICT MAX_LEN RSS_MB: runs for $seconds; on a
# finding prints the log's end and exits with libFuzzer's status, leaving the
# input that found it in $out as crash-* / leak-* / timeout-*.
fuzz_run() {
  local name=$1 binary=$2 corpus=$3 dict=$4 max_len=$5 rss=$6 log=$out/$1.log status
  echo "$name: running $binary for ${seconds}s"
  "$binary" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb="$rss" \
    -dict="$dict" -artifact_prefix="$out/" -print_final_stats=1 "$corpus" 2> "$log" || {
    status=$?
    tail -n 40 "$log" >&2
    echo "$name: FAILED (exit $status); see $log" >&2
    exit "$status"
  }
  grep -E '^(stat::number_of_executed_units|#[0-9]+.*DONE)' "$log" || true
  echo "$name: no findings"
}
