#!/usr/bin/env bash
# simple_answer_fuzz.sh OUTDIR SECONDS: builds the simple answer reader's
# differential fuzzer (against Beast's response parser) with clang (address +
# undefined sanitizers) into OUTDIR and runs it for SECONDS, seeded with the
# answers the engine meets: nginx's, the simulator's, X's and neuroflash's
# shapes, and the ones that must go to Beast. Exits non-zero on any finding;
# the input that found it is left in OUTDIR as crash-*.
source "$(dirname "$0")/lib.sh"

corpus=$out/simple_answer_corpus
mkdir -p "$corpus"
binary=$out/simple_answer_fuzz
fuzz_build "$binary" "$top/tests/fuzz/simple_answer_fuzz.cpp" "$top/engine/send/simple_answer.cpp" \
  "$top/engine/send/answer_fields.cpp" -- -pthread

# answer HEAD [BODY]: the head's lines end in CRLF, then an empty line, then the body.
answer() {
  printf '%s\n' "$1" | awk '{ printf "%s\r\n", $0 }'
  printf '\r\n%s' "${2-}"
}
body='{"id":"ta-1"}'
answer "HTTP/1.1 201 Created
Server: nginx
Date: Sun, 06 Dec 2026 07:59:00 GMT
Content-Type: application/json
Content-Length: ${#body}
Connection: keep-alive" "$body" > "$corpus/nginx"
answer "HTTP/1.1 429 Too Many Requests
content-type: application/json
x-rate-limit-limit: 450
x-rate-limit-remaining: 0
x-rate-limit-reset: 1765000000
Retry-After: 3
content-length: 2
connection: close" '{}' > "$corpus/x-throttled"
answer "HTTP/1.1 200 OK
Content-Length: 0" > "$corpus/empty"
answer "HTTP/1.1 200 OK
Transfer-Encoding: chunked" $'2\r\n{}\r\n0\r\n\r\n' > "$corpus/chunked"
answer "HTTP/1.0 200 OK
Content-Length: 2" '{}' > "$corpus/http10"
answer "HTTP/1.1 200 OK
X-Folded: a
 b
Content-Length: 2" '{}' > "$corpus/folded"
{ answer "HTTP/1.1 204 No Content"; answer "HTTP/1.1 200 OK
Content-Length: 2" '{}'; } > "$corpus/two"
cat > "$out/simple_answer.dict" <<'DICT'
"\x0d\x0a"
"\x0d\x0a\x0d\x0a"
"HTTP/1.1 "
"HTTP/1.0 "
"Content-Length: "
"content-length:"
"Connection: close\x0d\x0a"
"Connection: keep-alive\x0d\x0a"
"Connection: Upgrade\x0d\x0a"
"Transfer-Encoding: chunked\x0d\x0a"
"Keep-Alive: timeout=5\x0d\x0a"
"Proxy-Connection: close\x0d\x0a"
"Server: nginx\x0d\x0a"
" 200 OK"
" 204 "
" 304 "
" 101 "
"\x09"
"\x7f"
"\xff"
DICT

fuzz_run simple_answer_fuzz "$binary" "$corpus" "$out/simple_answer.dict" 4096 1024
