#include "jobs/twitter/api_errors.hpp"

namespace ab::tw {

namespace {

std::string one_error(const boost::json::value& error) {
  if (const auto* s = error.if_string()) return std::string(*s);
  const auto* obj = error.if_object();
  if (!obj) return {};
  std::string out;
  if (const auto* code = obj->if_contains("code"); code && code->is_string()) out = std::string(code->get_string());
  if (const auto* message = obj->if_contains("message"); message && message->is_string()) {
    if (!out.empty()) out += ": ";
    out += std::string(message->get_string());
  }
  if (const auto* parameter = obj->if_contains("parameter"); parameter && parameter->is_string())
    out += " (" + std::string(parameter->get_string()) + ")";
  return out;
}

}  // namespace

std::string error_text(const boost::json::value& errors) {
  if (const auto* list = errors.if_array()) {
    std::string out;
    for (const auto& error : *list) {
      const std::string text = one_error(error);
      if (text.empty()) continue;
      if (!out.empty()) out += "; ";
      out += text;
    }
    return out;
  }
  return one_error(errors);
}

std::string describe_failure(const ApiAnswer& answer) {
  std::string out = !answer.error.empty() ? answer.error
                    : answer.status      ? "HTTP " + std::to_string(answer.status)
                                           : std::string("no answer");
  if (const auto* obj = answer.json.if_object()) {
    if (const auto* errors = obj->if_contains("errors")) {
      const std::string text = error_text(*errors);
      if (!text.empty()) out += ": " + text;
    }
  }
  return out;
}

}  // namespace ab::tw
