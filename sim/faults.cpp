#include "sim/faults.hpp"

#include "sim/json_answer.hpp"

#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <array>

namespace ab::sim {

namespace {

constexpr double jitter = 0.2;

// 503 is what a real overloaded gateway says most; the others show up too.
// These are the errors that name no time; 503 with Retry-After is drawn apart.
constexpr std::array<unsigned, 5> error_statuses{500, 502, 503, 503, 504};

double clamp_share(double p) { return std::clamp(p, 0.0, 1.0); }

}  // namespace

Faults::Faults(FaultRates rates, std::uint64_t seed) : rates_(rates), random_(seed) {
  rates_.reset = clamp_share(rates_.reset);
  rates_.error = clamp_share(rates_.error);
  rates_.retry_after_share = clamp_share(rates_.retry_after_share);
  rates_.throttle = clamp_share(rates_.throttle);
  rates_.lost_reply = clamp_share(rates_.lost_reply);
  rates_.throttle_retry_after_share = clamp_share(rates_.throttle_retry_after_share);
  rates_.unavailable = clamp_share(rates_.unavailable);
}

bool Faults::any() const {
  return rates_.reset > 0 || rates_.error > 0 || rates_.throttle > 0 || rates_.lost_reply > 0 ||
         rates_.unavailable > 0 || rates_.latency.count() > 0;
}

FaultDecision Faults::decide(bool fault_free) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double fate = unit(random_);
  const auto status_pick = std::uniform_int_distribution<std::size_t>(0, error_statuses.size() - 1)(random_);
  // One draw for both shares, so that the throttles' share shifts no other fault.
  const double share_draw = unit(random_);
  const bool retry_after = share_draw < rates_.retry_after_share;
  const double stretch = std::uniform_real_distribution<double>(1.0 - jitter, 1.0 + jitter)(random_);

  FaultDecision decision;
  const std::chrono::duration<double, std::micro> latency = rates_.latency;
  decision.delay = std::chrono::microseconds(static_cast<std::int64_t>(latency.count() * stretch));
  if (fault_free) return decision;

  double bound = rates_.reset;
  if (fate < bound) {
    decision.kind = FaultKind::reset;
    return decision;
  }
  bound += rates_.error;
  if (fate < bound) {
    decision.kind = FaultKind::error;
    decision.status = retry_after ? 503 : error_statuses[status_pick];
    decision.retry_after = retry_after;
    return decision;
  }
  bound += rates_.throttle;
  if (fate < bound) {
    decision.kind = FaultKind::throttle;
    decision.status = 429;
    decision.retry_after = share_draw < rates_.throttle_retry_after_share;
    return decision;
  }
  bound += rates_.lost_reply;
  if (fate < bound) {
    decision.kind = FaultKind::lost_reply;
    return decision;
  }
  bound += rates_.unavailable;
  if (fate < bound) {
    decision.kind = FaultKind::unavailable;
    decision.status = 503;
  }
  return decision;
}

Response generic_fault_answer(const Request& request, const InjectedFault& fault) {
  const auto status = static_cast<http::status>(fault.status);
  if (fault.status == 429) {
    auto answer = json_answer(request, status, error_body("too many requests (simulated throttle)", "RATE_LIMIT_EXCEEDED"));
    if (fault.retry_after) answer.set(http::field::retry_after, "1");
    return answer;
  }
  auto answer = json_answer(request, status, error_body("simulated server error", "SIMULATED_FAULT"));
  if (fault.retry_after) answer.set(http::field::retry_after, "1");
  return answer;
}

}  // namespace ab::sim
