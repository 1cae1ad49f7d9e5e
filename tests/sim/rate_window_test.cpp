// The server-side fixed window: counts, resets on a whole epoch second, names
// its reset, and tells a request that came before the named reset.
#include "sim/rate_window.hpp"

#include <gtest/gtest.h>

namespace ab::sim {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const SystemTime t0{seconds{1'700'000'000} + milliseconds{300}};

std::int64_t epoch(SystemTime t) { return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count(); }

TEST(RateWindow, AllowsTheLimitThenRefusesUntilTheWindowEnds) {
  RateWindow window(3, minutes(15));
  for (std::uint64_t left : {2u, 1u, 0u}) {
    auto d = window.take(t0);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, left);
    EXPECT_EQ(d.limit, 3u);
  }
  auto refused = window.take(t0 + minutes(14));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0u);
  // The window opened at t0's whole second and lasts exactly 15 minutes.
  EXPECT_EQ(refused.reset_epoch, epoch(t0) + 15 * 60);
  EXPECT_EQ(refused.retry_after, seconds(60));
  EXPECT_TRUE(window.take(SystemTime(seconds(refused.reset_epoch))).allowed);
}

TEST(RateWindow, RefusedRequestsDoNotUseTheNextWindow) {
  RateWindow window(1, seconds(10));
  EXPECT_TRUE(window.take(t0).allowed);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(window.take(t0 + seconds(i)).allowed);
  const auto next = SystemTime(seconds(epoch(t0) + 11));
  auto fresh = window.take(next);
  EXPECT_TRUE(fresh.allowed);
  EXPECT_EQ(fresh.remaining, 0u);
  EXPECT_EQ(fresh.reset_epoch, epoch(next) + 10);
}

TEST(RateWindow, RetryAfterIsAtLeastOneSecond) {
  RateWindow window(1, seconds(1));
  window.take(t0);
  auto refused = window.take(SystemTime(seconds(epoch(t0) + 1)) - milliseconds(1));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, seconds(1));
}

TEST(RateWindow, ARequestBeforeTheNamedResetIsToldApartWithAGraceForRounding) {
  RateWindow window(1, seconds(5));
  EXPECT_FALSE(window.before_named_reset(t0));  // nothing refused yet
  window.take(t0);
  EXPECT_FALSE(window.before_named_reset(t0 + seconds(1)));  // not refused: may ask
  const auto refused = window.take(t0 + seconds(1));
  const SystemTime reset{seconds(refused.reset_epoch)};
  EXPECT_TRUE(window.before_named_reset(reset - milliseconds(201)));
  EXPECT_FALSE(window.before_named_reset(reset - milliseconds(200)));
  EXPECT_FALSE(window.before_named_reset(reset));
}

TEST(RateHeaders, CarryLimitRemainingResetAndRetryAfterWhenRefused) {
  RateWindow window(1, seconds(60));
  Response allowed;
  set_rate_headers(allowed, window.take(t0), "x-account-rate-limit");
  EXPECT_EQ(allowed["x-account-rate-limit-limit"], "1");
  EXPECT_EQ(allowed["x-account-rate-limit-remaining"], "0");
  EXPECT_EQ(allowed["x-account-rate-limit-reset"], std::to_string(epoch(t0) + 60));
  EXPECT_EQ(allowed.count(boost::beast::http::field::retry_after), 0u);

  Response refused;
  set_rate_headers(refused, window.take(t0 + seconds(30)));
  EXPECT_EQ(refused["x-rate-limit-remaining"], "0");
  EXPECT_EQ(refused[boost::beast::http::field::retry_after], "30");
}

}  // namespace
}  // namespace ab::sim
