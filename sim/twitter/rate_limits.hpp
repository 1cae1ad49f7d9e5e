// The X Ads limits every request meets before its endpoint (API.md §B7).
//
// Without a configured account limit, each endpoint family has X's published
// user-level budget (x-rate-limit-*): reads (GET) 2,000 per 15 minutes, the low
// end of X's published range, and writes 450 per minute. `published` false
// drops them: no window, no x-rate-limit-* headers (for tests that push more
// than X would take in one window and are not about pacing).
//
// With an account limit (--tw-rate N/D), that one budget covers every endpoint:
// an ad-account window (x-account-rate-limit-*) over the requests on the
// simulated account, and a user-level window twice as large (one user token
// may drive several ad accounts), so the account window is the one a
// single-account client meets first.
#pragma once

#include "sim/rate_window.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ab::sim::tw {

// Takes one request from `window`, counting rule::request_before_reset when it
// is refused before the reset an earlier refusal named.
WindowDecision take_counting_early(RateWindow& window, SystemTime now, Referee& referee);

enum class Family { read, write };
Family family_of(std::string_view method);

struct Budget {
  std::uint64_t limit;
  std::chrono::milliseconds window;
};
inline constexpr Budget published_reads{2000, std::chrono::minutes(15)};
inline constexpr Budget published_writes{450, std::chrono::minutes(1)};

struct Admission {
  std::optional<WindowDecision> user;     // none when no user-level budget is published
  std::optional<WindowDecision> account;  // taken only for the simulated account, when limited
  bool allowed() const { return (!user || user->allowed) && (!account || account->allowed); }
};

class RateLimits {
 public:
  RateLimits(std::uint64_t account_limit, std::chrono::milliseconds window, bool published = true);
  // Counts one request of `family`; `on_account` when it names the simulated account.
  // A request refused before a reset named earlier is counted on `referee`.
  Admission admit(SystemTime now, Family family, bool on_account, Referee& referee);
  // What a simulated throttle (a fault) says about `family`: its limit, none
  // remaining, reset at the next whole second. Nothing is counted: a random
  // throttle is not the client's fault, nor are the requests it had in flight.
  std::optional<WindowDecision> throttled(SystemTime now, Family family) const;

 private:
  RateWindow* user_window(Family family);
  const RateWindow* user_window(Family family) const;

  std::optional<RateWindow> account_;
  std::optional<RateWindow> reads_;   // with an account limit: every family's user window
  std::optional<RateWindow> writes_;
};

}  // namespace ab::sim::tw
