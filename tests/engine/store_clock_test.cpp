// StoreClock against a model store whose clock runs `ahead` of ours (behind
// when negative) and reads its TIME somewhere within each round trip.
#include "engine/shared/store_clock.hpp"

#include <gtest/gtest.h>

#include <random>

namespace ab {
namespace {

using namespace std::chrono_literals;
using std::chrono::microseconds;

const SystemTime wall0{std::chrono::seconds(1'796'000'000)};
const SteadyTime steady0{std::chrono::hours(100)};

std::int64_t us(SystemTime t) {
  return std::chrono::duration_cast<microseconds>(t.time_since_epoch()).count();
}

struct ModelStore {
  microseconds ahead;
  // Asked at our `asked`: its TIME, read `read_after` later.
  std::int64_t time(SystemTime asked, microseconds read_after) const { return us(asked + read_after + ahead); }
};

// A reset (on our clock) lands on the store's clock never early, and no
// later than the quickest round trip makes it, at any offset either way.
TEST(StoreClock, PropertyAResetMovedOntoTheStoresClockIsNeverEarlyAndLateByAtMostTheQuickestRoundTrip) {
  for (const microseconds ahead : {microseconds(-3s), microseconds(-40ms), microseconds(0), microseconds(300ms),
                                   microseconds(2500ms)}) {
    for (unsigned seed = 1; seed <= 20; ++seed) {
      std::mt19937 random(seed);
      std::uniform_int_distribution<int> trip_us(200, 20'000);
      const ModelStore store{ahead};
      StoreClock clock;
      microseconds quickest = 1h;
      for (int i = 0; i < 200; ++i) {
        const auto at = microseconds(i * 20'000);
        const microseconds trip(trip_us(random));
        quickest = std::min(quickest, trip);
        std::uniform_int_distribution<int> read_us(0, static_cast<int>(trip.count()));
        clock.on_reading(wall0 + at, store.time(wall0 + at, microseconds(read_us(random))), steady0 + at);
        const std::int64_t reset = us(wall0 + at + 700ms);
        const std::int64_t truth = reset + ahead.count();
        ASSERT_GE(clock.to_store_us(reset), truth) << "seed " << seed << ": a window opened early on the store";
        ASSERT_LE(clock.to_store_us(reset), truth + quickest.count()) << "seed " << seed;
      }
    }
  }
}

TEST(StoreClock, BeforeAnyReadingTheClocksAreTakenAsOne) {
  const StoreClock clock;
  EXPECT_EQ(clock.to_store_us(1'796'000'000'000'000), 1'796'000'000'000'000);
}

// The store 300 ms ahead: a quick reading says so within 1 ms; a slow one
// later does not loosen it.
TEST(StoreClock, ASlowReadingDoesNotLoosenAQuickOne) {
  const ModelStore store{300ms};
  StoreClock clock;
  clock.on_reading(wall0, store.time(wall0, 500us), steady0);  // a 1 ms round trip
  const std::int64_t reset = us(wall0 + 2s);
  EXPECT_EQ(clock.to_store_us(reset), reset + 300'500) << "late by the half of the round trip before its TIME";
  clock.on_reading(wall0 + 1s, store.time(wall0 + 1s, 40ms), steady0 + 1s);  // 80 ms, read half-way
  EXPECT_EQ(clock.to_store_us(reset), reset + 300'500) << "a slow reading does not loosen it";
}

// Our clock stepped back 2 s (the store now 2 s further ahead): readings
// from before the step would open windows 2 s early, and they give way
// within two periods of new readings.
TEST(StoreClock, AfterOurClockIsSteppedBackOldReadingsGiveWayWithinTwoPeriods) {
  StoreClock clock(Millis(10'000));
  const ModelStore before{100ms}, after{2100ms};
  for (int s = 0; s < 30; ++s)
    clock.on_reading(wall0 + std::chrono::seconds(s), before.time(wall0 + std::chrono::seconds(s), 0us),
                     steady0 + std::chrono::seconds(s));
  // Wall times go on from where the clock was set back to; steady time does not jump.
  const SystemTime stepped = wall0 + 30s - 2s;
  for (int s = 0; s <= 20; ++s)
    clock.on_reading(stepped + std::chrono::seconds(s), after.time(stepped + std::chrono::seconds(s), 0us),
                     steady0 + 30s + std::chrono::seconds(s));
  const std::int64_t reset = us(stepped + 21s);
  EXPECT_EQ(clock.to_store_us(reset), reset + 2'100'000);
}

TEST(StoreClock, AnotherStoresClockIsUnknownUntilItIsRead) {
  StoreClock clock;
  clock.on_reading(wall0, ModelStore{300ms}.time(wall0, 0us), steady0);
  clock.forget();
  const std::int64_t reset = us(wall0 + 2s);
  EXPECT_EQ(clock.to_store_us(reset), reset);
  clock.on_reading(wall0 + 1s, ModelStore{-50ms}.time(wall0 + 1s, 0us), steady0 + 1s);
  EXPECT_EQ(clock.to_store_us(reset), reset - 50'000);
}

}  // namespace
}  // namespace ab
