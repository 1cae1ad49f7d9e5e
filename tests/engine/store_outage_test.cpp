// When a lost budget store is tried again and when the run gives up on it,
// on a fake clock.
#include "engine/shared/store_outage.hpp"

#include <gtest/gtest.h>

namespace ab {
namespace {

using namespace std::chrono_literals;

TEST(StoreOutage, BacksOffWithJitterUpToTheCap) {
  StoreOutage outage(OutagePolicy{50ms, 1000ms, 30'000ms});
  Random random(7);
  const SteadyTime t0{1h};
  outage.lost(t0);
  Millis longest{0};
  for (int i = 0; i < 40; ++i) {
    const auto wait = std::chrono::duration_cast<Millis>(outage.next_attempt(t0, random) - t0);
    EXPECT_GE(wait, 50ms);
    EXPECT_LE(wait, 1000ms);
    if (i == 0) {
      EXPECT_LE(wait, 50ms);  // the first retry comes soon
    }
    longest = std::max(longest, wait);
  }
  EXPECT_GT(longest, 500ms);  // and later ones spread out toward the cap
}

TEST(StoreOutage, GivesUpAfterTheTimeoutCountedFromTheFirstLoss) {
  StoreOutage outage(OutagePolicy{50ms, 1000ms, 30'000ms});
  const SteadyTime t0{1h};
  EXPECT_FALSE(outage.gives_up(t0 + 1h));  // never lost
  outage.lost(t0);
  outage.lost(t0 + 10s);  // still the same outage
  EXPECT_FALSE(outage.gives_up(t0 + 30s));
  EXPECT_TRUE(outage.gives_up(t0 + 30s + 1ms));
  outage.back();
  EXPECT_FALSE(outage.out());
  EXPECT_FALSE(outage.gives_up(t0 + 1h));
  outage.lost(t0 + 1h);
  EXPECT_FALSE(outage.gives_up(t0 + 1h + 29s));
}

}  // namespace
}  // namespace ab
