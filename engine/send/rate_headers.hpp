// What an answer says about when the next request may go: Retry-After first,
// else the reset of the exhausted x-rate-limit family (account level preferred).
//
// Every header is optional and may be garbage: a value that does not parse is
// ignored as if absent, never a crash (the official SDKs crash when the reset
// header is missing). Retry-After is delta-seconds or an IMF-fixdate
// ("Sun, 06 Nov 1994 08:49:37 GMT"); the obsolete RFC 850 and asctime forms
// are ignored. A named wait longer than `max_named_wait` is cut to it, which
// keeps the arithmetic in range whatever the server (or its clock) says;
// --deadline bounds a long wait anyway.
#pragma once

#include "engine/send/answer_fields.hpp"
#include "engine/run/clock.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ab {

inline constexpr Millis max_named_wait{24 * 3600 * 1000};
// Epoch seconds beyond this are garbage, cut to it: `* 1000` stays in range.
inline constexpr std::int64_t max_epoch_seconds = 10'000'000'000'000;

struct RateFamily {
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> remaining;
  std::optional<std::int64_t> reset_epoch;  // seconds since the epoch

  bool exhausted() const { return remaining == 0; }
};

// Where a rate-limited family stands: how many more requests it allows
// before its reset. Of several families, the tighter.
struct RateStanding {
  RateStanding() = default;
  RateStanding(std::int64_t remaining_, SteadyTime reset_, std::optional<std::int64_t> limit_ = std::nullopt,
               std::int64_t reset_epoch_ = 0)
      : remaining(remaining_), reset(reset_), limit(limit_), reset_epoch(reset_epoch_) {}
  std::int64_t remaining = 0;
  SteadyTime reset{};  // read with the server clock's known lag (server_clock.hpp)
  std::optional<std::int64_t> limit;  // the window's size, when published
  std::int64_t reset_epoch = 0;       // `reset` as the server said it (epoch seconds): its identity
  std::chrono::microseconds server_lag{0};  // how far behind ours the server's clock is known to run
  std::chrono::microseconds clock_uncertainty{0};  // and how much more it may (server_clock.hpp)
};

struct RateFeedback {
  RateFamily user;      // x-rate-limit-*
  RateFamily account;   // x-account-rate-limit-*
  std::optional<Millis> retry_after;  // Retry-After, seconds or an HTTP date, >= 0
  std::optional<std::int64_t> retry_after_date_ms;  // the date (epoch ms), when it was one: on the server's clock
  // The time the server named, if any: Retry-After, else the reset of a family
  // with remaining 0 (when both are exhausted, the later reset), converted to
  // the steady clock as steady_now + (reset - wall_now), never before steady_now.
  // `server_lag`: how far the server's clock is known to run behind ours
  // (server_clock.hpp); its resets are read that much later.
  std::optional<SteadyTime> resume_at(SteadyTime steady_now, SystemTime wall_now,
                                      std::chrono::microseconds server_lag = {}) const;
  bool exhausted() const;  // some family says remaining 0
  // The family with the fewest requests remaining among those that publish
  // both remaining and reset; nullopt for an API that publishes no numbers.
  std::optional<RateStanding> standing(SteadyTime steady_now, SystemTime wall_now,
                                       std::chrono::microseconds server_lag = {}) const;
};

// Headers as the HTTP layer gives them (names compared case-insensitively).
// A header given twice: the last parsable value counts.
RateFeedback parse_rate_feedback(const AnswerFields& headers, SystemTime wall_now);
// The answer's Date (epoch ms, the server's clock to the second), when it
// has one in the IMF-fixdate form.
std::optional<std::int64_t> answer_date_ms(const AnswerFields& headers);

}  // namespace ab
