// How far the budget store's clock (Redis's TIME, which its scripts count
// windows by) is from this process's. Each process's own budget lets a
// window's first sends go at the API's reset on its clock (server_clock.hpp
// puts it there); the take script counts the window's sends from the same
// reset on the store's clock. A store whose clock runs behind would begin
// that count after the window's first sends, miss them, and let the
// window's budget go a second time: a burst of refusals at every edge.
//
// Each take brings back the store's time. It was read after we asked and
// before we heard, so our clock then was at least the time we asked: our
// clock minus the store's is at least `asked` - `store time`. The largest
// such bound is kept, and a reset moved by it lands on the store's clock
// late by at most the quickest round trip to the store, which the guard
// band covers (it is measured from the take). Clocks are stepped and
// slewed: a bound holds for `period` to 2 × `period`, then only newer
// readings count. Plain class: the times are arguments.
#pragma once

#include "engine/run/clock.hpp"

#include <chrono>
#include <cstdint>
#include <optional>

namespace ab {

class StoreClock {
 public:
  explicit StoreClock(Millis period = Millis(10'000)) : period_(period) {}

  // We asked at `asked` (our wall clock); the store's clock read `store_us`
  // (epoch microseconds) in between; `now` is steady time, for the period.
  void on_reading(SystemTime asked, std::int64_t store_us, SteadyTime now);
  // A time on our clock (epoch microseconds), on the store's: never earlier
  // than it truly is there, later by at most the quickest round trip.
  // Unchanged before any reading.
  std::int64_t to_store_us(std::int64_t ours_us) const;
  // Another store (a reconnection may reach a replica): its clock is unknown.
  void forget();

 private:
  void roll(SteadyTime now);
  Millis period_;
  SteadyTime started_{};
  std::optional<std::int64_t> current_, previous_;  // our clock - the store's, at least, in µs
};

}  // namespace ab
