#include "engine/send/budget.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <stdexcept>

namespace ab {
namespace {

using namespace std::chrono_literals;

const SteadyTime t0{10h};
constexpr Millis fifteen_minutes = 15min;

RateSpec rate(std::string name, std::uint64_t limit, Millis window) { return RateSpec{std::move(name), limit, window}; }

// Sends `count` requests as early as `budget` allows, starting at `from`;
// each is answered at once by a server that publishes no numbers.
std::vector<SteadyTime> send_greedily(Budget& budget, SteadyTime from, int count) {
  std::vector<SteadyTime> sent;
  SteadyTime now = from;
  for (int i = 0; i < count; ++i) {
    now = budget.next_allowed(now);
    budget.on_send(now);
    budget.on_answer(now, 200, std::nullopt, false);
    sent.push_back(now);
  }
  return sent;
}

// The most sends any half-open window [t, t + window) holds; the fullest
// window can always be taken to start at a send.
std::size_t fullest_window(const std::vector<SteadyTime>& sorted_sends, Millis window) {
  std::size_t most = 0;
  std::size_t end = 0;
  for (std::size_t begin = 0; begin < sorted_sends.size(); ++begin) {
    end = std::max(end, begin);
    while (end < sorted_sends.size() && sorted_sends[end] < sorted_sends[begin] + window) ++end;
    most = std::max(most, end - begin);
  }
  return most;
}

TEST(SlidingWindowLog, LetsTheFirstLimitSendsGoAtOnce) {
  SlidingWindowLog log(3, fifteen_minutes);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(log.next_allowed(t0 + Millis(i)), t0 + Millis(i));
    log.record(t0 + Millis(i));
  }
  // The fourth waits until the first has left the window, to the millisecond.
  EXPECT_EQ(log.next_allowed(t0 + 3ms), t0 + fifteen_minutes);
  EXPECT_EQ(log.next_allowed(t0 + fifteen_minutes + 5ms), t0 + fifteen_minutes + 5ms);
  log.record(t0 + fifteen_minutes);
  EXPECT_EQ(log.next_allowed(t0 + fifteen_minutes), t0 + 1ms + fifteen_minutes);
}

TEST(SlidingWindowLog, OutOfOrderRecordsLandInPlace) {
  SlidingWindowLog log(2, 1000ms);
  log.record(t0 + 500ms);
  log.record(t0 + 100ms);
  EXPECT_EQ(log.next_allowed(t0 + 600ms), t0 + 1100ms);
  log.record(t0 + 300ms);  // the oldest (100 ms) is no longer among the last two
  EXPECT_EQ(log.next_allowed(t0 + 600ms), t0 + 1300ms);
}

TEST(SlidingWindowLog, RefusesALimitOfZeroOrAnEmptyWindow) {
  EXPECT_THROW(SlidingWindowLog(0, 1000ms), std::invalid_argument);
  EXPECT_THROW(SlidingWindowLog(1, 0ms), std::invalid_argument);
}

TEST(Budget, FixedBudgetOf200Per15MinutesNeverExceedsItsWindow) {
  Budget budget("tw.total_count", rate("tw.total_count", 200, fifteen_minutes));
  const auto sent = send_greedily(budget, t0, 1000);
  EXPECT_EQ(fullest_window(sent, fifteen_minutes), 200u);
  // Greedy: the 201st goes exactly when the first leaves the window.
  EXPECT_EQ(sent[199], t0);
  EXPECT_EQ(sent[200], t0 + fifteen_minutes);
}

// For random limits, windows and arrival patterns (bursts, trickles, long
// gaps), sending each request at next_allowed never puts more than `limit`
// sends in any window, and never waits longer than the window forces.
TEST(Budget, PropertyNoWindowEverHoldsMoreThanTheLimit) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    Random random(seed);
    const std::uint64_t limit = std::uniform_int_distribution<std::uint64_t>(1, 25)(random);
    const Millis window(std::uniform_int_distribution<std::int64_t>(1, fifteen_minutes.count())(random));
    Budget budget("b", rate("b", limit, window));

    std::vector<SteadyTime> arrivals;
    SteadyTime t = t0;
    while (arrivals.size() < 400) {
      switch (std::uniform_int_distribution<int>(0, 3)(random)) {
        case 0:  // a burst at one instant
          arrivals.insert(arrivals.end(), std::uniform_int_distribution<std::size_t>(1, 3 * limit)(random), t);
          break;
        case 1:  // a trickle inside one window
          t += Millis(std::uniform_int_distribution<std::int64_t>(0, window.count() / 4)(random));
          arrivals.push_back(t);
          break;
        case 2:  // a gap of up to three windows
          t += Millis(std::uniform_int_distribution<std::int64_t>(0, 3 * window.count())(random));
          arrivals.push_back(t);
          break;
        default:  // nearly a window, to land on its edge
          t += std::max(Millis(0), window - Millis(std::uniform_int_distribution<std::int64_t>(0, 2)(random)));
          arrivals.push_back(t);
      }
    }

    std::vector<SteadyTime> sent;
    SteadyTime now = t0;
    for (const SteadyTime arrival : arrivals) {
      now = std::max(now, arrival);
      const SteadyTime at = budget.next_allowed(now);
      ASSERT_GE(at, now);
      // Waiting is only ever for the send `limit` places back to leave the window.
      if (at > now) {
        ASSERT_GE(sent.size(), limit);
        ASSERT_EQ(at, sent[sent.size() - limit] + window) << "seed " << seed;
      }
      budget.on_send(at);
      budget.on_answer(at, 200, std::nullopt, false);
      sent.push_back(at);
      now = at;
    }
    ASSERT_LE(fullest_window(sent, window), limit) << "seed " << seed << " limit " << limit;
  }
}

TEST(Budget, NamedTimeParksTheBudgetWithoutCuttingThePace) {
  Budget budget("tw", std::nullopt);
  budget.on_answer(t0, 429, t0 + 30s, false);
  EXPECT_EQ(budget.parked_until(), t0 + 30s);
  EXPECT_EQ(budget.next_allowed(t0 + 1s), t0 + 30s);
  EXPECT_EQ(budget.pace(), std::chrono::nanoseconds(0));
  budget.on_send(t0 + 30s);
  EXPECT_FALSE(budget.parked_until());
  EXPECT_EQ(budget.next_allowed(t0 + 30s), t0 + 30s);
}

TEST(Budget, RemainingZeroParksUntilTheResetEvenOnSuccess) {
  Budget budget("tw", rate("tw", 450, fifteen_minutes));
  budget.on_answer(t0, 200, t0 + 4min, true);
  EXPECT_EQ(budget.next_allowed(t0), t0 + 4min);
}

TEST(Budget, ServiceUnavailableWithRetryAfterParksTheWholeBudget) {
  Budget budget("nf", std::nullopt);
  budget.on_answer(t0, 503, t0 + 2s, false);
  EXPECT_EQ(budget.next_allowed(t0), t0 + 2s);
}

TEST(Budget, AnEarlierNamedTimeDoesNotShortenTheParking) {
  Budget budget("tw", std::nullopt);
  budget.on_answer(t0, 429, t0 + 60s, false);
  budget.on_answer(t0 + 1s, 429, t0 + 10s, false);
  EXPECT_EQ(budget.next_allowed(t0 + 1s), t0 + 60s);
}

TEST(Budget, ThrottleWithoutANamedTimeCutsThePaceAndParksForOneGap) {
  Budget budget("nf", std::nullopt);
  EXPECT_EQ(budget.pace(), std::chrono::nanoseconds(0));
  budget.on_answer(t0, 429, std::nullopt, false);
  EXPECT_EQ(budget.pace(), 100ms);
  EXPECT_EQ(budget.next_allowed(t0), t0 + 100ms);
  budget.on_send(t0 + 100ms);
  // Between sends the gap holds.
  EXPECT_EQ(budget.next_allowed(t0 + 120ms), t0 + 200ms);
  budget.on_answer(t0 + 150ms, 429, std::nullopt, false);
  EXPECT_EQ(budget.pace(), 200ms);
  EXPECT_EQ(budget.next_allowed(t0 + 150ms), t0 + 350ms);
}

TEST(Budget, RemainingZeroWithoutAResetCutsThePace) {
  Budget budget("nf", std::nullopt);
  budget.on_answer(t0, 200, std::nullopt, true);
  EXPECT_EQ(budget.pace(), 100ms);
  EXPECT_EQ(budget.next_allowed(t0), t0 + 100ms);
}

TEST(Budget, PaceDoublesUpToTheCap) {
  Budget budget("nf", std::nullopt);
  for (int i = 0; i < 20; ++i) budget.on_answer(t0, 429, std::nullopt, false);
  EXPECT_EQ(budget.pace(), 10s);
}

TEST(Budget, SuccessesGrowThePaceBackUntilItIsGone) {
  Budget budget("nf", std::nullopt);
  budget.on_answer(t0, 429, std::nullopt, false);
  EXPECT_EQ(budget.pace(), 100ms);
  budget.on_answer(t0, 200, std::nullopt, false);
  EXPECT_EQ(budget.pace(), 80ms);
  // 100 ms * 0.8^35 < 50 us: gone after 35 successes.
  for (int i = 0; i < 33; ++i) budget.on_answer(t0, 201, std::nullopt, false);
  EXPECT_GT(budget.pace(), std::chrono::nanoseconds(0));
  EXPECT_LT(budget.pace(), 100us);
  budget.on_answer(t0, 204, std::nullopt, false);
  EXPECT_EQ(budget.pace(), std::chrono::nanoseconds(0));
  budget.on_send(t0 + 1s);
  EXPECT_EQ(budget.next_allowed(t0 + 1s), t0 + 1s);
}

TEST(Budget, ServerErrorsAreNotSuccesses) {
  Budget budget("nf", std::nullopt);
  budget.on_answer(t0, 429, std::nullopt, false);
  for (int i = 0; i < 50; ++i) budget.on_answer(t0, 503, std::nullopt, false);
  EXPECT_EQ(budget.pace(), 100ms);
  budget.on_answer(t0, 429, std::nullopt, false);
  EXPECT_EQ(budget.pace(), 200ms);
  // A final 4xx is an answer the server was willing to give: a success for pacing.
  budget.on_answer(t0, 404, std::nullopt, false);
  EXPECT_EQ(budget.pace(), 160ms);
}

TEST(Budget, TheFirstCutHalvesTheRateWeWereSendingAt) {
  // Sending every 2 ms (500/s) and throttled: down to 250/s, not to 10/s.
  Budget budget("nf", std::nullopt);
  for (int i = 0; i < 50; ++i) {
    budget.on_send(t0 + 2ms * i);
    budget.on_answer(t0 + 2ms * i, 200, std::nullopt, false);
  }
  budget.on_answer(t0 + 100ms, 429, std::nullopt, false);
  EXPECT_EQ(budget.pace(), 4ms);
}

TEST(Budget, ThrottlesOfRequestsSentBeforeTheCutDoNotCutAgain) {
  // 32 requests in flight meet a limit: one cut, not 32 doublings to the cap.
  Budget budget("nf", std::nullopt);
  for (int i = 0; i < 32; ++i) budget.on_answer(t0 + 10ms * i, 429, std::nullopt, false, t0 - 1ms);
  EXPECT_EQ(budget.pace(), 100ms);
  // Still parked for one gap after the last of them.
  EXPECT_EQ(budget.next_allowed(t0 + 310ms), t0 + 410ms);
  // A request sent at the new pace that is throttled again is news.
  budget.on_answer(t0 + 500ms, 429, std::nullopt, false, t0 + 420ms);
  EXPECT_EQ(budget.pace(), 200ms);
  budget.on_answer(t0 + 510ms, 429, std::nullopt, false, t0 + 420ms);
  EXPECT_EQ(budget.pace(), 200ms);
}

TEST(Budget, TheFirstRequestGoesAloneUntilTheServerSaysWhereItStands) {
  // A rerun may start while the server's window is spent: one request finds
  // out, not --concurrency of them.
  Budget budget("tw", std::nullopt);
  EXPECT_EQ(budget.next_allowed(t0), t0);
  budget.on_send(t0);
  EXPECT_GT(budget.next_allowed(t0), t0);
  budget.on_answer(t0 + 40ms, 200, std::nullopt, false);
  budget.on_standing({3, t0 + 10s});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(budget.next_allowed(t0 + 40ms), t0 + 40ms);
    budget.on_send(t0 + 40ms);
  }
  // Three out, three remained: nothing more until the reset.
  EXPECT_EQ(budget.next_allowed(t0 + 50ms), t0 + 10s);
  // Past the reset the standing is stale: with requests still out, one at a time again.
  EXPECT_GT(budget.next_allowed(t0 + 10s), t0 + 10s);
  for (int i = 0; i < 3; ++i) budget.on_no_answer();
  EXPECT_EQ(budget.next_allowed(t0 + 10s), t0 + 10s);
}

TEST(Budget, RequestsStillOutAreTakenFromWhatTheServerSaysRemains) {
  Budget budget("tw", std::nullopt);
  budget.on_send(t0);
  budget.on_answer(t0, 200, std::nullopt, false);
  budget.on_standing({100, t0 + 1min});
  for (int i = 0; i < 4; ++i) budget.on_send(t0);
  // One of the four comes back saying 5 remain; the other three may not be counted yet.
  budget.on_answer(t0 + 1ms, 200, std::nullopt, false);
  budget.on_standing({5, t0 + 1min});
  budget.on_send(t0 + 1ms);
  budget.on_send(t0 + 1ms);
  EXPECT_EQ(budget.next_allowed(t0 + 2ms), t0 + 1min);
}

TEST(Budget, PacingConstantsAreConfigurable) {
  AdaptivePacing pacing;
  pacing.first_gap = 1s;
  pacing.max_gap = 3s;
  pacing.successes_per_step = 2;
  pacing.shrink = 0.5;
  pacing.floor = 300ms;
  Budget budget("nf", std::nullopt, pacing);
  budget.on_answer(t0, 429, std::nullopt, false);
  EXPECT_EQ(budget.pace(), 1s);
  budget.on_answer(t0, 429, std::nullopt, false);
  budget.on_answer(t0, 429, std::nullopt, false);
  EXPECT_EQ(budget.pace(), 3s);
  for (int i = 0; i < 4; ++i) budget.on_answer(t0, 200, std::nullopt, false);
  EXPECT_EQ(budget.pace(), 750ms);
  for (int i = 0; i < 4; ++i) budget.on_answer(t0, 200, std::nullopt, false);
  EXPECT_EQ(budget.pace(), std::chrono::nanoseconds(0));  // 187.5 ms is below the floor
}

TEST(Budget, AFixedBudgetTheServerThrottlesIsPacedToo) {
  Budget budget("tw", rate("tw", 1000, 1s));
  budget.on_answer(t0, 429, std::nullopt, false);
  budget.on_send(t0 + 100ms);
  EXPECT_EQ(budget.next_allowed(t0 + 100ms), t0 + 200ms);
}

TEST(Budgets, ARequestChargedToSeveralBudgetsWaitsForTheLatest) {
  Budgets budgets({rate("tw", 3, 1min), rate("tw.total_count", 1, 15min)});
  const std::vector<std::string> count_request{"tw", "tw.total_count"};
  const std::vector<std::string> plain_request{"tw"};
  EXPECT_EQ(budgets.next_allowed(count_request, t0), t0);
  budgets.on_send(count_request, t0);
  budgets.on_answer(count_request, t0, 200, std::nullopt, false);
  EXPECT_EQ(budgets.next_allowed(count_request, t0), t0 + 15min);
  // The plain request only pays into "tw", which still has room.
  EXPECT_EQ(budgets.next_allowed(plain_request, t0), t0);
  budgets.on_send(plain_request, t0);
  budgets.on_send(plain_request, t0 + 1s);
  budgets.on_answer(plain_request, t0 + 1s, 200, std::nullopt, false);
  EXPECT_EQ(budgets.next_allowed(plain_request, t0 + 2s), t0 + 1min);
  EXPECT_EQ(budgets.next_allowed(count_request, t0 + 2s), t0 + 15min);
}

TEST(Budgets, UnknownNamesAreAdaptiveAndUnlimitedUntilThrottled) {
  Budgets budgets({});
  const std::vector<std::string> names{"nf"};
  budgets.on_send(names, t0);
  budgets.on_answer(names, t0, 201, std::nullopt, false);  // publishes no numbers
  for (int i = 0; i < 10'000; ++i) budgets.on_send(names, t0);
  EXPECT_EQ(budgets.next_allowed(names, t0), t0);
  budgets.on_answer(names, t0, 429, std::nullopt, false);
  EXPECT_GT(budgets.next_allowed(names, t0), t0);
  EXPECT_GT(budgets.get("nf").pace(), std::chrono::nanoseconds(0));
}

TEST(Budgets, AnswerParksEveryBudgetOfTheRequest) {
  Budgets budgets({rate("tw", 450, 15min)});
  const std::vector<std::string> names{"tw", "tw.total_count"};
  budgets.on_answer(names, t0, 429, t0 + 5min, false);
  EXPECT_EQ(budgets.get("tw").parked_until(), t0 + 5min);
  EXPECT_EQ(budgets.get("tw.total_count").parked_until(), t0 + 5min);
  const std::vector<std::string> other{"nf"};
  EXPECT_EQ(budgets.next_allowed(other, t0), t0);
}

TEST(Budgets, ALaterSpecOfTheSameNameWins) {
  Budgets budgets({rate("tw.total_count", 200, 15min), rate("tw.total_count", 1, 1s)});
  const std::vector<std::string> names{"tw.total_count"};
  budgets.on_send(names, t0);
  EXPECT_EQ(budgets.next_allowed(names, t0), t0 + 1s);
}

TEST(Budgets, NoBudgetsMeansNoWait) {
  Budgets budgets({rate("tw", 1, 1h)});
  EXPECT_EQ(budgets.next_allowed({}, t0), t0);
}

}  // namespace
}  // namespace ab
