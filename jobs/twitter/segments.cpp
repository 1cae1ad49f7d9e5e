#include "jobs/twitter/segments.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace ab::tw {

namespace {

constexpr std::array<std::string_view, 7> kFields = {
    "boolean_operator", "child_segments", "tailored_audience_id", "frequency",
    "frequency_comparator", "lookback_window", "negate"};
constexpr std::array<std::string_view, 2> kOperators = {"AND", "OR"};
constexpr std::array<std::string_view, 5> kComparators = {"NUM_GTE", "NUM_GT", "NUM_EQ", "NUM_LTE", "NUM_LT"};
constexpr std::array<std::int64_t, 4> kLookbackWindows = {1, 7, 14, 30};

template <class List, class T>
bool contains(const List& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::optional<std::int64_t> as_integer(const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v.get_uint64());
  return std::nullopt;
}

class TreeCheck {
 public:
  std::optional<std::string> node(const boost::json::value& value, const std::string& path, std::size_t depth) {
    auto at = [&path](std::string_view field) { return path.empty() ? std::string(field) : path + "." + std::string(field); };
    auto fail = [&](std::string_view field, std::string why) { return at(field) + ": " + why; };
    auto here = [&path](std::string why) { return path.empty() ? why : path + ": " + why; };
    const auto* obj = value.if_object();
    if (!obj) return here("must be an object");
    if (depth > kMaxSegmentDepth) return here("nested deeper than " + std::to_string(kMaxSegmentDepth) + " levels");
    for (const auto& field : *obj)
      if (!contains(kFields, field.key())) return fail(field.key(), "unknown field");

    const boost::json::array* children = nullptr;
    if (const auto* c = obj->if_contains("child_segments")) {
      children = c->if_array();
      if (!children) return fail("child_segments", "must be an array");
    }
    const bool has_children = children && !children->empty();
    if (const auto* op = obj->if_contains("boolean_operator")) {
      if (!op->is_string() || !contains(kOperators, std::string_view(op->get_string())))
        return fail("boolean_operator", "must be AND or OR");
    } else if (has_children) {
      return fail("boolean_operator", "required where child_segments is not empty (AND or OR)");
    }
    if (const auto* id = obj->if_contains("tailored_audience_id")) {
      if (depth == 1) return fail("tailored_audience_id", "belongs in child_segments: segments itself is a group");
      if (has_children) return fail("child_segments", "a segment with a tailored_audience_id has no child_segments");
      if (!id->is_string() || id->get_string().empty()) return fail("tailored_audience_id", "must be a non-empty string");
      if (++leaves_ > kMaxSegmentLeaves)
        return fail("tailored_audience_id", "more than " + std::to_string(kMaxSegmentLeaves) + " tailored audiences in one flexible audience");
      if (!obj->contains("lookback_window")) return fail("lookback_window", "required on a tailored audience (1, 7, 14 or 30)");
    } else if (!has_children) {
      return here("needs a tailored_audience_id or child_segments");
    }
    if (const auto* f = obj->if_contains("frequency")) {
      const auto n = as_integer(*f);
      if (!n || *n < 1) return fail("frequency", "must be an integer >= 1");
    }
    if (const auto* c = obj->if_contains("frequency_comparator")) {
      if (!c->is_string() || !contains(kComparators, std::string_view(c->get_string())))
        return fail("frequency_comparator", "must be NUM_GTE, NUM_GT, NUM_EQ, NUM_LTE or NUM_LT");
    }
    if (const auto* w = obj->if_contains("lookback_window")) {
      const auto n = as_integer(*w);
      if (!n || !contains(kLookbackWindows, *n)) return fail("lookback_window", "must be 1, 7, 14 or 30");
    }
    if (const auto* n = obj->if_contains("negate"); n && !n->is_bool()) return fail("negate", "must be true or false");

    if (!children) return std::nullopt;
    for (std::size_t i = 0; i < children->size(); ++i)
      if (auto why = node((*children)[i], at("child_segments") + "[" + std::to_string(i) + "]", depth + 1)) return why;
    return std::nullopt;
  }

 private:
  std::size_t leaves_ = 0;
};

}  // namespace

std::optional<std::string> check_segments(const boost::json::value& segments) {
  if (segments.is_array())
    return std::string("must be an object with boolean_operator and child_segments, not an array");
  return TreeCheck().node(segments, "", 1);
}

}  // namespace ab::tw
