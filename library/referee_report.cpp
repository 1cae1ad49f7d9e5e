#include "library/referee_report.hpp"

#include <boost/json/parse.hpp>

namespace ab {

std::string referee_report(const std::string& stats_json) {
  boost::system::error_code error;
  const auto stats = boost::json::parse(stats_json, error);
  if (error || !stats.is_object()) return "simulator referee: no stats\n";
  const auto& s = stats.as_object();
  const auto number = [](const boost::json::value* v) { return v ? v->to_number<std::uint64_t>() : 0; };
  std::string line = "simulator referee: " + std::to_string(number(s.if_contains("total_requests"))) + " requests, ";
  const auto broken = number(s.if_contains("total_violations"));
  if (broken == 0) return line + "no rule broken\n";
  line += std::to_string(broken) + (broken == 1 ? " rule broken:" : " rules broken:");
  if (const auto* violations = s.if_contains("violations"); violations && violations->is_object()) {
    const char* separator = " ";
    for (const auto& [rule, n] : violations->as_object()) {
      line += separator + std::string(rule) + " " + std::to_string(n.to_number<std::uint64_t>());
      separator = ", ";
    }
  }
  return line + "\n";
}

}  // namespace ab
