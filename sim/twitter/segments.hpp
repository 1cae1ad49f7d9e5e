// A flexible audience's `segments` tree (API.md §B6): checked, and spelt out
// with every default as the seed's answer shows it.
//   group: boolean_operator (AND|OR, required) and non-empty child_segments
//   leaf:  tailored_audience_id of a live audience, lookback_window 1|7|14|30
//   both:  frequency (int >= 1, default 1), frequency_comparator (default
//          NUM_GTE), negate (default false)
// At most 10 leaves in a tree.
#pragma once

#include "sim/twitter/call.hpp"

#include <boost/json/value.hpp>

#include <functional>
#include <string_view>
#include <variant>

namespace ab::sim::tw {

inline constexpr std::size_t max_leaves = 10;

// Whether an id names an audience a segment may use.
using AudienceUsable = std::function<bool(std::string_view id)>;

// The normalised tree (ids in lower case), or the first error found. A value
// of the wrong JSON type carries rule::invalid_body.
std::variant<boost::json::value, RuleError> normalise_segments(const boost::json::value& segments,
                                                               const AudienceUsable& usable);

}  // namespace ab::sim::tw
