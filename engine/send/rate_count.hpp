// A --rate budget of N sends per window W, counted two ways; a send may go
// when either count has room:
//
// - a sliding log: never N in any W, wherever a window starts. It holds
//   against any server, but a slot frees only one W after its send, so every
//   window repeats the shape of the first (its ramp-up, its latency) and the
//   budget is never quite filled;
// - the server's window: once the server has published where its window
//   ends (x-rate-limit-reset, with x-rate-limit-limit equal to N) and that
//   reset has passed, the count starts afresh there: the new window's N are
//   there at once, as the server counts them.
//
// Either is safe alone, so their union is. The second relies on one thing:
// a published reset is where one of the server's windows ends, so a request
// that reaches the server after it is counted in a window that began there
// or later. The guard band covers the way to the server and the clocks: sends
// in the band before a reset count in both windows, and the new window opens
// one band after the reset. It is a fiftieth of W (at most 20 ms), or the
// recent round trips' high end when they are longer (arrival_guard.hpp): a
// far server, or a process slow to put its requests on the wire. A reset only
// starts a count at least W after the one it follows, so a server whose
// windows are shorter than W still gets at most N per W from us.
//
// The same rules run in Redis for a shared budget (shared_budget_scripts.hpp,
// with the log kept there). Plain class: the time is an argument.
#pragma once

#include "engine/run/clock.hpp"
#include "engine/send/arrival_guard.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace ab {

// The newest `limit` sends, and the earliest time one more keeps every window
// of `window` (plus `margin`) at most `limit`.
class SlidingWindowLog {
 public:
  // Throws std::invalid_argument when limit is 0 or the window is not positive.
  SlidingWindowLog(std::uint64_t limit, Millis window, std::chrono::microseconds margin = {});
  // The earliest time >= now at which one more send keeps every window <= limit.
  SteadyTime next_allowed(SteadyTime now) const;
  void record(SteadyTime sent_at);
  // Each send is kept this much longer than the window (a send that reaches
  // the server late must not share a server window with the one that took its place).
  void set_margin(std::chrono::microseconds margin) { margin_ = margin; }
  // How many of the sends kept went at or after `from` (at most limit()).
  std::uint64_t sent_since(SteadyTime from) const;
  std::uint64_t limit() const { return limit_; }
  Millis window() const { return window_; }

 private:
  std::uint64_t limit_;
  Millis window_;
  std::chrono::microseconds margin_;
  std::deque<SteadyTime> sends_;  // at most `limit_` entries
};

class RateCount {
 public:
  // `margin`: added to the sliding log's window (the shared store's way to the server).
  RateCount(std::uint64_t limit, Millis window, std::chrono::microseconds margin = {});
  SteadyTime next_allowed(SteadyTime now) const;
  void record(SteadyTime sent_at);
  // The server published that its window ends at `reset` (for a window of
  // this limit). `epoch`, when known, is the reset as the server named it:
  // a reading of the same epoch later than the one before (its clock found
  // to run further behind ours, server_clock.hpp) refines that reset and is
  // never taken for a new window, which would open the count early.
  void on_reset(SteadyTime reset, std::int64_t epoch = 0);
  // A send counted `from_count_to_answer` before its answer came back: the
  // guard band follows such round trips (arrival_guard.hpp), and the sliding
  // log keeps each send as much longer as the band stands above its floor.
  void on_round_trip(std::chrono::microseconds from_count_to_answer);
  // The server's clock may run this much further behind ours than its
  // resets were read with (server_clock.hpp): the band covers that too, up
  // to the same tenth of the window.
  void on_clock_uncertainty(std::chrono::microseconds uncertainty);
  std::chrono::microseconds guard() const { return std::max(arrival_.guard(), clock_); }
  std::uint64_t limit() const { return log_.limit(); }
  Millis window() const { return log_.window(); }
  // Where the server's window the count follows began, once a reset has passed.
  std::optional<SteadyTime> window_start(SteadyTime now) const;

 private:
  SlidingWindowLog log_;
  std::chrono::microseconds margin_;  // the log's own (the shared store's way to the server)
  ArrivalGuard arrival_;
  std::optional<SteadyTime> anchor_;  // the reset the count starts from
  std::optional<SteadyTime> next_;    // the latest reset published, not yet the anchor
  std::int64_t next_epoch_ = 0;       // next_ as the server named it; 0: not known
  std::chrono::microseconds clock_{0};  // the server clock's uncertainty, cut to a tenth of the window

  bool next_takes_over(SteadyTime now) const;
  std::optional<SteadyTime> anchored_next_allowed(SteadyTime now) const;
};

}  // namespace ab
