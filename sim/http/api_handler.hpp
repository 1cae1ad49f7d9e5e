// How the simulator's server talks to each simulated API: a handler turns one
// request into one answer, with the time and the referee passed in, so that
// each API's rules are tested without sockets.
#pragma once

#include "sim/referee.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace ab::sim {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using SystemTime = std::chrono::system_clock::time_point;

struct Exchange {
  SystemTime now;        // injected: tests pass any time they like
  Referee& referee;
  std::string endpoint;  // the handler names it ("tw.list", "nf.create") for the per-endpoint counters
};

// A fault the router injects in place of the API's answer (sim/faults.hpp
// decides which): a 5xx or a 429, nothing changed.
struct InjectedFault {
  unsigned status = 0;
  bool retry_after = false;  // a 503 that says "Retry-After: 1"
};

class ApiHandler {
 public:
  virtual ~ApiHandler() = default;
  // The answer, or nullopt when the request's path is not this API's. The
  // server serialises calls: a handler needs no locking of its own.
  virtual std::optional<Response> handle(const Request& request, Exchange& exchange) = 0;
  // The injected fault's answer in this API's own shape (a client reads it as
  // it reads the real API's), or nullopt when the request's path is not this API's.
  virtual std::optional<Response> fault_answer(const Request& /*request*/, const InjectedFault& /*fault*/,
                                               SystemTime /*now*/) {
    return std::nullopt;
  }
  // What the handler holds, for /__stats "store" (e.g. {"nf_audiences": 12}).
  virtual boost::json::object store_stats() const { return {}; }
  // What a test looks at beyond counts, named by the path after /__inspect/
  // ("tw/members/ID"); nullopt when the handler has no such thing.
  virtual std::optional<boost::json::value> inspect(std::string_view) const { return std::nullopt; }
};

}  // namespace ab::sim
