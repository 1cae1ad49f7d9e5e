#include "engine/shared/store_clock.hpp"

#include <algorithm>

namespace ab {

void StoreClock::roll(SteadyTime now) {
  if (now - started_ < period_) return;
  // A whole period with no reading leaves nothing to carry over.
  previous_ = now - started_ < 2 * period_ ? current_ : std::nullopt;
  current_.reset();
  started_ = now;
}

void StoreClock::on_reading(SystemTime asked, std::int64_t store_us, SteadyTime now) {
  roll(now);
  const auto asked_us = std::chrono::duration_cast<std::chrono::microseconds>(asked.time_since_epoch()).count();
  const std::int64_t bound = asked_us - store_us;
  current_ = current_ ? std::max(*current_, bound) : bound;
}

std::int64_t StoreClock::to_store_us(std::int64_t ours_us) const {
  auto bound = current_;
  if (previous_ && (!bound || *previous_ > *bound)) bound = previous_;
  return bound ? ours_us - *bound : ours_us;
}

void StoreClock::forget() {
  current_.reset();
  previous_.reset();
  started_ = {};
}

}  // namespace ab
