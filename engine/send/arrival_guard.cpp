#include "engine/send/arrival_guard.hpp"

#include <algorithm>
#include <utility>

namespace ab {

std::chrono::microseconds window_guard(Millis window) {
  return std::min<std::chrono::microseconds>(std::chrono::milliseconds(20), window / 50);
}

ArrivalGuard::ArrivalGuard(Millis window)
    : floor_(window_guard(window)),
      ceiling_(std::max<std::chrono::microseconds>(floor_, window / 10)),
      guard_(floor_) {}

void ArrivalGuard::on_round_trip(std::chrono::microseconds from_count_to_answer) {
  const auto trip = std::max(from_count_to_answer, std::chrono::microseconds::zero());
  const auto evicted = std::exchange(recent_[next_], trip);
  next_ = (next_ + 1) % kept;
  if (evicted >= second_) {  // one of the two longest left: look at them all again
    longest_ = second_ = std::chrono::microseconds::zero();
    for (const auto r : recent_) keep_if_longer(r);
  } else {
    keep_if_longer(trip);
  }
  guard_ = std::clamp(second_, floor_, ceiling_);
}

void ArrivalGuard::keep_if_longer(std::chrono::microseconds trip) {
  if (trip > longest_) {
    second_ = std::exchange(longest_, trip);
  } else if (trip > second_) {
    second_ = trip;
  }
}

}  // namespace ab
