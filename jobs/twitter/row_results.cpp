#include "jobs/twitter/row_results.hpp"

#include "jobs/twitter/api_errors.hpp"

namespace ab::tw {

RowResult row_ok(unsigned http_status, std::string id, unsigned attempts) {
  return RowResult{RowStatus::ok, http_status, std::move(id), attempts, {}};
}

RowResult row_failed(unsigned http_status, std::string error, unsigned attempts) {
  return RowResult{RowStatus::failed, http_status, {}, attempts, std::move(error)};
}

RowResult row_failed(const ApiResponse& response, unsigned attempts) {
  return row_failed(response, describe_failure(response), attempts);
}

RowResult row_failed(const ApiResponse& response, std::string error, unsigned attempts) {
  if (response.outcome == ApiOutcome::stopped) return row_stopped(attempts, response.error);
  return row_failed(response.status, std::move(error), attempts);
}

RowResult row_unknown(unsigned http_status, std::string error, unsigned attempts) {
  return RowResult{RowStatus::unknown, http_status, {}, attempts, std::move(error)};
}

void respond_with_data(RowSink& sink, std::size_t row, const ApiResponse& response) {
  const auto* body = response.json.if_object();
  const auto* data = body ? body->if_contains("data") : nullptr;
  if (data) sink.respond(row, {{"data", *data}});
}

std::string param(const boost::json::object& params, std::string_view key) {
  const auto* value = params.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string{};
}

}  // namespace ab::tw
