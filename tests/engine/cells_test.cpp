#include "engine/input/cells.hpp"

#include <gtest/gtest.h>

#include <array>
#include <limits>
#include <vector>

namespace ab {
namespace {

Decimal decimal(std::string_view text) {
  std::string error;
  auto d = parse_decimal(text, &error);
  EXPECT_TRUE(d.has_value()) << text << ": " << error;
  return d.value_or(Decimal{});
}

Decimal sum_of(std::initializer_list<std::string_view> texts) {
  std::vector<Decimal> values;
  for (std::string_view t : texts) values.push_back(decimal(t));
  return decimal_sum(values);
}

template <class Parse>
std::string error_of(Parse parse, std::string_view cell) {
  std::string error;
  EXPECT_FALSE(parse(cell, &error)) << "accepted '" << cell << "'";
  return error;
}

// --- decimals: a gender split must sum to exactly one

TEST(Decimal, SplitsThatSumToOneDoSoExactly) {
  EXPECT_TRUE(is_exactly_one(sum_of({"0.5", "0.4", "0.07", "0.03"})));
  EXPECT_TRUE(is_exactly_one(sum_of({"0.7", "0.1", "0.1", "0.1"})));  // 0.9999999999999999 in binary
  EXPECT_TRUE(is_exactly_one(sum_of({"0.35", "0.35", "0.21", "0.09"})));
  EXPECT_TRUE(is_exactly_one(sum_of({"1", "0", "0.0", "0.000"})));
  EXPECT_TRUE(is_exactly_one(sum_of({"0.333333333333333333", "0.333333333333333333", "0.333333333333333334"})));
}

TEST(Decimal, SplitsThatDoNotSumToOneSayWhatTheySumTo) {
  const Decimal sum = sum_of({"0.5", "0.5", "0.1", "0"});
  EXPECT_FALSE(is_exactly_one(sum));
  EXPECT_EQ(sum.to_string(), "1.1");
  EXPECT_FALSE(is_exactly_one(sum_of({"0.25", "0.25", "0.25", "0.2499999"})));
  EXPECT_EQ(sum_of({"0.25", "0.25", "0.25", "0.2499999"}).to_string(), "0.9999999");
  EXPECT_FALSE(is_exactly_one(sum_of({"0.333333333333333333", "0.333333333333333333", "0.333333333333333333"})));
}

// sums_to_one is the row's shortcut for is_exactly_one(decimal_sum(...)): the same verdict everywhere.
TEST(Decimal, SumsToOneAgreesWithTheBuiltSum) {
  const std::vector<std::vector<std::string_view>> cases = {
      {"0.5", "0.4", "0.07", "0.03"}, {"0.7", "0.1", "0.1", "0.1"}, {"1", "0", "0.0", "0.000"},
      {"0.333333333333333333", "0.333333333333333333", "0.333333333333333334"},
      {"0.333333333333333333", "0.333333333333333333", "0.333333333333333333"},
      {"0.5", "0.5", "0.1", "0"}, {"0.25", "0.25", "0.25", "0.2499999"}, {"1.00000000000000000"}, {"-1", "2"},
      {"999999999999999999", "-999999999999999998"}, {"0.999999999999999999", "0.000000000000000001"}, {}, {"0"},
      {"1.5", "-0.5"}, {"0.10", "0.90"}};
  for (const auto& texts : cases) {
    std::vector<Decimal> values;
    for (std::string_view t : texts) values.push_back(decimal(t));
    EXPECT_EQ(sums_to_one(values), is_exactly_one(decimal_sum(values))) << (texts.empty() ? "" : texts[0]);
  }
  EXPECT_TRUE(sums_to_one(std::vector<Decimal>{{7, 1}, {1, 1}, {1, 1}, {1, 1}}));
  // Beyond 18 places (made, never parsed): the long way, which truncates.
  EXPECT_EQ(sums_to_one(std::vector<Decimal>{{1, 0}, {1, 19}}), is_exactly_one(decimal_sum(std::vector<Decimal>{{1, 0}, {1, 19}})));
  constexpr auto big = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(sums_to_one(std::vector<Decimal>{{big, 0}, {-big + 1, 0}}), true);
  EXPECT_EQ(sums_to_one(std::vector<Decimal>{{big, 18}, {big, 0}}), false);
}

TEST(Decimal, ParsesDigitsAndScaleExactly) {
  EXPECT_EQ(decimal("0.07").units, 7);
  EXPECT_EQ(decimal("0.07").scale, 2u);
  EXPECT_EQ(decimal("1").units, 1);
  EXPECT_EQ(decimal("1").scale, 0u);
  EXPECT_EQ(decimal("-2.50").units, -250);
  EXPECT_EQ(decimal("-2.50").scale, 2u);
  EXPECT_EQ(decimal(".5").units, 5);
  EXPECT_EQ(decimal("-.5").units, -5);
  EXPECT_EQ(decimal("007.10").units, 710);
  EXPECT_EQ(decimal("123456789012345678").units, 123456789012345678);
  EXPECT_EQ(decimal("0.000000000000000001").scale, 18u);
  EXPECT_EQ(decimal("0000000000000000000000.5").units, 5);  // leading zeros are not significant
}

TEST(Decimal, RejectsWhatIsNotAPlainDecimal) {
  for (std::string_view bad : {"", "-", ".", "-.", "1.", "1e3", "+1", " 1", "1 ", "1,5", "0x10", "1.2.3", "--1", "½"})
    EXPECT_EQ(error_of(parse_decimal, bad), "not a decimal: '" + std::string(bad) + "'");
  EXPECT_EQ(error_of(parse_decimal, "abc"), "not a decimal: 'abc'");
  EXPECT_EQ(error_of(parse_decimal, "1234567890.123456789"),
            "more than 18 significant digits: '1234567890.123456789'");
  EXPECT_EQ(error_of(parse_decimal, "0.0000000000000000001"),
            "more than 18 decimal places: '0.0000000000000000001'");
}

TEST(Decimal, PrintsAsTypedWithoutRedundantZeros) {
  EXPECT_EQ((Decimal{7, 2}).to_string(), "0.07");
  EXPECT_EQ((Decimal{1, 0}).to_string(), "1");
  EXPECT_EQ((Decimal{50, 2}).to_string(), "0.5");
  EXPECT_EQ((Decimal{100, 2}).to_string(), "1");
  EXPECT_EQ((Decimal{-250, 2}).to_string(), "-2.5");
  EXPECT_EQ((Decimal{0, 3}).to_string(), "0");
  EXPECT_EQ((Decimal{123, 5}).to_string(), "0.00123");
  EXPECT_EQ((Decimal{-5, 1}).to_string(), "-0.5");
  EXPECT_EQ((Decimal{std::numeric_limits<std::int64_t>::min(), 0}).to_string(), "-9223372036854775808");
  EXPECT_DOUBLE_EQ(decimal("0.07").to_double(), 0.07);
  EXPECT_DOUBLE_EQ(decimal("-2.50").to_double(), -2.5);
}

TEST(Decimal, SumsAlignScalesAndKeepSigns) {
  EXPECT_EQ(decimal_sum({}).to_string(), "0");
  EXPECT_EQ(sum_of({"1.5", "-0.25"}).to_string(), "1.25");
  EXPECT_EQ(sum_of({"-1", "-0.5"}).to_string(), "-1.5");
  EXPECT_EQ(sum_of({"0.1", "-0.1"}).to_string(), "0");
  EXPECT_EQ(sum_of({"123456789012345678", "0.000000000000000001"}).to_string(), "123456789012345678");
  const Decimal big = sum_of({"999999999999999999", "999999999999999999", "999999999999999999", "999999999999999999",
                              "999999999999999999", "999999999999999999", "999999999999999999", "999999999999999999",
                              "999999999999999999", "999999999999999999"});
  EXPECT_EQ(big.units, std::numeric_limits<std::int64_t>::max());  // saturates, never wraps
  EXPECT_EQ(big.scale, 0u);
}

// --- integers

TEST(Integer, ParsesWholeInt64Range) {
  EXPECT_EQ(parse_integer("42"), 42);
  EXPECT_EQ(parse_integer("-7"), -7);
  EXPECT_EQ(parse_integer("0"), 0);
  EXPECT_EQ(parse_integer("9223372036854775807"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(parse_integer("-9223372036854775808"), std::numeric_limits<std::int64_t>::min());
}

TEST(Integer, DetectsOverflowAndJunk) {
  EXPECT_EQ(error_of(parse_integer, "9223372036854775808"), "integer out of range: '9223372036854775808'");
  EXPECT_EQ(error_of(parse_integer, "-9223372036854775809"), "integer out of range: '-9223372036854775809'");
  EXPECT_EQ(error_of(parse_integer, "99999999999999999999999"), "integer out of range: '99999999999999999999999'");
  for (std::string_view bad : {"", "-", "+1", " 1", "1 ", "1.0", "12a", "0x1f", "١"})
    EXPECT_EQ(error_of(parse_integer, bad), "not an integer: '" + std::string(bad) + "'");
}

TEST(Integer, ErrorsShowALongCellShortened) {
  const std::string long_cell(500, '9');
  const std::string error = error_of(parse_integer, long_cell + "x");
  EXPECT_LT(error.size(), 120u);
  EXPECT_NE(error.find("(501 bytes)"), std::string::npos) << error;
}

// --- booleans

TEST(Boolean, AcceptsTheThreeSpellingsInAnyCase) {
  for (std::string_view yes : {"true", "TRUE", "True", "1", "yes", "YES", "yEs"}) EXPECT_EQ(parse_boolean(yes), true) << yes;
  for (std::string_view no : {"false", "FALSE", "0", "no", "No", "nO"}) EXPECT_EQ(parse_boolean(no), false) << no;
  for (std::string_view bad : {"", "y", "n", "2", "on", " true", "true ", "truex"})
    EXPECT_EQ(error_of(parse_boolean, bad), "not a boolean: '" + std::string(bad) + "' (true/false, 1/0 or yes/no)");
}

// --- lists

using Items = std::vector<std::string>;

TEST(List, PipeSeparatedItemsAreTrimmed) {
  EXPECT_EQ(parse_list("a|b|c"), (Items{"a", "b", "c"}));
  EXPECT_EQ(parse_list(" sports | travel\t|  food "), (Items{"sports", "travel", "food"}));
  EXPECT_EQ(parse_list("single item"), (Items{"single item"}));
  EXPECT_EQ(parse_list(""), Items{});
  EXPECT_EQ(parse_list("   "), Items{});
}

TEST(List, EmptyPipeItemsAreErrors) {
  EXPECT_EQ(error_of(parse_list, "a||b"), "item 2 of the list is empty: 'a||b'");
  EXPECT_EQ(error_of(parse_list, "a| "), "item 2 of the list is empty: 'a| '");
  EXPECT_EQ(error_of(parse_list, "|a"), "item 1 of the list is empty: '|a'");
}

TEST(List, JsonArraysOfStringsAreKeptExactly) {
  EXPECT_EQ(parse_list(R"(["a","b"])"), (Items{"a", "b"}));
  EXPECT_EQ(parse_list(R"( [" spaced ", "x|y", "\u00e9"] )"), (Items{" spaced ", "x|y", "\xC3\xA9"}));
  EXPECT_EQ(parse_list("[]"), Items{});
}

TEST(List, JsonThatIsNotAnArrayOfStringsIsAnError) {
  EXPECT_EQ(error_of(parse_list, "[1,2]"), "item 1 of the JSON list is not a string: '[1,2]'");
  EXPECT_EQ(error_of(parse_list, R"(["a",""])"), R"(item 2 of the JSON list is empty: '["a",""]')");
  EXPECT_EQ(error_of(parse_list, R"(["a")"),
            R"(not a JSON array of strings (a list that starts with '[' is read as JSON): '["a"')");
  EXPECT_NE(error_of(parse_list, "[VIP]").find("not a JSON array of strings"), std::string::npos);
}

// The views nf.create writes from: the same items as parse_list; a pipe
// list's point into the cell, a JSON list's are unescaped; a reused
// ListItems holds only the last cell's.
TEST(List, ItemViewsAreTheItems) {
  ListItems list;
  const std::string pipe = " sports | travel\t|  food ";
  ASSERT_TRUE(parse_list_items(pipe, list));
  auto items = [&list] { return std::vector<std::string_view>(list.items.begin(), list.items.end()); };
  EXPECT_EQ(items(), (std::vector<std::string_view>{"sports", "travel", "food"}));
  EXPECT_EQ(list.items[1].data(), pipe.data() + 10);
  ASSERT_TRUE(parse_list_items(R"([" spaced ", "x|y", "\u00e9", "a", "b", "c", "d", "e", "f", "g"])", list));
  EXPECT_EQ(items(), (std::vector<std::string_view>{" spaced ", "x|y", "\xC3\xA9", "a", "b", "c", "d", "e", "f", "g"}));
  // More items than the inline room: they move to the heap, all of them.
  std::string many;
  std::vector<std::string_view> expected;
  const std::array<std::string_view, 3> words{"north", "south", "east"};
  for (int i = 0; i < 40; ++i) many += std::string(i ? "|" : "") + std::string(words[i % 3]);
  for (int i = 0; i < 40; ++i) expected.push_back(words[i % 3]);
  ASSERT_TRUE(parse_list_items(many, list));
  EXPECT_EQ(items(), expected);
  std::string error;
  EXPECT_FALSE(parse_list_items("a||b", list, &error));
  EXPECT_EQ(error, "item 2 of the list is empty: 'a||b'");
  ASSERT_TRUE(parse_list_items("", list));
  EXPECT_TRUE(list.items.empty());
}

// check_columns asks only whether a cell is a list: the same answer, and
// the same reason, as parsing it.
TEST(List, IsListAgreesWithParseList) {
  for (std::string_view cell : {"a|b|c", "", "   ", "a||b", "|a", R"(["a","b"])", "[1,2]", R"(["a",""])", R"(["a")",
                                "[VIP]", "[]", " x | y "}) {
    std::string parsed_error;
    std::string checked_error;
    const bool parsed = parse_list(cell, &parsed_error).has_value();
    EXPECT_EQ(is_list(cell, &checked_error), parsed) << cell;
    EXPECT_EQ(checked_error, parsed_error) << cell;
  }
}

// --- URLs

TEST(Url, AcceptsAbsoluteHttpAndHttpsWithAHost) {
  for (std::string_view good : {"http://example.com", "https://example.com/path?q=1#top", "HTTPS://Example.COM",
                                "http://127.0.0.1:8080/x", "https://[::1]/", "https://user@host.example/"})
    EXPECT_TRUE(is_http_url(good)) << good;
}

TEST(Url, RejectsEverythingElseWithAReason) {
  EXPECT_EQ(error_of(is_http_url, "example.com"), "not an absolute URL: 'example.com'");
  EXPECT_EQ(error_of(is_http_url, "/relative/path"), "not an absolute URL: '/relative/path'");
  EXPECT_EQ(error_of(is_http_url, " http://example.com"), "not an absolute URL: ' http://example.com'");
  EXPECT_EQ(error_of(is_http_url, "ftp://example.com"), "not an http:// or https:// URL: 'ftp://example.com'");
  EXPECT_EQ(error_of(is_http_url, "mailto:a@example.com"), "not an http:// or https:// URL: 'mailto:a@example.com'");
  EXPECT_EQ(error_of(is_http_url, "http:///path"), "URL without a host: 'http:///path'");
  EXPECT_EQ(error_of(is_http_url, "https:example.com"), "URL without a host: 'https:example.com'");
  EXPECT_EQ(error_of(is_http_url, ""), "not an absolute URL: ''");
}

TEST(UrlList, SplitsOnBlanks) {
  EXPECT_EQ(parse_url_list("https://a.example"), (Items{"https://a.example"}));
  EXPECT_EQ(parse_url_list("  http://a.example \t https://b.example/x  "), (Items{"http://a.example", "https://b.example/x"}));
}

TEST(UrlList, NamesTheBadUrlOrTheAbsenceOfAny) {
  EXPECT_EQ(error_of(parse_url_list, "http://a.example nope"), "not an absolute URL: 'nope'");
  EXPECT_EQ(error_of(parse_url_list, ""), "no URL in ''");
  EXPECT_EQ(error_of(parse_url_list, "   "), "no URL in '   '");
}

}  // namespace
}  // namespace ab
