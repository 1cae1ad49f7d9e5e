#!/usr/bin/env bash
# csv_fuzz.sh OUTDIR SECONDS: builds the CSV reader's libFuzzer target with
# clang (address + undefined sanitizers) into OUTDIR and runs it for SECONDS,
# seeded with the csv-spectrum files. Exits non-zero on any finding; the input
# that found it is left in OUTDIR as crash-* / leak-* / timeout-*.
source "$(dirname "$0")/lib.sh"
spectrum=$top/tests/data/csv-spectrum

mkdir -p "$out/csv_corpus"
binary=$out/csv_reader_fuzz
fuzz_build "$binary" "$top/tests/fuzz/csv_reader_fuzz.cpp" "$top/engine/input/csv_reader.cpp" "$top/engine/input/utf8.cpp" \
  "$top/engine/input/cells.cpp" -- -lboost_json -lboost_url

# Seeds: every csv-spectrum case, behind a first byte (0xf0) that picks
# one-byte chunks and the largest record cap.
for csv in "$spectrum"/csvs/*.csv; do
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

fuzz_run csv_fuzz "$binary" "$out/csv_corpus" "$out/csv.dict" 4096 1024
