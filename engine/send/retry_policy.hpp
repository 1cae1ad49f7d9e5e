// Whether and when to try a request again: full-jitter exponential back-off
// (random(0, min(cap, base * 2^n))), never before a time the server named,
// never past the deadline; and which failures are safe to send again at all.
#pragma once

#include "engine/run/clock.hpp"

#include <optional>

namespace ab {

enum class AttemptFailure {
  none,            // an HTTP answer came back (see status)
  not_sent,        // could not connect / TLS failed / failed before the request was written
  maybe_applied,   // timed out or lost after the request was (partly) written
  cancelled,       // the run is stopping
};

struct AttemptResult {
  AttemptFailure failure = AttemptFailure::none;
  unsigned status = 0;                     // when failure == none
  std::optional<SteadyTime> server_named;  // Retry-After / exhausted reset, if the answer named one
};

enum class RetryAction {
  done,        // 2xx or final 4xx: hand the answer to the job kind
  retry,       // send again at `at`
  renew_auth,  // 401: renew the credentials once, then send again
  ambiguous,   // may have been applied and is not replay-safe: the kind must reconcile
  give_up,     // attempts exhausted, or the deadline falls before `at`
};

struct RetryDecision {
  RetryAction action = RetryAction::done;
  SteadyTime at{};              // for retry / renew_auth
  bool counts_as_attempt = true;  // waiting out a named time is pacing, not failure
};

struct RetryConfig {
  unsigned max_attempts = 8;
  Millis base{200};
  Millis cap{30'000};
};

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryConfig config);
  // attempts: counted attempts made so far, the one being decided included
  // (1 after the first answer); renewed: a 401 renewal was already used.
  //
  //   2xx, 3xx, final 4xx, other 5xx      -> done
  //   401                                 -> renew_auth at now once, then done (not counted)
  //   429                                 -> retry at the named time (pacing: not counted),
  //                                          else after back-off (counted); any request
  //   503                                 -> retry after back-off or at the named time,
  //                                          whichever is later (counted); any request:
  //                                          the server did not handle it (RFC 9110 §15.6.4)
  //   500/502/504                         -> as 503; not replay-safe: ambiguous
  //   not_sent                            -> retry after back-off (counted), any request
  //   maybe_applied                       -> replay-safe: as not_sent; else ambiguous
  //   cancelled                           -> give_up
  // A counted retry once `attempts` reached max_attempts, or any retry whose
  // time falls after the deadline, becomes give_up.
  RetryDecision decide(const AttemptResult& result, unsigned attempts, bool renewed, bool replay_safe,
                       SteadyTime now, std::optional<SteadyTime> deadline, Random& random) const;
  // The wait before retry number `retries_made + 1` (0 for the first retry):
  // uniform in [0, min(cap, base * 2^retries_made)], overflow-safe for any count.
  Millis backoff(unsigned retries_made, Random& random) const;
  const RetryConfig& config() const { return config_; }

 private:
  RetryConfig config_;
};

}  // namespace ab
