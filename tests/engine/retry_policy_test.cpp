#include "engine/send/retry_policy.hpp"

#include <gtest/gtest.h>

#include <array>
#include <climits>

namespace ab {
namespace {

using namespace std::chrono_literals;

const SteadyTime now{5h};

class RetryPolicyTest : public ::testing::Test {
 protected:
  RetryPolicy policy{RetryConfig{8, Millis{200}, Millis{30'000}}};
  Random random{42};

  RetryDecision answer(unsigned status, unsigned attempts = 1, bool replay_safe = true,
                       std::optional<SteadyTime> named = std::nullopt,
                       std::optional<SteadyTime> deadline = std::nullopt, bool renewed = false) {
    return policy.decide(AttemptResult{AttemptFailure::none, status, named}, attempts, renewed, replay_safe, now,
                         deadline, random);
  }
  RetryDecision failure(AttemptFailure what, unsigned attempts = 1, bool replay_safe = true) {
    return policy.decide(AttemptResult{what, 0, std::nullopt}, attempts, false, replay_safe, now, std::nullopt,
                         random);
  }
};

TEST_F(RetryPolicyTest, SuccessAndFinalAnswersAreDone) {
  for (unsigned status : {200u, 201u, 204u, 301u, 400u, 403u, 404u, 409u, 422u, 501u, 505u}) {
    EXPECT_EQ(answer(status).action, RetryAction::done) << status;
    EXPECT_EQ(answer(status, 1, false).action, RetryAction::done) << status;
  }
}

TEST_F(RetryPolicyTest, UnauthorizedRenewsOnceThenIsFinal) {
  const auto first = answer(401);
  EXPECT_EQ(first.action, RetryAction::renew_auth);
  EXPECT_EQ(first.at, now);
  EXPECT_FALSE(first.counts_as_attempt);
  // Renewal is not a failure of the request: allowed even with the attempts used up.
  EXPECT_EQ(answer(401, 8).action, RetryAction::renew_auth);
  EXPECT_EQ(answer(401, 1, true, std::nullopt, std::nullopt, /*renewed=*/true).action, RetryAction::done);
}

TEST_F(RetryPolicyTest, ThrottleWithANamedTimeIsPacing) {
  const auto d = answer(429, 1, true, now + 90s);
  EXPECT_EQ(d.action, RetryAction::retry);
  EXPECT_EQ(d.at, now + 90s);
  EXPECT_FALSE(d.counts_as_attempt);
  // Pacing never runs out of attempts, and a create may wait too (a 429 was not applied).
  EXPECT_EQ(answer(429, 8, true, now + 90s).action, RetryAction::retry);
  EXPECT_EQ(answer(429, 50, false, now + 90s).action, RetryAction::retry);
}

TEST_F(RetryPolicyTest, ANamedTimeInThePastMeansNow) {
  EXPECT_EQ(answer(429, 1, true, now - 5s).at, now);
}

TEST_F(RetryPolicyTest, ThrottleWithoutANamedTimeBacksOffAndCounts) {
  const auto d = answer(429, 1);
  EXPECT_EQ(d.action, RetryAction::retry);
  EXPECT_TRUE(d.counts_as_attempt);
  EXPECT_GE(d.at, now);
  EXPECT_LE(d.at, now + 200ms);
  EXPECT_EQ(answer(429, 8).action, RetryAction::give_up);
}

TEST_F(RetryPolicyTest, RetryableServerErrorsBackOffWithFullJitter) {
  for (unsigned status : {500u, 502u, 503u, 504u}) {
    for (unsigned attempts = 1; attempts < 8; ++attempts) {
      const auto d = answer(status, attempts);
      EXPECT_EQ(d.action, RetryAction::retry) << status;
      EXPECT_TRUE(d.counts_as_attempt);
      EXPECT_GE(d.at, now);
      EXPECT_LE(d.at, now + std::min(Millis(30'000), Millis(200) * (1 << (attempts - 1))));
    }
    EXPECT_EQ(answer(status, 8).action, RetryAction::give_up) << status;
  }
}

TEST_F(RetryPolicyTest, ANamedTimeLaterThanTheBackOffWins) {
  const auto d = answer(503, 1, true, now + 10min);
  EXPECT_EQ(d.action, RetryAction::retry);
  EXPECT_EQ(d.at, now + 10min);
  EXPECT_TRUE(d.counts_as_attempt);  // a 5xx is a failure even when it names a time
  // A named time before the back-off does not cut it short.
  const auto early = answer(503, 7, true, now + 1ms);
  EXPECT_GE(early.at, now + 1ms);
  EXPECT_LE(early.at, now + 12'800ms);
}

TEST_F(RetryPolicyTest, ServerErrorOnARequestThatMustNotBeSentTwiceIsAmbiguous) {
  for (unsigned status : {500u, 502u, 504u}) {
    EXPECT_EQ(answer(status, 1, false).action, RetryAction::ambiguous) << status;
    EXPECT_EQ(answer(status, 8, false).action, RetryAction::ambiguous) << status;
  }
}

TEST_F(RetryPolicyTest, A503WithoutANamedTimeIsARefusalToo) {
  // RFC 9110 §15.6.4: 503 means the server did not handle the request.
  const auto d = answer(503, 1, false);
  EXPECT_EQ(d.action, RetryAction::retry);
  EXPECT_TRUE(d.counts_as_attempt);
  EXPECT_EQ(answer(503, 8, false).action, RetryAction::give_up);
}

TEST_F(RetryPolicyTest, A429WithoutANamedTimeIsRetriedForACreate) {
  const auto d = answer(429, 1, false);
  EXPECT_EQ(d.action, RetryAction::retry);
  EXPECT_TRUE(d.counts_as_attempt);
}

TEST_F(RetryPolicyTest, A503ThatNamesWhenToComeBackIsARefusalSafeToSendAgain) {
  const auto d = answer(503, 1, false, now + 2s);
  EXPECT_EQ(d.action, RetryAction::retry);
  EXPECT_GE(d.at, now + 2s);
  for (unsigned status : {500u, 502u, 504u})
    EXPECT_EQ(answer(status, 1, false, now + 2s).action, RetryAction::ambiguous) << status;
}

TEST_F(RetryPolicyTest, NotSentIsSafeForAnyRequest) {
  for (bool replay_safe : {true, false}) {
    const auto d = failure(AttemptFailure::not_sent, 1, replay_safe);
    EXPECT_EQ(d.action, RetryAction::retry);
    EXPECT_TRUE(d.counts_as_attempt);
    EXPECT_LE(d.at, now + 200ms);
    EXPECT_EQ(failure(AttemptFailure::not_sent, 8, replay_safe).action, RetryAction::give_up);
  }
}

TEST_F(RetryPolicyTest, MaybeAppliedIsRetriedOnlyWhenReplaySafe) {
  EXPECT_EQ(failure(AttemptFailure::maybe_applied, 1, true).action, RetryAction::retry);
  EXPECT_EQ(failure(AttemptFailure::maybe_applied, 8, true).action, RetryAction::give_up);
  EXPECT_EQ(failure(AttemptFailure::maybe_applied, 1, false).action, RetryAction::ambiguous);
  // The kind must reconcile whatever the attempts: giving up would call it failed.
  EXPECT_EQ(failure(AttemptFailure::maybe_applied, 8, false).action, RetryAction::ambiguous);
}

TEST_F(RetryPolicyTest, CancelledGivesUp) {
  for (bool replay_safe : {true, false}) {
    const auto d = failure(AttemptFailure::cancelled, 1, replay_safe);
    EXPECT_EQ(d.action, RetryAction::give_up);
    EXPECT_FALSE(d.counts_as_attempt);
  }
}

TEST_F(RetryPolicyTest, ARetryPastTheDeadlineGivesUp) {
  const auto paced = answer(429, 1, true, now + 10min, now + 5min);
  EXPECT_EQ(paced.action, RetryAction::give_up);
  EXPECT_FALSE(paced.counts_as_attempt);  // attempts were left: the deadline ended it
  EXPECT_EQ(answer(429, 1, true, now + 5min, now + 5min).action, RetryAction::retry);  // at the deadline is fine
  // A back-off of up to 200 ms against a deadline already due.
  bool gave_up = false;
  for (int i = 0; i < 50; ++i) gave_up |= answer(503, 1, true, std::nullopt, now).action == RetryAction::give_up;
  EXPECT_TRUE(gave_up);
  EXPECT_EQ(answer(503, 1, true, std::nullopt, now - 1ms).action, RetryAction::give_up);
  EXPECT_EQ(answer(401, 1, true, std::nullopt, now - 1ms).action, RetryAction::give_up);
}

TEST_F(RetryPolicyTest, BackoffStaysWithinItsBoundsForEveryCount) {
  for (unsigned n = 0; n < 200; ++n) {
    const Millis ceiling = n < 10 ? std::min(Millis(30'000), Millis(200) * (1 << n)) : Millis(30'000);
    for (int draw = 0; draw < 20; ++draw) {
      const Millis b = policy.backoff(n, random);
      ASSERT_GE(b, Millis(0)) << n;
      ASSERT_LE(b, ceiling) << n;
    }
  }
  EXPECT_LE(policy.backoff(UINT_MAX, random), Millis(30'000));
}

TEST_F(RetryPolicyTest, BackoffIsOverflowSafeForExtremeConfigs) {
  const RetryPolicy huge(RetryConfig{8, Millis(LLONG_MAX / 2), Millis(LLONG_MAX)});
  for (unsigned n : {0u, 1u, 2u, 62u, 63u, 64u, 1000u}) {
    const Millis b = huge.backoff(n, random);
    EXPECT_GE(b, Millis(0));
    if (n == 0) {
      EXPECT_LE(b, Millis(LLONG_MAX / 2));
    }
  }
  const RetryPolicy base_above_cap(RetryConfig{8, Millis(5000), Millis(100)});
  EXPECT_LE(base_above_cap.backoff(0, random), Millis(100));
  const RetryPolicy no_wait(RetryConfig{8, Millis(0), Millis(30'000)});
  EXPECT_EQ(no_wait.backoff(40, random), Millis(0));
}

// Full jitter: uniform over [0, ceiling], not bunched at the top or bottom.
TEST_F(RetryPolicyTest, BackoffIsUniformOverManySeeds) {
  constexpr int draws = 40'000;
  constexpr int buckets = 8;
  const Millis ceiling(1600);  // 200 ms * 2^3
  std::array<int, buckets> counts{};
  double sum = 0;
  Millis lowest(INT_MAX), highest(0);
  for (int seed = 0; seed < draws; ++seed) {
    Random seeded(static_cast<std::uint64_t>(seed));
    const Millis b = policy.backoff(3, seeded);
    ASSERT_LE(b, ceiling);
    sum += static_cast<double>(b.count());
    lowest = std::min(lowest, b);
    highest = std::max(highest, b);
    ++counts[static_cast<std::size_t>(std::min<long long>(buckets - 1, b.count() * buckets / (ceiling.count() + 1)))];
  }
  EXPECT_NEAR(sum / draws, 800.0, 800.0 * 0.02);
  EXPECT_LT(lowest, Millis(10));
  EXPECT_GT(highest, Millis(1590));
  for (int c : counts) EXPECT_NEAR(c, draws / buckets, draws / buckets * 0.06);
}

TEST_F(RetryPolicyTest, TheSameSeedGivesTheSameWaits) {
  Random a(7), b(7);
  for (unsigned n = 0; n < 10; ++n) EXPECT_EQ(policy.backoff(n, a), policy.backoff(n, b));
}

}  // namespace
}  // namespace ab
