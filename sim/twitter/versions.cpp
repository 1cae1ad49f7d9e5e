#include "sim/twitter/versions.hpp"

#include <charconv>

namespace ab::sim::tw {

namespace {

constexpr Dialect v8{8, "tailored_audiences", "tailored_audience_id", "tailored_audience_ids", "tailored audience"};

// X's Custom Audiences reference: the same endpoints and fields, renamed.
constexpr Dialect custom(unsigned version) {
  return {version, "custom_audiences", "custom_audience_id", "custom_audience_ids", "custom audience"};
}

constexpr Dialect dialects[] = {v8, custom(9), custom(10), custom(11), custom(12)};

}  // namespace

const Dialect* dialect_of(std::string_view version_segment) {
  unsigned version = 0;
  const auto [end, error] =
      std::from_chars(version_segment.data(), version_segment.data() + version_segment.size(), version);
  if (version_segment.empty() || error != std::errc() || end != version_segment.data() + version_segment.size())
    return nullptr;
  for (const Dialect& dialect : dialects)
    if (dialect.version == version) return &dialect;
  return nullptr;
}

}  // namespace ab::sim::tw
