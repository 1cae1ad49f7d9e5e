#include "sim/twitter/segments.hpp"

#include "sim/twitter/store.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <array>
#include <optional>

namespace ab::sim::tw {

namespace {

constexpr std::array<std::string_view, 5> comparators{"NUM_GTE", "NUM_GT", "NUM_EQ", "NUM_LTE", "NUM_LT"};
constexpr std::array<std::int64_t, 4> lookback_windows{1, 7, 14, 30};

RuleError wrong_type(std::string parameter, std::string_view expected) {
  return {{code::invalid_parameter, parameter + " must be " + std::string(expected), parameter}, rule::invalid_body};
}

RuleError invalid(std::string parameter, std::string message) {
  return {{code::invalid_parameter, std::move(message), std::move(parameter)}, {}};
}

class Normaliser {
 public:
  explicit Normaliser(const AudienceUsable& usable) : usable_(usable) {}

  std::optional<RuleError> node(const boost::json::value& in, boost::json::object& out, bool root) {
    if (!in.is_object()) return wrong_type(root ? "segments" : "child_segments", "an object");
    const auto& segment = in.get_object();
    const boost::json::value* id = segment.if_contains("tailored_audience_id");
    const boost::json::value* children = segment.if_contains("child_segments");
    if (children && !children->is_array()) return wrong_type("child_segments", "an array");
    const bool has_children = children && !children->get_array().empty();

    if (id) {
      if (root) return invalid("segments", "segments is a group: boolean_operator and child_segments");
      if (has_children) return invalid("child_segments", "a segment with a tailored_audience_id has no child_segments");
      if (auto error = leaf(*id, segment, out)) return error;
    } else {
      if (!has_children) return invalid("child_segments", "a segment needs a tailored_audience_id or child_segments");
      if (auto error = group(segment, out)) return error;
    }
    if (auto error = common(segment, out)) return error;
    boost::json::array normalised_children;
    if (has_children) {
      for (const auto& child : children->get_array()) {
        boost::json::object normalised;
        if (auto error = node(child, normalised, false)) return error;
        normalised_children.emplace_back(std::move(normalised));
      }
    }
    out["child_segments"] = std::move(normalised_children);
    return std::nullopt;
  }

 private:
  std::optional<RuleError> leaf(const boost::json::value& id, const boost::json::object& segment,
                                boost::json::object& out) {
    if (!id.is_string() || id.get_string().empty()) return wrong_type("tailored_audience_id", "a non-empty string");
    const std::string lowered = lower_ascii(id.get_string());
    if (!usable_(lowered)) return invalid("tailored_audience_id", "no live tailored audience " + lowered);
    if (++leaves_ > max_leaves) return invalid("segments", "a flexible audience has at most 10 tailored audiences");
    out["tailored_audience_id"] = lowered;
    const boost::json::value* lookback = segment.if_contains("lookback_window");
    if (!lookback) return RuleError{{code::missing_parameter, "lookback_window is required", "lookback_window"}, {}};
    return lookback_window(*lookback, out);
  }

  std::optional<RuleError> group(const boost::json::object& segment, boost::json::object& out) {
    const boost::json::value* op = segment.if_contains("boolean_operator");
    if (!op)
      return RuleError{{code::missing_parameter, "boolean_operator is required when child_segments is not empty",
                        "boolean_operator"},
                       {}};
    if (!op->is_string()) return wrong_type("boolean_operator", "a string");
    if (op->get_string() != "AND" && op->get_string() != "OR")
      return invalid("boolean_operator", "boolean_operator must be AND or OR");
    out["boolean_operator"] = *op;
    if (const auto* lookback = segment.if_contains("lookback_window")) return lookback_window(*lookback, out);
    return std::nullopt;
  }

  static std::optional<RuleError> lookback_window(const boost::json::value& value, boost::json::object& out) {
    if (!value.is_int64()) return wrong_type("lookback_window", "an integer");
    if (std::find(lookback_windows.begin(), lookback_windows.end(), value.get_int64()) == lookback_windows.end())
      return invalid("lookback_window", "lookback_window must be 1, 7, 14 or 30");
    out["lookback_window"] = value;
    return std::nullopt;
  }

  static std::optional<RuleError> common(const boost::json::object& segment, boost::json::object& out) {
    out["frequency"] = 1;
    if (const auto* frequency = segment.if_contains("frequency")) {
      if (!frequency->is_int64()) return wrong_type("frequency", "an integer");
      if (frequency->get_int64() < 1) return invalid("frequency", "frequency must be at least 1");
      out["frequency"] = *frequency;
    }
    out["frequency_comparator"] = "NUM_GTE";
    if (const auto* comparator = segment.if_contains("frequency_comparator")) {
      if (!comparator->is_string()) return wrong_type("frequency_comparator", "a string");
      if (std::find(comparators.begin(), comparators.end(), std::string_view(comparator->get_string())) ==
          comparators.end())
        return invalid("frequency_comparator",
                       "frequency_comparator must be NUM_GTE, NUM_GT, NUM_EQ, NUM_LTE or NUM_LT");
      out["frequency_comparator"] = *comparator;
    }
    out["negate"] = false;
    if (const auto* negate = segment.if_contains("negate")) {
      if (!negate->is_bool()) return wrong_type("negate", "true or false");
      out["negate"] = *negate;
    }
    return std::nullopt;
  }

  const AudienceUsable& usable_;
  std::size_t leaves_ = 0;
};

}  // namespace

std::variant<boost::json::value, RuleError> normalise_segments(const boost::json::value& segments,
                                                               const AudienceUsable& usable) {
  Normaliser normaliser(usable);
  boost::json::object out;
  if (auto error = normaliser.node(segments, out, true)) return *error;
  return boost::json::value(std::move(out));
}

}  // namespace ab::sim::tw
