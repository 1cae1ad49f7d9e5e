// Timestamps as the APIs write them: "2024-05-01T12:00:00Z" (UTC, seconds).
#pragma once

#include "sim/api_handler.hpp"

#include <string>

namespace ab::sim {

std::string iso8601(SystemTime t);

}  // namespace ab::sim
