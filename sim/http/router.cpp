#include "sim/http/router.hpp"

#include "sim/http/http_target.hpp"
#include "sim/json_answer.hpp"

#include <algorithm>
#include <exception>
#include <optional>

namespace ab::sim {

namespace {

// Connection drops are counted with status 0: no answer went out.
constexpr unsigned no_answer = 0;

}  // namespace

Router::Router(std::vector<std::unique_ptr<ApiHandler>> handlers, RouterConfig config)
    : handlers_(std::move(handlers)),
      fault_free_paths_(std::move(config.fault_free_paths)),
      faults_(config.faults, config.seed) {}

Reply Router::route(const Request& request, SystemTime now) {
  const std::string_view path = path_of(request.target());
  if (auto own = serve_own_endpoint(request, path)) return Reply{false, std::move(*own), {}};

  std::lock_guard lock(mutex_);
  const bool fault_free = std::find(fault_free_paths_.begin(), fault_free_paths_.end(), path) != fault_free_paths_.end();
  const FaultDecision fault = faults_.decide(fault_free);
  Reply reply;
  reply.delay = fault.delay;
  switch (fault.kind) {
    case FaultKind::reset:
      referee_.count(endpoint::fault_reset, no_answer);
      reply.drop = true;
      return reply;
    case FaultKind::error:
    case FaultKind::unavailable:
    case FaultKind::throttle:
      referee_.count(fault.kind == FaultKind::throttle ? endpoint::fault_throttle : endpoint::fault_error, fault.status);
      reply.response = fault_answer(request, fault, now);
      return reply;
    case FaultKind::lost_reply:
      dispatch(request, now);
      referee_.count(endpoint::fault_lost_reply, no_answer);
      reply.drop = true;
      return reply;
    case FaultKind::none:
      break;
  }
  reply.response = dispatch(request, now);
  return reply;
}

Response Router::dispatch(const Request& request, SystemTime now) {
  try {
    return dispatch_to_handlers(request, now);
  } catch (const std::exception&) {
    // A handler's bug must not take the connection or the server down.
    referee_.count(endpoint::internal_error, 500);
    return json_answer(request, http::status::internal_server_error,
                       error_body("internal simulator error", "INTERNAL_ERROR"));
  }
}

Response Router::dispatch_to_handlers(const Request& request, SystemTime now) {
  for (auto& handler : handlers_) {
    Exchange exchange{now, referee_, {}};
    if (auto response = handler->handle(request, exchange)) {
      referee_.count(exchange.endpoint.empty() ? endpoint::unknown : std::string_view(exchange.endpoint),
                     response->result_int());
      return std::move(*response);
    }
  }
  referee_.count(endpoint::unknown, 404);
  return json_answer(request, http::status::not_found, error_body("no such endpoint", "NOT_FOUND"));
}

Response Router::fault_answer(const Request& request, const FaultDecision& fault, SystemTime now) {
  const InjectedFault injected{fault.status, fault.retry_after};
  for (auto& handler : handlers_)
    if (auto answer = handler->fault_answer(request, injected, now)) return std::move(*answer);
  return generic_fault_answer(request, injected);
}

std::optional<Response> Router::serve_own_endpoint(const Request& request, std::string_view path) {
  if (path == "/__stats") {
    if (request.method() != http::verb::get)
      return json_answer(request, http::status::method_not_allowed, error_body("use GET", "METHOD_NOT_ALLOWED"));
    return json_answer(request, http::status::ok, stats());
  }
  if (constexpr std::string_view prefix = "/__inspect/"; path.starts_with(prefix)) {
    if (request.method() != http::verb::get)
      return json_answer(request, http::status::method_not_allowed, error_body("use GET", "METHOD_NOT_ALLOWED"));
    auto seen = inspect(path.substr(prefix.size()));
    if (!seen) return json_answer(request, http::status::not_found, error_body("nothing to inspect there", "NOT_FOUND"));
    return json_answer(request, http::status::ok, std::move(*seen));
  }
  if (path == "/__reset") {
    if (request.method() != http::verb::post)
      return json_answer(request, http::status::method_not_allowed, error_body("use POST", "METHOD_NOT_ALLOWED"));
    referee_.reset();
    return json_answer(request, http::status::ok, stats());
  }
  return std::nullopt;
}

void Router::count_protocol_error(unsigned status) { referee_.count(endpoint::http_error, status); }

std::optional<boost::json::value> Router::inspect(std::string_view what) const {
  std::lock_guard lock(mutex_);
  for (const auto& handler : handlers_)
    if (auto seen = handler->inspect(what)) return seen;
  return std::nullopt;
}

boost::json::object Router::stats() const {
  boost::json::object store;
  {
    std::lock_guard lock(mutex_);
    for (const auto& handler : handlers_)
      for (auto& [key, value] : handler->store_stats()) store[key] = value;
  }
  auto stats = referee_.stats();
  stats["store"] = std::move(store);
  return stats;
}

}  // namespace ab::sim
