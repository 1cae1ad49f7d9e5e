// Durations ("500ms", "15m", "1h30m") and rates ("200/15m") as users type them.
#pragma once

#include "engine/run/run_options.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ab {

// Units: ms, s, m, h (and combinations "1m30s"); a bare number is seconds.
// A number may have decimals ("0.1", "1.5s", "0.25h") down to a millisecond.
// nullopt with `error` set when the text is not a duration.
std::optional<Duration> parse_duration(std::string_view text, std::string* error = nullptr);

// "NAME=N/DURATION", e.g. "tw.total_count=200/15m", "nf=20/1s".
std::optional<RateSpec> parse_rate_spec(std::string_view text, std::string* error = nullptr);

// "N/DURATION" alone (the simulator's --total-count-limit).
std::optional<RateSpec> parse_rate(std::string_view text, std::string* error = nullptr);

std::string format_duration(Duration d);

}  // namespace ab
