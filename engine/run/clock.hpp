// Time as the engine's decisions take it: passed in, never read inside, so
// that a 15-minute window is tested in milliseconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace ab {

using SteadyTime = std::chrono::steady_clock::time_point;
using SystemTime = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

// The seeded generator every random decision (jitter) draws from.
using Random = std::mt19937_64;

}  // namespace ab
