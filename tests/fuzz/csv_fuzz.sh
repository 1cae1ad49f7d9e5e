#!/usr/bin/env bash
# csv_fuzz.sh OUTDIR SECONDS: builds the CSV reader's libFuzzer target with
# clang (address + undefined sanitizers) into OUTDIR and runs it for SECONDS,
# seeded with the csv-spectrum files. Exits non-zero on any finding; the input
# that found it is left in OUTDIR as crash-* / leak-* / timeout-*.
set -euo pipefail
out=${1:?usage: csv_fuzz.sh OUTDIR SECONDS}
seconds=${2:-20}
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=${AB_SHARED_DIR:-$top/../shared}
cxx=${CXX_FUZZ:-$(command -v clang++-14 || command -v clang++)}

mkdir -p "$out/csv_corpus"
binary=$out/csv_reader_fuzz
"$cxx" -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -Wall -Wextra -Wpedantic -Wshadow -Werror \
  -I"$top" -I"$top/include" \
  "$top/tests/fuzz/csv_reader_fuzz.cpp" "$top/engine/csv_reader.cpp" "$top/engine/utf8.cpp" "$top/engine/cells.cpp" \
  -lboost_json -lboost_url -o "$binary"

# Seeds: every csv-spectrum case, behind a first byte (0xf0) that picks
# one-byte chunks and the largest record cap.
for csv in "$shared"/testdata/csv-spectrum/csvs/*.csv; do
  { printf '\xf0'; cat "$csv"; } > "$out/csv_corpus/spectrum-$(basename "$csv")"
done
cat > "$out/csv.dict" <<'DICT'
"\x22"
","
"\x22\x22"
"\x0d\x0a"
"\x0d"
"\x0a"
"\xef\xbb\xbf"
"|"
"[\x22a\x22]"
"http://"
"0.5"
DICT

echo "csv_fuzz: running $binary for ${seconds}s"
"$binary" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
  -dict="$out/csv.dict" -artifact_prefix="$out/" -print_final_stats=1 \
  "$out/csv_corpus" 2> "$out/csv_fuzz.log" || {
  status=$?
  tail -n 40 "$out/csv_fuzz.log" >&2
  echo "csv_fuzz: FAILED (exit $status); see $out/csv_fuzz.log" >&2
  exit "$status"
}
grep -E '^(stat::number_of_executed_units|#[0-9]+.*DONE)' "$out/csv_fuzz.log" || true
echo "csv_fuzz: no findings"
