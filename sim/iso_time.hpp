// Timestamps as the APIs write them: "2024-05-01T12:00:00Z" (UTC, seconds).
#pragma once

#include "sim/http/api_handler.hpp"

#include <cstdint>
#include <string>

namespace ab::sim {

std::string iso8601(SystemTime t);
// The same for a count of seconds since 1970-01-01T00:00:00Z (what a store keeps).
void append_iso8601(std::string& out, std::int64_t seconds);
std::int64_t seconds_since_epoch(SystemTime t);
// An HTTP date (IMF-fixdate, RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string imf_fixdate(std::int64_t seconds);

}  // namespace ab::sim
