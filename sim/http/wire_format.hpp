// A response's head as bytes on the wire ("HTTP/1.1 200 OK\r\n...\r\n\r\n").
// The server writes the head and the body as two plain buffers: Beast's
// general-purpose serializer costs more per answer than the whole rest of
// the simulator's work on a simple request.
#pragma once

#include "sim/http/api_handler.hpp"

#include <string>

namespace ab::sim {

// Replaces `out` with the status line and the header fields of `response`
// (its Content-Length included, as prepare_payload() set it); `out` keeps its
// capacity, so a connection reuses one string for every answer.
void write_head(const Response& response, std::string& out);

}  // namespace ab::sim
