// JsonText writes what a JSON parser reads back as the same values: every
// string (escapes, control characters, UTF-8), integers to their limits,
// doubles exactly, and commas only between members.
#include "engine/text/json_text.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace ab {
namespace {

namespace json = boost::json;

TEST(JsonText, NestsWithCommasOnlyBetweenMembers) {
  std::string out;
  JsonText j(out);
  j.begin_object().key("a").number(std::int64_t{1}).key("b").begin_array().end_array();
  j.key("c").begin_array().string("x").begin_object().end_object().boolean(false).end_array();
  j.key("d").begin_object().key("e").boolean(true).end_object().end_object();
  EXPECT_EQ(out, R"({"a":1,"b":[],"c":["x",{},false],"d":{"e":true}})");
}

// A quoted key writes what key() writes, first in an object or after a member.
TEST(JsonText, QuotedKeysWriteWhatKeysWrite) {
  static constexpr QuotedKey first("first"), second("nonBinary"), empty("");
  std::string quoted, plain;
  JsonText(quoted).begin_object().key(first).number(std::int64_t{1}).key(second).begin_object().key(empty).boolean(
      true).end_object().end_object();
  JsonText(plain).begin_object().key("first").number(std::int64_t{1}).key("nonBinary").begin_object().key("").boolean(
      true).end_object().end_object();
  EXPECT_EQ(quoted, plain);
  EXPECT_EQ(quoted, R"({"first":1,"nonBinary":{"":true}})");
  // (A constexpr one of these does not compile.)
  EXPECT_THROW(QuotedKey("a\"b"), std::invalid_argument);
  EXPECT_THROW(QuotedKey("new\nline"), std::invalid_argument);
  EXPECT_THROW(QuotedKey(std::string(60, 'k')), std::length_error);
}

TEST(JsonText, EscapesWhatJsonRequiresAndKeepsTheRest) {
  std::string out;
  JsonText(out).string("q\" b\\ n\n r\r t\t b\b f\f nul" + std::string(1, '\0') + " x1f\x1f del\x7f é 😀");
  EXPECT_EQ(out, "\"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f nul\\u0000 x1f\\u001f del\x7f é 😀\"");
}

// Every byte string of valid UTF-8 (here: random ASCII with controls, and
// multi-byte characters) reads back as itself.
TEST(JsonText, RandomStringsReadBackAsThemselves) {
  std::mt19937 random(7);
  const std::string pieces[] = {"\"", "\\", "\n", "\x01", "\x1f", " ", "a", "é", "€", "😀", "/", "\x7f"};
  for (int round = 0; round < 2000; ++round) {
    std::string value;
    const int length = static_cast<int>(random() % 64);
    for (int i = 0; i < length; ++i) value += pieces[random() % std::size(pieces)];
    std::string out;
    JsonText(out).string(value);
    EXPECT_EQ(json::parse(out).as_string(), value) << out;
  }
}

// A decimal goes out as written (less redundant zeros), and reads back as
// the double nearest to it, the same as to_double() gives for short ones.
TEST(JsonText, DecimalsAreWrittenAsDecimalDigits) {
  struct Case {
    std::int64_t units;
    unsigned scale;
    const char* text;
  };
  for (const Case& c : {Case{7, 2, "0.07"}, Case{0, 0, "0.0"}, Case{1, 0, "1.0"}, Case{250, 3, "0.25"},
                        Case{35, 2, "0.35"}, Case{-5, 1, "-0.5"}, Case{123456789, 4, "12345.6789"},
                        Case{1, 25, "0.0000000000000000000000001"}, Case{100, 0, "100.0"}}) {
    std::string out;
    JsonText(out).decimal(c.units, c.scale);
    EXPECT_EQ(out, c.text);
    EXPECT_TRUE(json::parse(out).is_double()) << out;
  }
}

// A member in one append writes what its key and value written apart write,
// first in an object or after a member, whether it fits the one append or not
// (long or escaped strings, long arrays, decimals of many places).
TEST(JsonText, MembersWriteWhatKeyAndValueWrite) {
  // The longest key a QuotedKey holds: 44 bytes.
  static constexpr QuotedKey k("key"), longest("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk");
  const std::string long_text(400, 'x');
  const std::vector<std::string_view> strings = {"plain", "", "esc\"aped", "é", long_text};
  const std::vector<std::string_view> few = {"AI", "a|b"};
  const std::vector<std::string_view> many(60, "twelve bytes");
  for (const bool after_value : {false, true}) {
    for (const QuotedKey* name : {&k, &longest}) {
      const auto both = [&](auto member, auto apart) {
        std::string one, two;
        JsonText a(one), b(two);
        a.begin_object();
        b.begin_object();
        if (after_value) {
          a.key("x").null();
          b.key("x").null();
        }
        member(a);
        apart(b.key(*name));
        a.key("after").boolean(true).end_object();
        b.key("after").boolean(true).end_object();
        EXPECT_EQ(one, two);
        EXPECT_NO_THROW((void)json::parse(one)) << one;
      };
      for (const std::string_view s : strings)
        both([&](JsonText& j) { j.member_string(*name, s); }, [&](JsonText& j) { j.string(s); });
      for (const std::int64_t n : {std::int64_t{0}, std::int64_t{-7}, std::numeric_limits<std::int64_t>::min()})
        both([&](JsonText& j) { j.member_number(*name, n); }, [&](JsonText& j) { j.number(n); });
      for (const bool v : {false, true})
        both([&](JsonText& j) { j.member_boolean(*name, v); }, [&](JsonText& j) { j.boolean(v); });
      for (const auto& [units, scale] : {std::pair<std::int64_t, unsigned>{35, 2}, {0, 0}, {-250, 3}, {1, 70}, {1, 300}})
        both([&](JsonText& j) { j.member_decimal(*name, units, scale); }, [&](JsonText& j) { j.decimal(units, scale); });
      for (const auto* list : {&few, &many, &strings}) {
        both([&](JsonText& j) { j.member_strings(*name, *list); },
             [&](JsonText& j) {
               j.begin_array();
               for (const std::string_view s : *list) j.string(s);
               j.end_array();
             });
      }
      both([&](JsonText& j) { j.member_strings(*name, {}); }, [&](JsonText& j) { j.begin_array().end_array(); });
      // Objects of decimals: short ones in one append, one of many places piece by piece.
      static constexpr std::array<QuotedKey, 4> keys = {QuotedKey("female"), QuotedKey("male"), QuotedKey("nonBinary"),
                                                        QuotedKey("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk")};
      const std::array<std::int64_t, 4> units = {35, 0, -250, 1};
      for (const std::array<unsigned, 4> scales : {std::array<unsigned, 4>{2, 0, 3, 1}, std::array<unsigned, 4>{2, 0, 3, 64},
                                                   std::array<unsigned, 4>{60, 60, 60, 60}}) {
        for (const std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{4}}) {
          both([&](JsonText& j) {
                 j.member_decimals(*name, std::span(keys).first(count), std::span(units).first(count),
                                   std::span(scales).first(count));
               },
               [&](JsonText& j) {
                 j.begin_object();
                 for (std::size_t i = 0; i < count; ++i) j.key(keys[i]).decimal(units[i], scales[i]);
                 j.end_object();
               });
        }
      }
    }
  }
}

TEST(JsonText, IntegersToTheirLimits) {
  for (std::int64_t n : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{150}, std::numeric_limits<std::int64_t>::min(),
                         std::numeric_limits<std::int64_t>::max()}) {
    std::string out;
    JsonText(out).number(n);
    EXPECT_EQ(json::parse(out).as_int64(), n) << out;
  }
}

// Doubles read back bit for bit, and stay doubles: a whole number keeps a fraction.
TEST(JsonText, DoublesReadBackExactlyAndStayDoubles) {
  for (double d : {0.0, 1.0, 0.7, 0.1, 0.35, 1.0 / 3, 1e-7, 123456789.0, 1e300, -2.5, 5e-324}) {
    std::string out;
    JsonText(out).number(d);
    const auto back = json::parse(out);
    ASSERT_TRUE(back.is_double()) << out;
    EXPECT_EQ(back.as_double(), d) << out;
  }
  std::string out;
  JsonText(out).number(0.0);
  EXPECT_EQ(out, "0.0");
  EXPECT_THROW(JsonText(out).number(std::nan("")), std::invalid_argument);
  EXPECT_THROW(JsonText(out).number(std::numeric_limits<double>::infinity()), std::invalid_argument);
}

}  // namespace
}  // namespace ab
