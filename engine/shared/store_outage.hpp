// When a lost budget store is tried again, and when the run gives up on it.
// Plain class: the time and the random numbers come in as arguments.
//
// Back-off: full jitter, random(min, min(cap, first * 2^n)), so that the
// processes of a fleet that lost Redis together do not knock together when
// it comes back. Give up: once the store has been away longer than
// `give_up_after` (the run's --timeout), the run stops (exit 3) rather than
// send a request its budget did not allow.
#pragma once

#include "engine/run/clock.hpp"

#include <chrono>
#include <optional>

namespace ab {

struct OutagePolicy {
  Millis first{50};
  Millis cap{1000};
  Millis give_up_after{30'000};
};

class StoreOutage {
 public:
  explicit StoreOutage(OutagePolicy policy) : policy_(policy) {}
  // The connection was lost (or the first attempt failed) at `now`; a loss
  // while already out keeps the first time.
  void lost(SteadyTime now);
  // Connected again: the next loss starts afresh.
  void back();
  bool out() const { return since_.has_value(); }
  // When to try again after a failed attempt at `now`.
  SteadyTime next_attempt(SteadyTime now, Random& random);
  // True once the store has been away longer than give_up_after.
  bool gives_up(SteadyTime now) const;
  std::optional<SteadyTime> since() const { return since_; }

 private:
  OutagePolicy policy_;
  std::optional<SteadyTime> since_;
  unsigned attempts_ = 0;
};

}  // namespace ab
