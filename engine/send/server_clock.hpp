// How far an API's clock is known to run behind ours. Its rate-limit resets
// (and Retry-After dates) are times on its clock; read on ours, a server
// whose clock runs behind has its windows open early: the budget counts a
// new window while the server still counts the old one, and draws a refusal
// at the window's edge. A server more than a window behind names only
// resets our clock has passed: no answer then says where the budget stands,
// and requests go one at a time (budget.hpp), a fraction of the budget.
//
// Two kinds of answer bound the lag from below, and the bound only grows:
// - one that publishes a family's reset: the server counted the request in
//   the window that ends there, so its clock was short of that reset when it
//   handled the request, which was after we sent it. A reset our clock had
//   passed at the send shows the server's clock behind ours by that much.
// - its Date, when it names a time on its clock too (an API that names none
//   needs no clock): the server's time to the second, so the server's clock
//   was short of Date + 1 s when it handled the request. Answers spread
//   across its Date's ticks tighten this to about the one-way delay; a run
//   that sends only at one moment of each window learns it more slowly.
// Date bounds it from above too: the server's clock read at least Date when
// it handled the request, before we heard the answer. Between the bounds
// lies the uncertainty, which a budget's guard band covers (rate_count.hpp)
// once the server is known to be behind at all.
// A server whose clock runs ahead of ours makes us wait longer than needed,
// never send early, so that side is not measured. Evidence beyond
// `max_server_lag` is not a clock (a reset in another unit, a stale header)
// and is ignored. Plain class: the times are arguments.
#pragma once

#include "engine/run/clock.hpp"
#include "engine/send/rate_headers.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ab {

inline constexpr std::chrono::seconds max_server_lag{60};

class ServerClockLag {
 public:
  // An answer to a request we sent at `sent` and heard at `received` (our
  // wall clock), with the families it published and its Date (epoch ms).
  void on_answer(SystemTime sent, const RateFeedback& feedback, std::optional<std::int64_t> date_ms = std::nullopt,
                 std::optional<SystemTime> received = std::nullopt);
  // How far behind ours the server's clock is known to be.
  std::chrono::microseconds lag() const { return lag_; }
  // Once it is known to be behind: how much more it may be. Its Date was
  // at most its time when it handled a request, before we heard the answer,
  // so the lag is at most `received` - Date; the least of those, less the
  // lag. Zero for a server not known to be behind.
  std::chrono::microseconds uncertainty() const;

 private:
  // `sent` was at least this far past the server's `before_ms` (epoch ms).
  void past(SystemTime sent, std::int64_t before_ms);
  std::chrono::microseconds lag_{0};
  std::optional<std::chrono::microseconds> most_;  // the least `received` - Date
};

// The lag of each server a run talks to, by origin (scheme://authority):
// a clock belongs to a server, not to a budget.
class ServerClocks {
 public:
  ServerClockLag& of(std::string_view url);

 private:
  std::vector<std::pair<std::string, ServerClockLag>> servers_;
};

}  // namespace ab
