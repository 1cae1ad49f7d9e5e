// The plainest answers read without Beast's parser: an HTTP/1.1 final status
// that has a body (not 1xx, 204 or 304), one Content-Length, no
// Transfer-Encoding, a Connection that says only keep-alive or close, names
// that are tokens and values of plain text on one line each, and the whole
// answer buffered. That is nearly every answer at full speed, and Beast's
// field bookkeeping (a field enum looked up per name, list parsing, checks
// this shape needs no more of) cost about 4,000 instructions an answer, a
// seventh of a row. Anything else is left to Beast from the first byte, so
// this never decides what Beast would have refused or framed otherwise
// (tests/fuzz/simple_answer_fuzz.cpp holds the two to the same reading).
#pragma once

#include "engine/send/http_client.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ab {

struct SimpleAnswer {
  enum class Outcome {
    done,        // `out` holds the answer; `used` bytes were it
    need_more,   // a simple answer may be on its way: read more, ask again
    not_simple,  // Beast's parser must read it, from the first byte
  };
  Outcome outcome = Outcome::not_simple;
  std::size_t used = 0;
  bool keep_alive = false;  // the connection may carry another request
};

// Reads `bytes` (what is buffered from the answer's first byte on) into
// `out`: its status, its fields as AnswerParser keeps them (names lower-cased,
// framing fields and Server left out) and its body. `out` is left as it was
// unless the outcome is done. Heads longer than `header_limit` and bodies
// longer than `body_limit` are not simple (Beast refuses them by the same
// limits); an answer that would need more than `wait_for_at_most` bytes in
// all is not waited for here (Beast reads a large body as it comes).
SimpleAnswer read_simple_answer(std::string_view bytes, HttpAnswer& out, std::size_t header_limit,
                                std::uint64_t body_limit, std::size_t wait_for_at_most = 16 * 1024);

}  // namespace ab
