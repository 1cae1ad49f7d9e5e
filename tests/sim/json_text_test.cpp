// JSON text with decimals written as decimals.
#include "sim/json_text.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace ab::sim {
namespace {

namespace json = boost::json;

TEST(JsonText, WritesDecimalsAsDecimals) {
  EXPECT_EQ(to_json_text(json::object{{"female", 0.5}, {"nonBinary", 0.07}, {"tiny", 1e-12}}),
            R"({"female":0.5,"nonBinary":0.07,"tiny":1e-12})");
  EXPECT_EQ(to_json_text(json::value(1.0)), "1.0");
  EXPECT_EQ(to_json_text(json::value(-25.0)), "-25.0");
  EXPECT_EQ(to_json_text(json::value(0.1 + 0.2)), "0.30000000000000004");
}

TEST(JsonText, KeepsIntegersBooleansNullsAndOrder) {
  EXPECT_EQ(to_json_text(json::parse(R"({"b":[1,-2,18446744073709551615],"a":true,"c":null,"d":{}})")),
            R"({"b":[1,-2,18446744073709551615],"a":true,"c":null,"d":{}})");
}

TEST(JsonText, EscapesStrings) {
  EXPECT_EQ(to_json_text(json::value("a\"b\\c\nd\x01 é")), "\"a\\\"b\\\\c\\nd\\u0001 é\"");
}

TEST(JsonText, RoundTripsThroughAParser) {
  const auto original = json::parse(R"({"x":[0.35,0.35,0.21,0.09],"s":"tab\there","n":-0.0})");
  EXPECT_EQ(json::parse(to_json_text(original)), original);
}

}  // namespace
}  // namespace ab::sim
