#include "engine/send/retry_policy.hpp"

#include <algorithm>

namespace ab {

namespace {

bool is_retryable_5xx(unsigned status) {
  return status == 500 || status == 502 || status == 503 || status == 504;
}

}  // namespace

RetryPolicy::RetryPolicy(RetryConfig config) : config_(config) {}

Millis RetryPolicy::backoff(unsigned retries_made, Random& random) const {
  const Millis::rep base = std::max<Millis::rep>(0, config_.base.count());
  const Millis::rep cap = std::max<Millis::rep>(0, config_.cap.count());
  // base * 2^n <= cap  <=>  base <= cap >> n (integers), tested without overflowing.
  Millis::rep ceiling = cap;
  if (retries_made < 63 && base <= (cap >> retries_made)) ceiling = base << retries_made;
  return Millis(std::uniform_int_distribution<Millis::rep>(0, ceiling)(random));
}

RetryDecision RetryPolicy::decide(const AttemptResult& result, unsigned attempts, bool renewed,
                                  bool replay_safe, SteadyTime now, std::optional<SteadyTime> deadline,
                                  Random& random) const {
  // A go-ahead at `at`, unless the attempts or the deadline forbid it.
  const auto schedule = [&](RetryAction action, SteadyTime at, bool counted) {
    const bool out_of_attempts = counted && attempts >= config_.max_attempts;
    const bool past_deadline = deadline && at > *deadline;
    if (out_of_attempts || past_deadline) return RetryDecision{RetryAction::give_up, at, counted};
    return RetryDecision{action, at, counted};
  };
  const auto after_backoff = [&] { return now + backoff(attempts > 0 ? attempts - 1 : 0, random); };
  const RetryDecision done{RetryAction::done, now, true};
  const RetryDecision ambiguous{RetryAction::ambiguous, now, true};

  switch (result.failure) {
    case AttemptFailure::cancelled:
      return RetryDecision{RetryAction::give_up, now, false};
    case AttemptFailure::maybe_applied:
      if (!replay_safe) return ambiguous;
      return schedule(RetryAction::retry, after_backoff(), true);
    case AttemptFailure::not_sent:
      return schedule(RetryAction::retry, after_backoff(), true);
    case AttemptFailure::none:
      break;
  }

  const unsigned status = result.status;
  if (status == 401) return renewed ? done : schedule(RetryAction::renew_auth, now, false);
  if (status == 429) {
    // A named time is pacing, not failure: the server said when, not "no".
    if (result.server_named) return schedule(RetryAction::retry, std::max(now, *result.server_named), false);
    return schedule(RetryAction::retry, after_backoff(), true);
  }
  if (is_retryable_5xx(status)) {
    // A 503 says the server did not handle the request (RFC 9110 §15.6.4),
    // with or without a time to come back: safe to send again even for a
    // create. 500, 502 and 504 do not say so.
    const bool refused = status == 503;
    if (!replay_safe && !refused) return ambiguous;
    SteadyTime at = after_backoff();
    if (result.server_named) at = std::max(at, *result.server_named);
    return schedule(RetryAction::retry, at, true);
  }
  return done;
}

}  // namespace ab
