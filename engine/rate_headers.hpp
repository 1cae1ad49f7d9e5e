// What an answer says about when the next request may go: Retry-After first,
// else the reset of the exhausted x-rate-limit family (account level preferred).
#pragma once

#include "engine/clock.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ab {

struct RateFamily {
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> remaining;
  std::optional<std::int64_t> reset_epoch;  // seconds since the epoch
};

struct RateFeedback {
  RateFamily user;      // x-rate-limit-*
  RateFamily account;   // x-account-rate-limit-*
  std::optional<Millis> retry_after;  // Retry-After, seconds or an HTTP date
  // The time the server named, if any: Retry-After, else the reset of a family
  // with remaining 0 (account first), converted to the steady clock.
  std::optional<SteadyTime> resume_at(SteadyTime steady_now, SystemTime wall_now) const;
  bool exhausted() const;  // some family says remaining 0
};

// Headers as the HTTP layer gives them: lower-case names.
RateFeedback parse_rate_feedback(const std::vector<std::pair<std::string, std::string>>& headers,
                                 SystemTime wall_now);

}  // namespace ab
