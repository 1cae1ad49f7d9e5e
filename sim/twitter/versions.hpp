// The X Ads API versions the simulator serves over one store (API.md §B11):
// /8/... names the audience resource `tailored_audiences`, /9/ to /12/
// `custom_audiences`, with the same rules, faults and referee. Only the names
// differ; the simulator keeps its own table (it imports nothing of jobs/, so
// that a wrong name in the client's table is caught here, not agreed with).
#pragma once

#include <string_view>

namespace ab::sim::tw {

struct Dialect {
  unsigned version = 8;
  std::string_view audiences;    // the resource's path segment
  std::string_view audience_id;  // the path id's parameter name, as echoed and named in errors
  std::string_view ids;          // B1's comma-separated id filter
  std::string_view noun;         // in messages: "tailored audience", "custom audience"
};

inline constexpr unsigned oldest_version = 8;
inline constexpr unsigned newest_version = 12;

// The dialect of a path's version segment ("8", "12"), or null for a version not served.
const Dialect* dialect_of(std::string_view version_segment);

}  // namespace ab::sim::tw
