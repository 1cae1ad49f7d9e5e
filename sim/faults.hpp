// Bad nights on demand: which fault, if any, strikes one request. A plain
// class over a seeded generator, so that a run with the same seed and the same
// request order fails the same way.
//
// Per request, one draw picks the fault; the shares are tried in the order
// reset, error, throttle, lost reply (their sum is capped at 1):
// - reset: the connection is dropped before the request is handled (nothing changed);
// - error: 500, 502, 503 or 504 with a JSON error body (nothing changed); a
//   share of the 503s carry "Retry-After: 1", as X's 503s sometimes do;
// - throttle: 429; a share of them (0 by default) carries "Retry-After: 1",
//   a gateway that names a time at random;
//   each in the shape of the API the request was for (ApiHandler::fault_answer:
//   X's errors array and x-rate-limit-* headers, neuroflash's error and code),
//   else in neuroflash's shape (generic_fault_answer);
// - lost reply: the request is handled, then the connection is dropped unanswered;
// - unavailable: 503 without Retry-After (nothing changed).
// Every request, faulted or not, is delayed by the latency with a uniform
// jitter of ±20 %. A fault-free request (the OAuth token endpoint) only gets
// the latency.
#pragma once

#include "sim/http/api_handler.hpp"

#include <chrono>
#include <cstdint>
#include <random>

namespace ab::sim {

struct FaultRates {
  double reset = 0;
  double error = 0;
  double retry_after_share = 0.2;  // of the errors: 503 with Retry-After: 1
  double throttle = 0;
  double throttle_retry_after_share = 0;  // of the throttles: 429 with Retry-After: 1
  double lost_reply = 0;
  double unavailable = 0;
  std::chrono::milliseconds latency{0};
};

enum class FaultKind { none, reset, error, throttle, lost_reply, unavailable };

struct FaultDecision {
  FaultKind kind = FaultKind::none;
  unsigned status = 0;            // error and throttle: the answer's status
  bool retry_after = false;       // error 503 or throttle: carries "Retry-After: 1"
  std::chrono::microseconds delay{0};
};

class Faults {
 public:
  Faults(FaultRates rates, std::uint64_t seed);
  // The fate of the next request; `fault_free` keeps only the latency. Draws
  // the same amount of randomness either way, so exempt requests do not shift
  // the faults of the others.
  FaultDecision decide(bool fault_free = false);
  bool any() const;  // whether any fault or latency is configured

 private:
  FaultRates rates_;
  std::mt19937_64 random_;
};

// The answer of an error or throttle fault in neuroflash's shape (API.md §A6):
// {"error": ..., "code": ...}, no rate headers (neuroflash publishes none).
Response generic_fault_answer(const Request& request, const InjectedFault& fault);

}  // namespace ab::sim
