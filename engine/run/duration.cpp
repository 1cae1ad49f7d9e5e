#include "engine/run/duration.hpp"

#include <charconv>
#include <cstdint>

namespace ab {

namespace {

bool fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

// One "<number><unit>" step of a duration; advances `text`.
bool take_component(std::string_view& text, Duration& total, bool& saw_unitless, std::string* error) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end == text.data()) return fail(error, "expected a number");
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  // "0.1" and "1.5s" as well as "1": a fraction of its unit, to the millisecond.
  std::uint64_t fraction = 0, fraction_scale = 1;
  if (text.starts_with('.')) {
    text.remove_prefix(1);
    while (!text.empty() && text.front() >= '0' && text.front() <= '9') {
      if (fraction_scale == 1'000'000'000) return fail(error, "too many decimals");
      fraction = fraction * 10 + static_cast<std::uint64_t>(text.front() - '0');
      fraction_scale *= 10;
      text.remove_prefix(1);
    }
    if (fraction_scale == 1) return fail(error, "expected digits after the decimal point");
  }
  std::uint64_t millis_per_unit = 1000;  // a bare number is seconds
  if (text.starts_with("ms")) {
    millis_per_unit = 1, text.remove_prefix(2);
  } else if (text.starts_with("s")) {
    millis_per_unit = 1000, text.remove_prefix(1);
  } else if (text.starts_with("m")) {
    millis_per_unit = 60'000, text.remove_prefix(1);
  } else if (text.starts_with("h")) {
    millis_per_unit = 3'600'000, text.remove_prefix(1);
  } else if (!text.empty()) {
    return fail(error, "unknown unit (use ms, s, m or h)");
  } else {
    saw_unitless = true;
  }
  if (value > (UINT64_C(1) << 52) / millis_per_unit) return fail(error, "too large");
  if (fraction * millis_per_unit % fraction_scale != 0) return fail(error, "finer than a millisecond");
  total += Duration(static_cast<Duration::rep>(value * millis_per_unit + fraction * millis_per_unit / fraction_scale));
  return true;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text, std::string* error) {
  if (text.empty()) return fail(error, "empty duration"), std::nullopt;
  const std::string_view original = text;
  Duration total{0};
  bool saw_unitless = false;
  int components = 0;
  while (!text.empty()) {
    if (!take_component(text, total, saw_unitless, error)) {
      if (error) *error = "\"" + std::string(original) + "\" is not a duration (" + *error + "; e.g. 500ms, 30s, 15m, 1h30m)";
      return std::nullopt;
    }
    ++components;
  }
  if (saw_unitless && components > 1) {
    fail(error, "\"" + std::string(original) + "\" is not a duration (a unit is missing; e.g. 1m30s)");
    return std::nullopt;
  }
  return total;
}

std::optional<RateSpec> parse_rate(std::string_view text, std::string* error) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    fail(error, "\"" + std::string(text) + "\" is not a rate (expected N/DURATION, e.g. 200/15m)");
    return std::nullopt;
  }
  RateSpec spec;
  const auto count = text.substr(0, slash);
  auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), spec.limit);
  if (ec != std::errc{} || end != count.data() + count.size() || spec.limit == 0) {
    fail(error, "\"" + std::string(count) + "\" is not a positive whole number of requests");
    return std::nullopt;
  }
  auto window = parse_duration(text.substr(slash + 1), error);
  if (!window) return std::nullopt;
  if (window->count() <= 0) {
    fail(error, "the window of a rate must be longer than 0");
    return std::nullopt;
  }
  spec.window = *window;
  return spec;
}

std::optional<RateSpec> parse_rate_spec(std::string_view text, std::string* error) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    fail(error, "\"" + std::string(text) + "\" is not a budget (expected NAME=N/DURATION, e.g. tw.total_count=200/15m)");
    return std::nullopt;
  }
  auto spec = parse_rate(text.substr(eq + 1), error);
  if (!spec) return std::nullopt;
  spec->name = std::string(text.substr(0, eq));
  return spec;
}

std::string format_duration(Duration d) {
  const auto ms = d.count();
  if (ms % 3'600'000 == 0 && ms > 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0 && ms > 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace ab
