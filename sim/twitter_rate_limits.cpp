#include "sim/twitter_rate_limits.hpp"

#include <limits>

namespace ab::sim::tw {

namespace {

constexpr std::uint64_t effectively_unlimited = std::numeric_limits<std::uint32_t>::max();

std::uint64_t user_limit(std::uint64_t account_limit) {
  return account_limit == 0 ? effectively_unlimited : 2 * account_limit;
}

}  // namespace

WindowDecision take_counting_early(RateWindow& window, SystemTime now, Referee& referee) {
  const bool before_reset = window.before_named_reset(now);
  WindowDecision decision = window.take(now);
  if (!decision.allowed && before_reset) referee.violation(rule::request_before_reset);
  return decision;
}

RateLimits::RateLimits(std::uint64_t account_limit, std::chrono::milliseconds window)
    : user_(user_limit(account_limit), window) {
  if (account_limit > 0) account_.emplace(account_limit, window);
}

Admission RateLimits::admit(SystemTime now, bool on_account, Referee& referee) {
  Admission admission{take_counting_early(user_, now, referee), std::nullopt};
  if (admission.user.allowed && on_account && account_)
    admission.account = take_counting_early(*account_, now, referee);
  return admission;
}

}  // namespace ab::sim::tw
