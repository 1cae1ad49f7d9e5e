#!/usr/bin/env bash
# answer_member_fuzz.sh OUTDIR SECONDS: builds the differential fuzzer of a
# create's id read without its document (against the parsed document) with
# clang (address + undefined sanitizers) into OUTDIR and runs it for
# SECONDS, seeded with the answers a create meets. Exits non-zero on any
# finding; the input that found it is left in OUTDIR as crash-*.
source "$(dirname "$0")/lib.sh"

corpus=$out/answer_member_corpus
mkdir -p "$corpus"
binary=$out/answer_member_fuzz
fuzz_build "$binary" "$top/tests/fuzz/answer_member_fuzz.cpp" "$top/engine/send/answer_json.cpp" -- -lboost_json

# The first byte picks the key: "\x00" looks for "id", "\x01" for "a".
printf '\000{"id":"ta-1"}' > "$corpus/nginx"
printf '\000{"id":"16e6678d-39fe-4f00-8e61-bd8674b6331b","name":"Bench audience 1","genderDistribution":{"female":7E-1},"interests":["AI"],"maxAge":55,"shared":true,"permissions":{"canUpdate":true,"id":"p"}}' > "$corpus/simulator"
printf '\000{"id":"x","id":7,"a":{"id":null}}' > "$corpus/repeated"
printf '\001{"a":-0,"\\u0061":"\\ud83d\\ude00"}' > "$corpus/escaped"
cat > "$out/answer_member.dict" <<'DICT'
"{\"id\":"
"\"id\""
"\"a\""
"\\u0069"
"\\ud83d\\ude00"
"18446744073709551615"
"9223372036854775808"
"-0"
"1e2"
"null"
"true"
"[]"
"{}"
"\xff"
DICT

fuzz_run answer_member_fuzz "$binary" "$corpus" "$out/answer_member.dict" 4096 1024
