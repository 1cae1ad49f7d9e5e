#!/usr/bin/env bash
# sim_fuzz.sh OUTDIR SECONDS: builds the simulator's request fuzzer (Beast's
# parser, the Router and the neuroflash handler, no sockets) with clang
# (address + undefined sanitizers) into OUTDIR and runs it for SECONDS, seeded
# with well-formed requests that use the target's placeholders (@T token,
# @W workspace, @A audience, @F foreign audience). Exits non-zero on any
# finding; the input that found it is left in OUTDIR as crash-* / leak-* / timeout-*.
source "$(dirname "$0")/lib.sh"

corpus=$out/sim_corpus
mkdir -p "$corpus"
binary=$out/sim_request_fuzz
sources=()
for name in http/router faults referee json_answer json_text iso_time rate_window \
            neuroflash/oauth2_tokens neuroflash/api neuroflash/profile neuroflash/store neuroflash/url_import \
            store/audience_ids store/intern_pool store/text_arena; do
  sources+=("$top/sim/$name.cpp")
done
# Asio and Beast header-only here: no separately compiled library to link.
fuzz_build "$binary" "$top/tests/fuzz/sim_request_fuzz.cpp" "${sources[@]}" -- \
  -lboost_json -lboost_url -lssl -lcrypto -pthread

# Seeds: well-formed requests of each kind. request HEAD [BODY]: the head's
# lines end in CRLF, then an empty line, then the body as is.
request() {
  printf '%s\n' "$1" | awk '{ printf "%s\r\n", $0 }'
  printf '\r\n%s' "${2-}"
}
nf=/nf/api/audience-service/v1/workspaces/@W/target-audiences
json='Content-Type: application/json'
auth='Authorization: Bearer @T'
profile='{"name":"Marketing leaders","country":"US","genderDistribution":{"female":0.5,"male":0.4,"nonBinary":0.07,"preferNotToSay":0.03},"interests":["AI"],"maxAge":45,"minAge":25,"nativeLanguage":"en","needs":["scale"],"painPoints":["manual"],"residence":"Berlin","shared":true}'
import='{"audienceModelId":"538b1efc6f88ad88feebf7acd8c618facb54fe82","urls":["https://your-brand.com"]}'
form='grant_type=client_credentials&client_id=sim-client&client_secret=sim-secret&scope=openid'
request "POST /nf/oauth/v2/token HTTP/1.1
Content-Type: application/x-www-form-urlencoded
Content-Length: ${#form}" "$form" > "$corpus/token"
request "GET /nf/api/workspace-service/v1/workspaces HTTP/1.1
$auth" > "$corpus/workspaces"
request "POST $nf HTTP/1.1
$auth
$json
Content-Length: ${#profile}" "$profile" > "$corpus/create"
request "PUT $nf/@A HTTP/1.1
$auth
$json
Content-Length: ${#profile}" "$profile" > "$corpus/put"
request "POST $nf-url-imports HTTP/1.1
$auth
$json
Content-Length: ${#import}" "$import" > "$corpus/import"
{
  request "DELETE $nf/@F HTTP/1.1
$auth"
  request "GET $nf/@A HTTP/1.1
$auth"
  request "GET /__stats HTTP/1.1"
} > "$corpus/pipelined"
request "POST $nf HTTP/1.1
$auth
$json
Transfer-Encoding: chunked" $'c\r\n{"name":"x"}\r\n0\r\n\r\n' > "$corpus/chunked"
cat > "$out/sim.dict" <<'DICT'
"@T"
"@W"
"@A"
"@F"
"\x0d\x0a"
"Authorization: Bearer @T\x0d\x0a"
"Content-Type: application/json\x0d\x0a"
"Content-Length: "
"Transfer-Encoding: chunked\x0d\x0a"
"/nf/api/audience-service/v1/workspaces/@W/target-audiences"
"/nf/api/workspace-service/v1/workspaces"
"/nf/oauth/v2/token"
"/__stats"
"/__reset"
"genderDistribution"
"\x22female\x22:"
"\x22nonBinary\x22:"
"\x22preferNotToSay\x22:"
"0.07"
"1e-9"
"null"
"PUT "
"DELETE "
DICT

fuzz_run sim_fuzz "$binary" "$corpus" "$out/sim.dict" 8192 2048
