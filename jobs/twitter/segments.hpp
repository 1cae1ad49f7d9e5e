// The segment tree of a flexible audience (B6), checked before it is sent.
// `segments` itself is a group: boolean_operator AND|OR over non-empty
// child_segments. A child is a group again or a leaf: a tailored_audience_id
// (no children of its own) with lookback_window 1, 7, 14 or 30 (every leaf of
// the seed has one; its "sometimes required" is read as "on leaves"). Any node
// may carry frequency (int >= 1, default 1), frequency_comparator (NUM_GTE
// default, NUM_GT, NUM_EQ, NUM_LTE, NUM_LT) and negate (bool). At most 10
// leaves (the API's limit), at most kMaxSegmentDepth levels. Unknown fields
// are refused, so that a typo does not silently change an audience.
#pragma once

#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace ab::tw {

inline constexpr std::size_t kMaxSegmentLeaves = 10;
inline constexpr std::size_t kMaxSegmentDepth = 8;

// nullopt when `segments` (the value of params.segments, an object as in the
// seed) is valid; else where and why, the path relative to segments, e.g.
// "child_segments[1].lookback_window: must be 1, 7, 14 or 30".
std::optional<std::string> check_segments(const boost::json::value& segments);

}  // namespace ab::tw
