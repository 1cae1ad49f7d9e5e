// Learning an unpublished window from 429s that name a time, on a fake clock.
#include "engine/send/budget.hpp"
#include "engine/send/window_learner.hpp"

#include <gtest/gtest.h>

#include <random>

namespace ab {
namespace {

using namespace std::chrono_literals;

const SteadyTime t0{10h};

// A server window of `limit` per second on whole seconds from t0: a request
// over the limit is answered 429 naming the next whole second plus `late`.
struct FixedWindowServer {
  std::uint64_t limit;
  Millis late{30};
  SteadyTime window_start = t0;
  std::uint64_t used = 0;
  std::uint64_t refused = 0;

  std::pair<unsigned, std::optional<SteadyTime>> take(SteadyTime now) {
    while (now >= window_start + 1s) window_start += 1s, used = 0;
    if (used < limit) {
      ++used;
      return {200, std::nullopt};
    }
    ++refused;
    return {429, window_start + 1s + late};
  }
};

TEST(WindowLearnerTest, TwoWindowsThatAgreeAreLearned) {
  WindowLearner learner;
  SteadyTime now = t0;
  for (int window = 0; window < 2; ++window) {
    const SteadyTime opened = now;
    for (int i = 0; i < 100; ++i, now += 1ms) {
      learner.on_send(now);
      learner.on_answer(200, std::nullopt, now);
    }
    learner.on_send(now);
    learner.on_answer(429, opened + 1s, now);
    EXPECT_EQ(learner.learned().has_value(), window == 1);
    now = opened + 1s;
  }
  ASSERT_TRUE(learner.learned());
  EXPECT_EQ(learner.learned()->limit, 100u);
  EXPECT_EQ(learner.learned()->window, 1000ms);
}

TEST(WindowLearnerTest, ThrottlesAtRandomThatNameATimeAreNotLearned) {
  WindowLearner learner;
  std::mt19937 random(4);
  std::bernoulli_distribution throttled(0.1);
  SteadyTime now = t0;
  for (int i = 0; i < 5000; ++i, now += 1ms) {
    learner.on_send(now);
    if (throttled(random)) {
      learner.on_answer(429, now + 1s, now);
      now += 1s;
    } else {
      learner.on_answer(200, std::nullopt, now);
    }
  }
  EXPECT_FALSE(learner.learned());
}

TEST(WindowLearnerTest, ABudgetPacesUnderALearnedWindowWithFewThrottles) {
  Budget budget("nf", std::nullopt);
  FixedWindowServer server{200};
  SteadyTime now = t0;
  std::uint64_t taken = 0;
  while (now < t0 + 20s) {
    now = budget.next_allowed(now);
    budget.on_send(now);
    const auto [status, resume] = server.take(now);
    budget.on_answer(now, status, resume, false, now);
    taken += status == 200;
    now += 100us;
  }
  ASSERT_TRUE(budget.learned_window()) << "refused " << server.refused;
  EXPECT_LE(server.refused * 20, taken) << "fewer than 5 % of requests refused";
  EXPECT_GE(taken * 10, 9 * 20 * server.limit) << "at least 90 % of the budget used";
  EXPECT_EQ(budget.pace(), std::chrono::nanoseconds::zero()) << "a named time does not cut the pace";
}

}  // namespace
}  // namespace ab
