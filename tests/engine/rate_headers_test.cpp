#include "engine/send/rate_headers.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace ab {
namespace {

using namespace std::chrono_literals;

// 2024-03-01 10:00:00 UTC, a Friday.
const SystemTime wall = std::chrono::sys_days{std::chrono::year{2024} / 3 / 1} + 10h;
const SteadyTime steady{1000h};

std::int64_t wall_epoch_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(wall.time_since_epoch()).count();
}

std::string epoch_in(std::int64_t seconds) { return std::to_string(wall_epoch_seconds() + seconds); }

TEST(RateHeaders, ReadsBothFamilies) {
  const auto f = parse_rate_feedback({{"x-rate-limit-limit", "450"},
                                      {"x-rate-limit-remaining", "12"},
                                      {"x-rate-limit-reset", "1709287200"},
                                      {"x-account-rate-limit-limit", "2000"},
                                      {"x-account-rate-limit-remaining", "0"},
                                      {"x-account-rate-limit-reset", "1709287300"}},
                                     wall);
  EXPECT_EQ(f.user.limit, 450);
  EXPECT_EQ(f.user.remaining, 12);
  EXPECT_EQ(f.user.reset_epoch, 1709287200);
  EXPECT_EQ(f.account.limit, 2000);
  EXPECT_EQ(f.account.remaining, 0);
  EXPECT_EQ(f.account.reset_epoch, 1709287300);
  EXPECT_FALSE(f.retry_after);
  EXPECT_TRUE(f.exhausted());
}

TEST(RateHeaders, NamesAreCaseInsensitiveAndValuesTrimmed) {
  const auto f = parse_rate_feedback({{"X-Rate-Limit-Remaining", " 0\t"}, {"Retry-After", " 7 "}}, wall);
  EXPECT_EQ(f.user.remaining, 0);
  EXPECT_EQ(f.retry_after, Millis(7000));
}

TEST(RateHeaders, NoHeadersNamesNothing) {
  const auto f = parse_rate_feedback({{"content-type", "application/json"}}, wall);
  EXPECT_FALSE(f.exhausted());
  EXPECT_FALSE(f.resume_at(steady, wall));
}

TEST(RateHeaders, RetryAfterSeconds) {
  const auto f = parse_rate_feedback({{"retry-after", "120"}}, wall);
  EXPECT_EQ(f.retry_after, Millis(120'000));
  EXPECT_EQ(f.resume_at(steady, wall), steady + 120s);
}

TEST(RateHeaders, RetryAfterHttpDate) {
  const auto f = parse_rate_feedback({{"retry-after", "Fri, 01 Mar 2024 10:00:30 GMT"}}, wall);
  EXPECT_EQ(f.retry_after, Millis(30'000));
  // The wall clock's fraction of a second counts too.
  const auto g = parse_rate_feedback({{"retry-after", "Fri, 01 Mar 2024 10:00:30 GMT"}}, wall + 250ms);
  EXPECT_EQ(g.retry_after, Millis(29'750));
}

TEST(RateHeaders, RetryAfterDateInThePastMeansNow) {
  const auto f = parse_rate_feedback({{"retry-after", "Thu, 29 Feb 2024 23:59:59 GMT"}}, wall);
  EXPECT_EQ(f.retry_after, Millis(0));
  EXPECT_EQ(f.resume_at(steady, wall), steady);
}

TEST(RateHeaders, GarbageRetryAfterIsIgnored) {
  for (const char* value : {"", "soon", "-5", "12abc", "1.5", "0x10", "Fri, 31 Feb 2024 10:00:00 GMT",
                            "Fri, 01 Mar 2024 24:00:00 GMT", "Fri, 01 Mar 2024 10:60:00 GMT",
                            "Fri, 01 Mar 2024 10:00:30 UTC", "Fri, 1 Mar 2024 10:00:30 GMT",
                            "Xyz, 01 Mar 2024 10:00:30 GMT", "Fri, 01 Foo 2024 10:00:30 GMT",
                            "Fri, 01 Mar 2024 10:00:30 GMT trailing", "Friday, 01-Mar-24 10:00:30 GMT",
                            "Fri Mar  1 10:00:30 2024"}) {
    const auto f = parse_rate_feedback({{"retry-after", value}}, wall);
    EXPECT_FALSE(f.retry_after) << '"' << value << '"';
  }
}

TEST(RateHeaders, HugeRetryAfterIsCutToTheLongestWait) {
  const auto f = parse_rate_feedback({{"retry-after", "99999999999999999999999"}}, wall);
  EXPECT_EQ(f.retry_after, max_named_wait);
  const auto g = parse_rate_feedback({{"retry-after", "172800"}}, wall);
  EXPECT_EQ(g.retry_after, max_named_wait);
}

TEST(RateHeaders, GarbageCountsAreIgnoredNotFatal) {
  const auto f = parse_rate_feedback({{"x-rate-limit-limit", "many"},
                                      {"x-rate-limit-remaining", "-1"},
                                      {"x-rate-limit-reset", "99999999999999999999999"},
                                      {"x-account-rate-limit-remaining", "1.0"},
                                      {"x-account-rate-limit-reset", ""}},
                                     wall);
  EXPECT_FALSE(f.user.limit);
  EXPECT_FALSE(f.user.remaining);
  EXPECT_FALSE(f.user.reset_epoch);
  EXPECT_FALSE(f.account.remaining);
  EXPECT_FALSE(f.account.reset_epoch);
  EXPECT_FALSE(f.exhausted());
}

TEST(RateHeaders, LastParsableValueOfARepeatedHeaderCounts) {
  const auto f = parse_rate_feedback(
      {{"x-rate-limit-remaining", "5"}, {"x-rate-limit-remaining", "0"}, {"x-rate-limit-remaining", "junk"}}, wall);
  EXPECT_EQ(f.user.remaining, 0);
}

TEST(RateHeaders, ExhaustedWithoutResetNamesNoTime) {
  // The official SDKs crash here; we only learn that the budget is out.
  const auto f = parse_rate_feedback({{"x-rate-limit-remaining", "0"}}, wall);
  EXPECT_TRUE(f.exhausted());
  EXPECT_FALSE(f.resume_at(steady, wall));
}

TEST(RateHeaders, ResetOfTheExhaustedFamilyIsConvertedToSteadyTime) {
  const auto f =
      parse_rate_feedback({{"x-rate-limit-remaining", "0"}, {"x-rate-limit-reset", epoch_in(90)}}, wall);
  EXPECT_EQ(f.resume_at(steady, wall), steady + 90s);
  // Half a second into the wall second: the reset is half a second nearer.
  EXPECT_EQ(f.resume_at(steady, wall + 500ms), steady + 89'500ms);
}

// A server whose clock runs 2.5 s behind ours (server_clock.hpp): every
// time it names on its clock comes 2.5 s later on ours; a delay does not.
TEST(RateHeaders, TimesOnTheServersClockAreReadWithItsLag) {
  constexpr std::chrono::microseconds lag = 2500ms;
  const auto reset = parse_rate_feedback(
      {{"x-rate-limit-limit", "500"}, {"x-rate-limit-remaining", "0"}, {"x-rate-limit-reset", epoch_in(-1)}}, wall);
  EXPECT_EQ(reset.resume_at(steady, wall), steady) << "passed, read on our clock";
  EXPECT_EQ(reset.resume_at(steady, wall, lag), steady + 1500ms);
  const auto standing = reset.standing(steady, wall, lag);
  ASSERT_TRUE(standing);
  EXPECT_EQ(standing->reset, steady + 1500ms);
  EXPECT_EQ(standing->reset_epoch, wall_epoch_seconds() - 1) << "the reset as named: its identity";
  EXPECT_EQ(standing->server_lag, lag);
  const auto date = parse_rate_feedback({{"retry-after", "Fri, 01 Mar 2024 10:00:30 GMT"}}, wall);
  EXPECT_EQ(date.resume_at(steady, wall, lag), steady + 32'500ms);
  const auto delay = parse_rate_feedback({{"retry-after", "30"}}, wall);
  EXPECT_EQ(delay.resume_at(steady, wall, lag), steady + 30s);
  EXPECT_EQ(answer_date_ms({{"Date", "Fri, 01 Mar 2024 09:59:58 GMT"}}), (wall_epoch_seconds() - 2) * 1000);
  EXPECT_EQ(answer_date_ms({{"date", "yesterday"}}), std::nullopt);
}

TEST(RateHeaders, ResetOfAFamilyWithRequestsLeftIsNotAWait) {
  const auto f =
      parse_rate_feedback({{"x-rate-limit-remaining", "3"}, {"x-rate-limit-reset", epoch_in(600)}}, wall);
  EXPECT_FALSE(f.exhausted());
  EXPECT_FALSE(f.resume_at(steady, wall));
}

// Both families, each with its remaining count and a reset `seconds` from now.
RateFeedback both_families(const char* user_remaining, std::int64_t user_reset_in, const char* account_remaining,
                           std::int64_t account_reset_in) {
  return parse_rate_feedback({{"x-rate-limit-remaining", user_remaining},
                              {"x-rate-limit-reset", epoch_in(user_reset_in)},
                              {"x-account-rate-limit-remaining", account_remaining},
                              {"x-account-rate-limit-reset", epoch_in(account_reset_in)}},
                             wall);
}

TEST(RateHeaders, AccountFamilyCountsWhenItIsTheExhaustedOne) {
  EXPECT_EQ(both_families("40", 10, "0", 300).resume_at(steady, wall), steady + 300s);
}

TEST(RateHeaders, UserFamilyCountsWhenItIsTheExhaustedOne) {
  EXPECT_EQ(both_families("0", 10, "7", 300).resume_at(steady, wall), steady + 10s);
}

TEST(RateHeaders, BothExhaustedTakeTheLaterReset) {
  EXPECT_EQ(both_families("0", 500, "0", 300).resume_at(steady, wall), steady + 500s);
  EXPECT_EQ(both_families("0", 100, "0", 300).resume_at(steady, wall), steady + 300s);
}

TEST(RateHeaders, RetryAfterComesBeforeTheReset) {
  const auto f = parse_rate_feedback(
      {{"x-rate-limit-remaining", "0"}, {"x-rate-limit-reset", epoch_in(900)}, {"retry-after", "5"}}, wall);
  EXPECT_EQ(f.resume_at(steady, wall), steady + 5s);
}

TEST(RateHeaders, ResetInThePastIsNowNotEarlier) {
  const auto f = parse_rate_feedback({{"x-rate-limit-remaining", "0"}, {"x-rate-limit-reset", "0"}}, wall);
  EXPECT_EQ(f.resume_at(steady, wall), steady);
}

TEST(RateHeaders, FarResetIsCutToTheLongestWait) {
  const auto f =
      parse_rate_feedback({{"x-rate-limit-remaining", "0"}, {"x-rate-limit-reset", "9223372036854775807"}}, wall);
  EXPECT_EQ(f.resume_at(steady, wall), steady + max_named_wait);
}

// Whatever bytes a server sends, parsing never fails and the named time stays
// within [now, now + max_named_wait].
TEST(RateHeaders, PropertyRandomValuesNeverNameAnOutOfRangeTime) {
  static constexpr std::string_view pieces[] = {"0", "9", "99999999999999999999", "-", " ", ",", ":", "GMT",
                                                "Fri", "Mar", "2024", "01", "\xff", "\t", "1709287200", "x"};
  static constexpr std::string_view names[] = {"retry-after", "x-rate-limit-remaining", "x-rate-limit-reset",
                                               "x-account-rate-limit-remaining", "x-account-rate-limit-reset",
                                               "x-rate-limit-limit"};
  for (std::uint64_t seed = 1; seed <= 3000; ++seed) {
    Random random(seed);
    AnswerFields headers;
    const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
    for (std::size_t h = pick(6) + 1; h > 0; --h) {
      std::string value;
      for (std::size_t p = pick(8); p > 0; --p) value += pieces[pick(std::size(pieces))];
      headers.add(names[pick(std::size(names))], value);
    }
    const auto f = parse_rate_feedback(headers, wall);
    if (f.retry_after) {
      ASSERT_GE(*f.retry_after, Millis(0));
      ASSERT_LE(*f.retry_after, max_named_wait);
    }
    if (const auto at = f.resume_at(steady, wall)) {
      ASSERT_GE(*at, steady);
      ASSERT_LE(*at, steady + max_named_wait);
    }
  }
}

}  // namespace
}  // namespace ab
