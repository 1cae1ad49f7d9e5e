// A budget the server does not publish (no x-rate-limit-* headers) but
// enforces with 429 + Retry-After: each such 429 ends one of its windows. The
// learner counts the requests the server took since the previous named time
// (or the first send) and the time from that window's first send to the new
// named time; two windows in a row that agree (within 10 %, at least 20
// requests each) are a window's size, which the budget then paces under as a
// sliding log of the smaller count per the longer time. A 429 with a named
// time while that log holds near its limit means the guess was high: it
// shrinks by a tenth; one far below it means there is no such window: it is
// forgotten. A gateway that names a time at random seldom agrees with itself
// two windows in a row, and is forgotten at its next 429 when it does. Plain class: the time is
// an argument.
#pragma once

#include "engine/run/clock.hpp"

#include <cstdint>
#include <optional>

namespace ab {

struct LearnedWindow {
  std::uint64_t limit = 0;
  Millis window{0};
};

class WindowLearner {
 public:
  // A send at `now` (the window starts with the first after a named time).
  void on_send(SteadyTime now);
  // An answer to a request sent at `sent_at`: a 429 naming `resume_at` ends
  // a window, any other answer is a request the server took.
  void on_answer(unsigned status, const std::optional<SteadyTime>& resume_at, SteadyTime sent_at);
  // The window learned so far, if two in a row agreed.
  const std::optional<LearnedWindow>& learned() const { return learned_; }

 private:
  std::optional<SteadyTime> opened_;      // first send of the current window
  std::optional<SteadyTime> resume_at_;   // the last named time: the next send opens a window
  std::uint64_t taken_ = 0;               // answered, not 429, sent in the current window
  std::optional<LearnedWindow> previous_;  // the last window's observation
  std::optional<LearnedWindow> learned_;
};

}  // namespace ab
