#include "jobs/twitter/row_results.hpp"

#include "jobs/twitter/api_errors.hpp"

namespace ab::tw {

RowResult row_ok(unsigned http_status, std::string id, unsigned attempts) {
  return RowResult{RowStatus::ok, http_status, std::move(id), attempts, {}};
}

RowResult row_failed(unsigned http_status, std::string error, unsigned attempts) {
  return RowResult{RowStatus::failed, http_status, {}, attempts, std::move(error)};
}

RowResult row_failed(const ApiAnswer& answer, unsigned attempts) {
  return row_failed(answer, describe_failure(answer), attempts);
}

RowResult row_failed(const ApiAnswer& answer, std::string error, unsigned attempts) {
  if (answer.outcome == ApiOutcome::stopped) return row_stopped(attempts, answer.error);
  return row_failed(answer.status, std::move(error), attempts);
}

RowResult row_unknown(unsigned http_status, std::string error, unsigned attempts) {
  return RowResult{RowStatus::unknown, http_status, {}, attempts, std::move(error)};
}

void respond_with_data(RowSink& sink, std::size_t row, const ApiAnswer& answer) {
  const auto* body = answer.json.if_object();
  const auto* data = body ? body->if_contains("data") : nullptr;
  if (data) sink.respond(row, {{"data", *data}});
}

std::string param(const boost::json::object& params, std::string_view key) {
  const auto* value = params.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string{};
}

}  // namespace ab::tw
