// What the server does with one parsed request, without any I/O: the
// referee's own endpoints (GET /__stats, POST /__reset), the faults, then the
// API handlers in order, else a 404. Thread-safe: one mutex serialises the
// handlers, which keep no locks of their own.
#pragma once

#include "sim/http/api_handler.hpp"
#include "sim/faults.hpp"
#include "sim/referee.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ab::sim {

struct Reply {
  bool drop = false;                    // close the connection without answering
  Response response;                    // when not dropped
  std::chrono::microseconds delay{0};   // wait this long before answering or dropping
};

struct RouterConfig {
  FaultRates faults;
  std::uint64_t seed = 1;
  std::vector<std::string> fault_free_paths;  // only latency here (the OAuth token endpoint)
};

class Router {
 public:
  Router(std::vector<std::unique_ptr<ApiHandler>> handlers, RouterConfig config);

  Reply route(const Request& request, SystemTime now);
  // The server saw a request it could not parse (400, 413, 431) and answered `status`.
  void count_protocol_error(unsigned status);
  // /__stats: the referee's counters plus "store", the handlers' store_stats() merged.
  boost::json::object stats() const;
  // GET /__inspect/WHAT: the first handler's answer to inspect(WHAT), nullopt when none has one.
  std::optional<boost::json::value> inspect(std::string_view what) const;
  Referee& referee() { return referee_; }

 private:
  std::optional<Response> serve_own_endpoint(const Request& request, std::string_view path);
  Response dispatch(const Request& request, SystemTime now);
  Response dispatch_to_handlers(const Request& request, SystemTime now);
  Response fault_answer(const Request& request, const FaultDecision& fault, SystemTime now);

  std::vector<std::unique_ptr<ApiHandler>> handlers_;
  std::vector<std::string> fault_free_paths_;
  mutable std::mutex mutex_;
  Faults faults_;
  Referee referee_;
};

// Endpoint names the router counts under, besides the handlers' own.
namespace endpoint {
inline constexpr std::string_view unknown = "unknown";            // no handler knew the path
inline constexpr std::string_view http_error = "http";            // unparsable request
inline constexpr std::string_view internal_error = "internal";    // a handler threw
inline constexpr std::string_view fault_reset = "fault.reset";
inline constexpr std::string_view fault_error = "fault.error";
inline constexpr std::string_view fault_throttle = "fault.throttle";
inline constexpr std::string_view fault_lost_reply = "fault.lost_reply";
}  // namespace endpoint

}  // namespace ab::sim
