// ServerClockLag against a model server whose clock runs behind ours: its
// windows end on its whole seconds, each answer names the reset of the
// window that counted the request and its Date, to the second.
#include "engine/send/server_clock.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <random>

namespace ab {
namespace {

using namespace std::chrono_literals;
using std::chrono::microseconds;

const SystemTime t0{std::chrono::seconds(1'796'000'000)};

std::int64_t floor_seconds(SystemTime t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}
std::int64_t epoch_ms(SystemTime t) {
  return std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// What a server `behind` ours answers to a request it handles at our `handled`.
struct ModelAnswer {
  RateFeedback feedback;
  std::int64_t date_ms;
};
ModelAnswer answer_at(SystemTime handled, microseconds behind) {
  const SystemTime its_time = handled - behind;
  ModelAnswer a;
  a.feedback.user.limit = 500;
  a.feedback.user.remaining = 3;
  a.feedback.user.reset_epoch = floor_seconds(its_time) + 1;  // its 1 s window ends at its next second
  a.date_ms = floor_seconds(its_time) * 1000;
  return a;
}

// The lag never overshoots, lag + uncertainty never falls short, and both
// close in once answers spread over the server's seconds.
TEST(ServerClockLag, PropertyNeverMoreThanTheServerIsBehindAndCloseOnceAnswersSpreadOverItsSeconds) {
  for (const microseconds behind : {microseconds(0), microseconds(300ms), microseconds(2500ms), microseconds(7s)}) {
    for (unsigned seed = 1; seed <= 20; ++seed) {
      std::mt19937 random(seed);
      std::uniform_int_distribution<int> at_us(0, 3'000'000), way_us(100, 5'000);
      ServerClockLag clock;
      for (int i = 0; i < 300; ++i) {
        const SystemTime sent = t0 + microseconds(at_us(random));
        const SystemTime handled = sent + microseconds(way_us(random));
        const auto answer = answer_at(handled, behind);
        clock.on_answer(sent, answer.feedback, answer.date_ms, handled + microseconds(way_us(random)));
        ASSERT_LE(clock.lag(), behind) << "seed " << seed << ": a lag it does not have would slow every window";
        if (clock.uncertainty() > 0us) {
          ASSERT_GE(clock.lag() + clock.uncertainty(), behind) << "seed " << seed;
        }
      }
      // 300 answers over 3 s: some came within a few ms either side of a tick.
      EXPECT_GE(clock.lag(), behind - microseconds(20ms)) << "seed " << seed;
      EXPECT_LE(clock.uncertainty(), 30ms) << "seed " << seed;
      if (behind == 0us) {
        EXPECT_EQ(clock.uncertainty(), 0us) << "a server on time needs no band";
      }
    }
  }
}

TEST(ServerClockLag, AResetOurClockHadPassedAtTheSendIsALowerBound) {
  ServerClockLag clock;
  RateFeedback feedback;
  feedback.account.reset_epoch = floor_seconds(t0) - 1;  // 1.25 s before the send
  clock.on_answer(t0 + 250ms, feedback);
  EXPECT_EQ(clock.lag(), 1250ms);
  feedback.account.reset_epoch = floor_seconds(t0) + 60;  // ahead: says nothing of a lag
  clock.on_answer(t0 + 2s, feedback);
  EXPECT_EQ(clock.lag(), 1250ms) << "the bound only grows";
}

TEST(ServerClockLag, ADateMoreThanASecondBeforeTheSendIsALowerBound) {
  ServerClockLag clock;
  clock.on_answer(t0 + 900ms, RateFeedback{}, epoch_ms(t0));
  EXPECT_EQ(clock.lag(), 0us) << "within its second: it may be on time";
  clock.on_answer(t0 + 2400ms, RateFeedback{}, epoch_ms(t0));
  EXPECT_EQ(clock.lag(), 1400ms);
}

// A server 310 ms behind ours, answering 5 ms after a send and 15 ms before we hear it.
TEST(ServerClockLag, TheUncertaintyIsWhatTheDatesLeaveOpenOnceItIsKnownBehind) {
  ServerClockLag clock;
  clock.on_answer(t0 + 500ms, RateFeedback{}, epoch_ms(t0), t0 + 520ms);  // handled at its 0.195 s
  EXPECT_EQ(clock.uncertainty(), 0us) << "not known to be behind: no band";
  clock.on_answer(t0 + 1300ms, RateFeedback{}, epoch_ms(t0), t0 + 1320ms);  // at its 0.995 s
  EXPECT_EQ(clock.lag(), 300ms);
  EXPECT_EQ(clock.uncertainty(), 220ms) << "the first answer came at most 520 ms after its tick";
  clock.on_answer(t0 + 2310ms, RateFeedback{}, epoch_ms(t0 + 2s), t0 + 2330ms);  // at its 2.005 s
  EXPECT_EQ(clock.uncertainty(), 30ms) << "between 300 and 330 ms behind";
}

TEST(ServerClockLag, WhatIsNoClockIsIgnored) {
  ServerClockLag clock;
  RateFeedback feedback;
  feedback.user.reset_epoch = 900;  // seconds until the reset, not an epoch
  clock.on_answer(t0, feedback);
  feedback.user.reset_epoch = floor_seconds(t0) - 3600;  // an hour: a stale header, not a clock
  clock.on_answer(t0, feedback, epoch_ms(t0) - 3'600'000);
  feedback.user.reset_epoch = max_epoch_seconds;
  clock.on_answer(t0, feedback, std::numeric_limits<std::int64_t>::min() / 2);
  EXPECT_EQ(clock.lag(), 0us);
}

TEST(ServerClocks, OneClockAServer) {
  ServerClocks clocks;
  RateFeedback feedback;
  feedback.user.reset_epoch = floor_seconds(t0);
  clocks.of("https://ads-api.x.com/12/accounts/a/custom_audiences").on_answer(t0 + 2s, feedback);
  EXPECT_EQ(clocks.of("https://ads-api.x.com/12/accounts/b?count=1").lag(), 2s);
  EXPECT_EQ(clocks.of("https://ads-api.x.com:8443/12/accounts").lag(), 0us);
  EXPECT_EQ(clocks.of("http://ads-api.x.com/12/accounts").lag(), 0us);
  EXPECT_EQ(clocks.of("https://api.neuroflash.com/").lag(), 0us);
}

}  // namespace
}  // namespace ab
