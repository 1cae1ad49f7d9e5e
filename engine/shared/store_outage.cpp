#include "engine/shared/store_outage.hpp"

#include <algorithm>

namespace ab {

void StoreOutage::lost(SteadyTime now) {
  if (!since_) since_ = now;
}

void StoreOutage::back() {
  since_.reset();
  attempts_ = 0;
}

SteadyTime StoreOutage::next_attempt(SteadyTime now, Random& random) {
  const auto shift = std::min(attempts_++, 16u);
  const auto ceiling = std::min<Millis::rep>(policy_.cap.count(), policy_.first.count() << shift);
  std::uniform_int_distribution<Millis::rep> pick(std::min(policy_.first.count(), ceiling), ceiling);
  return now + Millis(pick(random));
}

bool StoreOutage::gives_up(SteadyTime now) const { return since_ && now - *since_ > policy_.give_up_after; }

}  // namespace ab
