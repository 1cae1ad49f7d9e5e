#include "sim/twitter/rate_limits.hpp"

namespace ab::sim::tw {

WindowDecision take_counting_early(RateWindow& window, SystemTime now, Referee& referee) {
  const bool before_reset = window.before_named_reset(now);
  WindowDecision decision = window.take(now);
  if (!decision.allowed && before_reset) referee.violation(rule::request_before_reset);
  return decision;
}

Family family_of(std::string_view method) { return method == "GET" ? Family::read : Family::write; }

RateLimits::RateLimits(std::uint64_t account_limit, std::chrono::milliseconds window, bool published) {
  if (account_limit > 0) {
    account_.emplace(account_limit, window);
    reads_.emplace(2 * account_limit, window);
    return;
  }
  if (!published) return;
  reads_.emplace(published_reads.limit, published_reads.window);
  writes_.emplace(published_writes.limit, published_writes.window);
}

RateWindow* RateLimits::user_window(Family family) {
  if (family == Family::write && writes_) return &*writes_;
  return reads_ ? &*reads_ : nullptr;
}

const RateWindow* RateLimits::user_window(Family family) const {
  if (family == Family::write && writes_) return &*writes_;
  return reads_ ? &*reads_ : nullptr;
}

Admission RateLimits::admit(SystemTime now, Family family, bool on_account, Referee& referee) {
  Admission admission;
  if (RateWindow* user = user_window(family)) admission.user = take_counting_early(*user, now, referee);
  if (admission.allowed() && on_account && account_) admission.account = take_counting_early(*account_, now, referee);
  return admission;
}

std::optional<WindowDecision> RateLimits::throttled(SystemTime now, Family family) const {
  const RateWindow* user = user_window(family);
  if (!user) return std::nullopt;
  WindowDecision decision;
  decision.allowed = false;
  decision.limit = user->limit();
  decision.remaining = 0;
  const auto next_second = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()) + std::chrono::seconds(1);
  decision.reset_epoch = next_second.count();
  decision.retry_after = std::chrono::seconds(1);
  return decision;
}

}  // namespace ab::sim::tw
