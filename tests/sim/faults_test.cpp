// Which fault strikes a request: shares as configured, reproducible from the
// seed, latency with a ±20 % jitter, and the fault-free endpoint.
#include "sim/faults.hpp"

#include <gtest/gtest.h>

#include <map>

namespace ab::sim {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

std::map<FaultKind, int> tally(Faults& faults, int n) {
  std::map<FaultKind, int> seen;
  for (int i = 0; i < n; ++i) ++seen[faults.decide().kind];
  return seen;
}

TEST(Faults, NoneConfiguredNoneHappen) {
  Faults faults({}, 7);
  EXPECT_FALSE(faults.any());
  auto seen = tally(faults, 1000);
  EXPECT_EQ(seen[FaultKind::none], 1000);
}

TEST(Faults, ARateOfOneAlwaysStrikes) {
  for (auto [rates, kind] : {std::pair{FaultRates{.reset = 1}, FaultKind::reset},
                             std::pair{FaultRates{.error = 1}, FaultKind::error},
                             std::pair{FaultRates{.throttle = 1}, FaultKind::throttle},
                             std::pair{FaultRates{.lost_reply = 1}, FaultKind::lost_reply}}) {
    Faults faults(rates, 3);
    EXPECT_TRUE(faults.any());
    EXPECT_EQ(tally(faults, 200)[kind], 200);
  }
}

TEST(Faults, SharesAreRespectedStatistically) {
  Faults faults({.reset = 0.1, .error = 0.2, .throttle = 0.05, .lost_reply = 0.15}, 42);
  auto seen = tally(faults, 20'000);
  EXPECT_NEAR(seen[FaultKind::reset], 2000, 200);
  EXPECT_NEAR(seen[FaultKind::error], 4000, 300);
  EXPECT_NEAR(seen[FaultKind::throttle], 1000, 150);
  EXPECT_NEAR(seen[FaultKind::lost_reply], 3000, 250);
  EXPECT_NEAR(seen[FaultKind::none], 10'000, 400);
}

TEST(Faults, TheSameSeedGivesTheSameNight) {
  const FaultRates rates{.reset = 0.2, .error = 0.2, .throttle = 0.2, .lost_reply = 0.2, .latency = milliseconds(40)};
  Faults a(rates, 9), b(rates, 9), c(rates, 10);
  bool differs_from_other_seed = false;
  for (int i = 0; i < 100; ++i) {
    auto x = a.decide(), y = b.decide(), z = c.decide();
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.status, y.status);
    EXPECT_EQ(x.delay, y.delay);
    differs_from_other_seed = differs_from_other_seed || x.kind != z.kind;
  }
  EXPECT_TRUE(differs_from_other_seed);
}

TEST(Faults, ErrorsAre5xxAndOnlySome503sNameARetryTime) {
  Faults faults({.error = 1}, 5);
  std::map<unsigned, int> statuses;
  int with_retry_after = 0;
  for (int i = 0; i < 2000; ++i) {
    auto d = faults.decide();
    ++statuses[d.status];
    if (d.retry_after) {
      EXPECT_EQ(d.status, 503u);
      ++with_retry_after;
    }
  }
  EXPECT_EQ(statuses.size(), 4u);
  for (unsigned s : {500u, 502u, 503u, 504u}) EXPECT_GT(statuses[s], 200) << s;
  // 2000 x 0.2 = 400 by default.
  EXPECT_GT(with_retry_after, 300);
  EXPECT_LT(with_retry_after, 500);
  EXPECT_LT(with_retry_after, statuses[503]);
}

TEST(Faults, TheRetryAfterShareIsTheUsers) {
  for (const double share : {0.0, 1.0}) {
    Faults faults({.error = 1, .retry_after_share = share}, 5);
    int with_retry_after = 0;
    for (int i = 0; i < 500; ++i) with_retry_after += faults.decide().retry_after ? 1 : 0;
    EXPECT_EQ(with_retry_after, share == 0 ? 0 : 500) << share;
  }
}

TEST(Faults, LatencyHasAJitterOfTwentyPercent) {
  Faults faults({.latency = milliseconds(100)}, 11);
  microseconds low = microseconds::max(), high{0};
  for (int i = 0; i < 2000; ++i) {
    auto d = faults.decide();
    EXPECT_EQ(d.kind, FaultKind::none);
    low = std::min(low, d.delay);
    high = std::max(high, d.delay);
  }
  EXPECT_GE(low, microseconds(80'000));
  EXPECT_LE(high, microseconds(120'000));
  EXPECT_LT(low, microseconds(82'000));
  EXPECT_GT(high, microseconds(118'000));
}

TEST(Faults, FaultFreeRequestsOnlyGetTheLatencyAndDoNotShiftTheOthers) {
  const FaultRates rates{.reset = 0.5, .error = 0.5, .latency = milliseconds(10)};
  Faults mixed(rates, 1), plain(rates, 1);
  for (int i = 0; i < 100; ++i) {
    auto exempt = mixed.decide(true);
    EXPECT_EQ(exempt.kind, FaultKind::none);
    EXPECT_GT(exempt.delay.count(), 0);
    plain.decide();
    EXPECT_EQ(mixed.decide().kind, plain.decide().kind);
  }
}

TEST(Faults, AnswersOfErrorsAndThrottles) {
  Request request(boost::beast::http::verb::get, "/x", 11);
  auto throttled = generic_fault_answer(request, {.status = 429});
  EXPECT_EQ(throttled.result_int(), 429u);
  EXPECT_EQ(throttled.count(boost::beast::http::field::retry_after), 0u);
  EXPECT_EQ(throttled.count("x-rate-limit-reset"), 0u);
  auto unavailable = generic_fault_answer(request, {.status = 503, .retry_after = true});
  EXPECT_EQ(unavailable.result_int(), 503u);
  EXPECT_EQ(unavailable[boost::beast::http::field::retry_after], "1");
  EXPECT_EQ(unavailable[boost::beast::http::field::content_type], "application/json");
  EXPECT_NE(unavailable.body().find("\"code\":\"SIMULATED_FAULT\""), std::string::npos);
}

}  // namespace
}  // namespace ab::sim
