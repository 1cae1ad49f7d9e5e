// Durations as users type them: a bare number is seconds, with or without
// decimals, like a number with a unit (issue 21.10).
#include "engine/run/duration.hpp"

#include <gtest/gtest.h>

namespace ab {
namespace {

using std::chrono::milliseconds;

TEST(Duration, DecimalsAreTakenLikeWholeNumbers) {
  EXPECT_EQ(parse_duration("1"), milliseconds(1000));
  EXPECT_EQ(parse_duration("0.1"), milliseconds(100));
  EXPECT_EQ(parse_duration("1.5s"), milliseconds(1500));
  EXPECT_EQ(parse_duration("0.5m"), milliseconds(30'000));
  EXPECT_EQ(parse_duration("1.25h"), milliseconds(4'500'000));
  EXPECT_EQ(parse_duration("2.5ms"), std::nullopt) << "finer than a millisecond";
  EXPECT_EQ(parse_duration("1m0.5s"), milliseconds(60'500));
  EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
}

TEST(Duration, WhatIsNotADurationSaysWhy) {
  std::string error;
  EXPECT_EQ(parse_duration("0.0005", &error), std::nullopt);
  EXPECT_NE(error.find("finer than a millisecond"), std::string::npos) << error;
  EXPECT_EQ(parse_duration("1.", &error), std::nullopt);
  EXPECT_NE(error.find("digits after the decimal point"), std::string::npos) << error;
  EXPECT_EQ(parse_duration(".5", &error), std::nullopt);
  EXPECT_EQ(parse_duration("1.5x", &error), std::nullopt);
  EXPECT_NE(error.find("unknown unit"), std::string::npos) << error;
  EXPECT_EQ(parse_duration("0.1234567891", &error), std::nullopt);
}

}  // namespace
}  // namespace ab
