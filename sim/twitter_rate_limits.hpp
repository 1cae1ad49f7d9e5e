// The X Ads limits every request meets before its endpoint (API.md §B7): a
// user-level window (x-rate-limit-*) over every signed request, and, when
// configured, an ad-account window (x-account-rate-limit-*) over the
// requests on the simulated account.
//
// The user-level budget is twice the account's (one user token may drive
// several ad accounts), so the account window is the one a single-account
// client meets first; with no account limit (0) the user-level window is
// effectively unlimited but still reports its counts.
#pragma once

#include "sim/rate_window.hpp"

#include <chrono>
#include <cstdint>
#include <optional>

namespace ab::sim::tw {

// Takes one request from `window`, counting rule::request_before_reset when it
// is refused before the reset an earlier refusal named.
WindowDecision take_counting_early(RateWindow& window, SystemTime now, Referee& referee);

struct Admission {
  WindowDecision user;
  std::optional<WindowDecision> account;  // taken only for the simulated account, when limited
  bool allowed() const { return user.allowed && (!account || account->allowed); }
};

class RateLimits {
 public:
  RateLimits(std::uint64_t account_limit, std::chrono::milliseconds window);
  // Counts one request; `on_account` when it names the simulated account.
  // A request refused before a reset named earlier is counted on `referee`.
  Admission admit(SystemTime now, bool on_account, Referee& referee);

 private:
  RateWindow user_;
  std::optional<RateWindow> account_;
};

}  // namespace ab::sim::tw
