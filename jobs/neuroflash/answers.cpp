#include "jobs/neuroflash/answers.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace ab::nf {

namespace json = boost::json;

namespace {

// {"errors": [{"field": "f", "message": "m"}, ...]} -> "f: m; g: n"
std::optional<std::string> validation_errors(const json::array& errors) {
  std::string joined;
  for (const auto& item : errors) {
    if (!item.is_object()) continue;
    auto message = text_field(item.get_object(), "message");
    if (!message) continue;
    if (!joined.empty()) joined += "; ";
    if (auto field = text_field(item.get_object(), "field")) joined += *field + ": ";
    joined += *message;
  }
  if (joined.empty()) return std::nullopt;
  return joined;
}

}  // namespace

std::optional<std::string> api_message(const json::value& body) {
  if (!body.is_object()) return std::nullopt;
  const auto& object = body.get_object();
  if (const auto* errors = object.if_contains("errors"); errors && errors->is_array())
    if (auto joined = validation_errors(errors->get_array())) return joined;
  if (auto error = text_field(object, "error")) {
    if (auto code = text_field(object, "code")) return *code + ": " + *error;
    if (auto description = text_field(object, "error_description")) return *error + ": " + *description;
    return error;
  }
  return text_field(object, "message");
}

std::string describe_failure(const ApiAnswer& answer) {
  auto words = api_message(answer.json);
  if (answer.outcome == ApiOutcome::rejected && words) return *words;
  std::string reason = answer.error;
  if (reason.empty()) reason = answer.status ? "HTTP " + std::to_string(answer.status) : "no answer";
  if (words) reason += " (" + *words + ")";
  return reason;
}

RowResult failed_row(const ApiAnswer& answer) {
  if (answer.outcome == ApiOutcome::stopped) return row_stopped(answer.attempts, answer.error);
  return failed_row(answer, describe_failure(answer));
}

RowResult failed_row(const ApiAnswer& answer, std::string error) {
  return {.status = RowStatus::failed,
          .http_status = answer.status,
          .id = {},
          .attempts = answer.attempts,
          .error = std::move(error)};
}

RowResult ok_row(const ApiAnswer& answer, std::string id) {
  return {.status = RowStatus::ok,
          .http_status = answer.status,
          .id = std::move(id),
          .attempts = answer.attempts,
          .error = {}};
}

std::optional<std::string> text_field(const json::value& value, std::string_view key) {
  if (!value.is_object()) return std::nullopt;
  return text_field(value.get_object(), key);
}

std::optional<std::string> text_field(const json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_string() && !v->get_string().empty()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  return std::nullopt;
}

}  // namespace ab::nf
