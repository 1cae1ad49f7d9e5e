// RateCount on a fake clock in milliseconds: a sliding log until the server
// publishes where its window ends, then N per the server's window, counted
// afresh one guard band (20 ms for a second) after each published reset.
#include "engine/send/budget.hpp"
#include "engine/send/rate_count.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <utility>

namespace ab {
namespace {

using namespace std::chrono_literals;

const SteadyTime t0{10h};
constexpr auto guard = 20ms;  // a fiftieth of a second's window

void send(RateCount& count, SteadyTime at, int n = 1) {
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(count.next_allowed(at), at);
    count.record(at);
  }
}

TEST(RateCount, TheGuardBandIsAFiftiethOfTheWindowAtMost20Ms) {
  EXPECT_EQ(window_guard(1s), 20ms);
  EXPECT_EQ(window_guard(500ms), 10ms);
  EXPECT_EQ(window_guard(15min), 20ms);
}

TEST(RateCount, WithoutAPublishedResetItIsASlidingLog) {
  RateCount count(3, 1s);
  send(count, t0 + 300ms, 3);
  EXPECT_EQ(count.next_allowed(t0 + 400ms), t0 + 1300ms);
  EXPECT_EQ(count.window_start(t0 + 400ms), std::nullopt);
}

TEST(RateCount, APassedResetOpensTheNewWindowsBudgetAtOnce) {
  RateCount count(3, 1s);
  send(count, t0 + 300ms, 3);
  count.on_reset(t0 + 1s);  // the server: this window ends at the next whole second
  // Not at 1.3 s, when the log would free the first slot: one guard band after the reset.
  EXPECT_EQ(count.next_allowed(t0 + 400ms), t0 + 1s + guard);
  EXPECT_EQ(count.next_allowed(t0 + 1s), t0 + 1s + guard);
  send(count, t0 + 1s + guard, 3);
  EXPECT_EQ(count.window_start(t0 + 1s + guard), t0 + 1s);
  // Spent, and the next reset not yet heard: the log's time.
  EXPECT_EQ(count.next_allowed(t0 + 1100ms), t0 + 2s + guard);
  count.on_reset(t0 + 2s);
  EXPECT_EQ(count.next_allowed(t0 + 1100ms), t0 + 2s + guard);
  count.on_reset(t0 + 2s + 1ms);  // the same reset, read again a millisecond apart: the later reading counts
  EXPECT_EQ(count.window_start(t0 + 2s + guard), t0 + 1s);
  EXPECT_EQ(count.window_start(t0 + 2s + 1ms + guard), t0 + 2s + 1ms);
}

TEST(RateCount, SendsInTheGuardBandBeforeAResetCountInBothWindows) {
  RateCount count(3, 1s);
  count.on_reset(t0 + 1s);
  send(count, t0 + 100ms, 2);
  send(count, t0 + 990ms);  // may reach the server after its reset
  EXPECT_EQ(count.next_allowed(t0 + 995ms), t0 + 1s + guard);
  send(count, t0 + 1s + guard, 2);  // the third of the new window went at 0.99 s
  EXPECT_EQ(count.next_allowed(t0 + 1s + guard), t0 + 1990ms);
  // One just before the band is the old window's only.
  RateCount other(3, 1s);
  other.on_reset(t0 + 1s);
  send(other, t0 + 100ms, 2);
  send(other, t0 + 979ms);
  send(other, t0 + 1s + guard, 3);
}

TEST(RateCount, AResetLessThanAWindowAfterTheLastDoesNotStartACount) {
  // --rate 3/10s against a server that resets every second: 3 per 10 s still.
  RateCount count(3, 10s);
  const auto band = window_guard(10s);
  count.on_reset(t0 + 1s);
  send(count, t0 + 500ms, 3);
  count.on_reset(t0 + 2s);  // the server is past 1 s: the count starts there
  send(count, t0 + 2s, 3);  // [1 s - band, ...) held none of the three at 0.5 s
  for (int s = 3; s <= 10; ++s) count.on_reset(t0 + std::chrono::seconds(s));
  EXPECT_EQ(count.next_allowed(t0 + 2s), t0 + 12s) << "the log's time: no reset heard 10 s after 1 s";
  count.on_reset(t0 + 11s);
  EXPECT_EQ(count.next_allowed(t0 + 10600ms), t0 + 11s + band);
}

TEST(RateCount, ALaterResetPublishedMeansTheEarlierHasPassedAtTheServer) {
  RateCount count(2, 1s);
  count.on_reset(t0 + 1s);
  send(count, t0 + 900ms, 2);
  // An answer from the server's next window, before our clock reached 1 s + guard.
  count.on_reset(t0 + 2s);
  EXPECT_EQ(count.next_allowed(t0 + 1005ms), t0 + 1005ms);
  // 0.9 s is before the band of 1 s: the two went in the old window.
}

// The server's clock found to run further behind ours (server_clock.hpp):
// the reset it names is read again, later. The same epoch is the same
// window's end, however late it is read; taken for a later window, it would
// make the reset before it the count's start while the server still counts
// the window that ends there.
TEST(RateCount, TheSameResetReadLaterIsNotTakenForANewWindow) {
  constexpr std::int64_t first = 1'796'000'001, second = first + 1;
  for (const bool with_epochs : {true, false}) {
    RateCount count(2, 1s);
    count.on_reset(t0 + 1s, with_epochs ? first : 0);
    send(count, t0 + 1800ms, 2);  // the window from 1 s spent
    count.on_reset(t0 + 2s, with_epochs ? second : 0);  // where it ends, as read at first
    count.on_reset(t0 + 2300ms, with_epochs ? second : 0);  // the same, 300 ms later
    if (with_epochs) {
      EXPECT_EQ(count.next_allowed(t0 + 1900ms), t0 + 2300ms + guard) << "spent until the reset as read last";
    } else {
      EXPECT_EQ(count.next_allowed(t0 + 1900ms), t0 + 1900ms) << "without epochs a reading is a window: too early";
    }
  }
}

// A server clock known to run behind ours by 300 ms and at most 350 ms:
// its window may open up to 50 ms after the reset as read, and the band
// covers that, up to a tenth of the window.
TEST(RateCount, TheServerClocksUncertaintyWidensTheBand) {
  RateCount count(3, 1s);
  count.on_clock_uncertainty(50ms);
  EXPECT_EQ(count.guard(), 50ms);
  send(count, t0 + 300ms, 3);
  count.on_reset(t0 + 1s);
  EXPECT_EQ(count.next_allowed(t0 + 1s), t0 + 1050ms);
  count.on_clock_uncertainty(700ms);
  EXPECT_EQ(count.guard(), 100ms) << "a tenth of the window at most";
  count.on_clock_uncertainty(0ms);
  EXPECT_EQ(count.guard(), guard);
}

TEST(RateCount, AStoreThatRestartedEmptyKnowsOnlyTheSendsPutBack) {
  // A store that forgot its count has the sends put back and no window:
  // the log rules until a reset is heard and has passed.
  RateCount count(3, 1s);
  send(count, t0 + 700ms, 3);  // put back: their ages as they were
  EXPECT_EQ(count.next_allowed(t0 + 800ms), t0 + 1700ms);
  count.on_reset(t0 + 1s);
  EXPECT_EQ(count.next_allowed(t0 + 800ms), t0 + 1s + guard);
  send(count, t0 + 1s + guard, 3);
  EXPECT_EQ(count.next_allowed(t0 + 1s + guard), t0 + 2s + guard);
}

// A server of fixed windows [k s, (k + 1) s) publishing each one's end; a
// client sending as early as the count lets it (with the store's margin),
// each send reaching the server within the guard band: no window ever holds
// more than the limit, and every window after the first two is full.
TEST(RateCount, PropertyNoServerWindowHoldsMoreThanTheLimitAndEachIsFilled) {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    Random random(seed);
    const std::uint64_t limit = std::uniform_int_distribution<std::uint64_t>(1, 50)(random);
    RateCount count(limit, 1s, window_guard(1s));
    std::map<std::int64_t, std::uint64_t> per_window;
    SteadyTime now = t0 + Millis(std::uniform_int_distribution<int>(0, 999)(random));
    while (now < t0 + 20s) {
      now = count.next_allowed(now);
      count.record(now);
      const auto arrival = now + Millis(std::uniform_int_distribution<int>(0, 19)(random));
      const auto second = std::chrono::duration_cast<std::chrono::seconds>(arrival - t0).count();
      ++per_window[second];
      count.on_reset(t0 + std::chrono::seconds(second + 1));
      now += Millis(std::uniform_int_distribution<int>(0, 3)(random));  // the client's own pace
    }
    for (const auto& [second, n] : per_window) {
      ASSERT_LE(n, limit) << "seed " << seed << " second " << second;
      if (second > 1 && second < 19) {
        EXPECT_EQ(n, limit) << "seed " << seed << " second " << second;
      }
    }
  }
}

// The same server, far away: a request reaches it up to `way_in` after it
// was counted (the path, a process slow to write it), and its answer, with
// the reset, comes back up to `way_out` after that. The count hears each
// reset and round trip only when the answer is back. Returns how many
// requests each server window held, by second.
std::map<std::int64_t, std::uint64_t> far_server_windows(std::uint64_t seed, std::uint64_t limit, Millis way_in,
                                                         Millis way_out, bool learns) {
  Random random(seed);
  const auto upto = [&random](Millis most) {
    return Millis(std::uniform_int_distribution<std::int64_t>(0, most.count())(random));
  };
  RateCount count(limit, 1s);
  std::map<std::int64_t, std::uint64_t> per_window;
  std::multimap<SteadyTime, std::pair<SteadyTime, SteadyTime>> answers;  // back at -> (counted at, reset)
  SteadyTime now = t0 + upto(999ms);
  while (now < t0 + 20s) {
    for (auto a = answers.begin(); a != answers.end() && a->first <= now; a = answers.erase(a)) {
      count.on_reset(a->second.second);
      const auto trip = std::chrono::duration_cast<std::chrono::microseconds>(a->first - a->second.first);
      if (learns) count.on_round_trip(trip);
    }
    const SteadyTime next = count.next_allowed(now);
    if (next > now) {  // woken by the budget or by the next answer, whichever is first
      now = answers.empty() ? next : std::min(next, answers.begin()->first);
      continue;
    }
    count.record(now);
    const auto arrival = now + upto(way_in);
    const auto second = std::chrono::duration_cast<std::chrono::seconds>(arrival - t0).count();
    ++per_window[second];
    answers.emplace(arrival + upto(way_out), std::make_pair(now, t0 + std::chrono::seconds(second + 1)));
    now += upto(3ms);  // the client's own pace
  }
  return per_window;
}

TEST(RateCount, PropertyAFarServerGetsNoMoreThanTheLimitOnceTheRoundTripsAreHeard) {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    const std::uint64_t limit = 1 + seed % 50;
    for (const auto& [second, n] : far_server_windows(seed, limit, 70ms, 30ms, true)) {
      ASSERT_LE(n, limit) << "seed " << seed << " second " << second;
      if (second > 1 && second < 19) {
        EXPECT_GE(n, limit * 9 / 10) << "seed " << seed << " second " << second;
      }
    }
  }
}

// Why the round trips: with the band at its fixed 20 ms, requests counted
// late in one window that reach the server after its reset land in the next
// one beside that window's whole budget.
TEST(RateCount, AFarServerWithoutTheRoundTripsGetsMoreThanTheLimit) {
  std::uint64_t over = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    const std::uint64_t limit = 1 + seed % 50;
    for (const auto& [second, n] : far_server_windows(seed, limit, 70ms, 30ms, false)) over += n > limit ? 1 : 0;
  }
  EXPECT_GT(over, 0u);
}

TEST(ArrivalGuard, FollowsTheSecondLongestRecentRoundTripBetweenItsFloorAndATenthOfTheWindow) {
  ArrivalGuard band(1s);
  EXPECT_EQ(band.guard(), 20ms);  // the floor, before any round trip
  band.on_round_trip(5ms);
  EXPECT_EQ(band.guard(), 20ms);
  band.on_round_trip(60ms);
  EXPECT_EQ(band.guard(), 20ms);  // one long round trip alone does not move it
  band.on_round_trip(45ms);
  EXPECT_EQ(band.guard(), 45ms);
  EXPECT_EQ(band.above_floor(), 25ms);
  band.on_round_trip(900ms);
  band.on_round_trip(800ms);
  EXPECT_EQ(band.guard(), 100ms);  // at most a tenth of the window
  for (int i = 0; i < 32; ++i) band.on_round_trip(1ms);
  EXPECT_EQ(band.guard(), 20ms);  // the long ones have left the last 32
}

TEST(Budget, AFixedBudgetFollowsAPublishedWindowOfItsOwnLimitOnly) {
  Budget same("nf", RateSpec{"nf", 2, 1s});
  Budget other("nf", RateSpec{"nf", 2, 1s});
  for (Budget* b : {&same, &other}) {
    b->on_send(t0 + 500ms);
    b->on_send(t0 + 500ms);
    b->on_answer(t0 + 501ms, 200, std::nullopt, false);
    b->on_answer(t0 + 501ms, 200, std::nullopt, false);
  }
  same.on_standing({5, t0 + 1s, 2, 0});
  other.on_standing({5, t0 + 1s, 450, 0});  // another family's window: not ours
  EXPECT_EQ(same.next_allowed(t0 + 600ms), t0 + 1s + guard);
  EXPECT_EQ(other.next_allowed(t0 + 600ms), t0 + 1500ms);
}

TEST(Budget, ANamedRetryAfterHoldsTheBudgetThoughItsWindowOpened) {
  Budget budget("nf", RateSpec{"nf", 2, 1s});
  budget.on_send(t0 + 500ms);
  budget.on_answer(t0 + 501ms, 200, std::nullopt, false);
  budget.on_standing({1, t0 + 1s, 2, 0});
  budget.on_answer(t0 + 600ms, 429, t0 + 3s, false);  // Retry-After: 2.4 s
  EXPECT_EQ(budget.next_allowed(t0 + 1100ms), t0 + 3s);
}

}  // namespace
}  // namespace ab
