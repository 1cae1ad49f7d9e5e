#include "library/referee_report.hpp"

#include <boost/json/parse.hpp>

#include <cstdio>

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

std::string store_report(const std::string& stats_json) {
  boost::system::error_code error;
  const auto stats = boost::json::parse(stats_json, error);
  const auto* store = !error && stats.is_object() ? stats.as_object().if_contains("store") : nullptr;
  if (!store || !store->is_object()) return "";
  const auto& s = store->as_object();
  const auto* creates = s.if_contains("nf_creates");
  const auto* bytes = s.if_contains("nf_store_bytes");
  const auto* mode = s.if_contains("nf_store");
  if (!creates || !bytes || !mode || !mode->is_string() || creates->to_number<std::uint64_t>() == 0) return "";
  const auto audiences = creates->to_number<std::uint64_t>();
  const auto total = bytes->to_number<double>();
  char line[160];
  std::snprintf(line, sizeof line, "simulator store: %s, %llu audiences created, %.1f bytes an audience (%.1f MiB)\n",
                mode->get_string().c_str(), static_cast<unsigned long long>(audiences),
                total / static_cast<double>(audiences), total / (1024.0 * 1024.0));
  return line;
}

}  // namespace ab
