// How late after a budget counted a send the server may count it: the band
// at a window's edge in which rate_count.hpp counts a send in both windows,
// and by which a send is kept past its window in a sliding log.
//
// A request reaches the server before its answer comes back, so a round
// trip measured from the moment the send was counted bounds that lateness,
// whatever the path's shape, the time the request waited in this process
// included. The guard follows the recent round trips' high end (the second
// longest of the last 32: one stray answer does not move it), never below
// the fixed floor (window_guard: clocks and scheduling) and never above a
// tenth of the window (what the band may cost the budget: at most two
// bands a window). Plain class: the round trips are arguments.
#pragma once

#include "engine/run/clock.hpp"

#include <array>
#include <chrono>
#include <cstddef>

namespace ab {

// The fixed floor of the band for a window of `window` (a fiftieth, at most 20 ms).
std::chrono::microseconds window_guard(Millis window);

class ArrivalGuard {
 public:
  explicit ArrivalGuard(Millis window);
  // A send counted `from_count_to_answer` before its answer came back.
  void on_round_trip(std::chrono::microseconds from_count_to_answer);
  std::chrono::microseconds guard() const { return guard_; }
  // How far the guard stands above its floor (0 while round trips are short).
  std::chrono::microseconds above_floor() const { return guard_ - floor_; }

 private:
  void keep_if_longer(std::chrono::microseconds trip);

  static constexpr std::size_t kept = 32;
  std::array<std::chrono::microseconds, kept> recent_{};
  std::size_t next_ = 0;
  std::chrono::microseconds longest_{0};  // the two longest of recent_
  std::chrono::microseconds second_{0};
  std::chrono::microseconds floor_;
  std::chrono::microseconds ceiling_;
  std::chrono::microseconds guard_;
};

}  // namespace ab
