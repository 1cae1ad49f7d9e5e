// The segment tree of a flexible audience is checked before anything is sent.
#include "jobs/twitter/segments.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

namespace ab::tw {
namespace {

// The seed's example (B6), as a user pastes it into the segments cell.
constexpr const char* kSeedSegments = R"({
  "boolean_operator":"AND",
  "child_segments":[
    {"tailored_audience_id":"TYIF","frequency":1,"frequency_comparator":"NUM_GT","lookback_window":30,"negate":true,"child_segments":[]},
    {"boolean_operator":"OR","child_segments":[
      {"tailored_audience_id":"TXR1","lookback_window":30,"child_segments":[]},
      {"tailored_audience_id":"TYFO","frequency":1,"frequency_comparator":"NUM_GT","lookback_window":30,"negate":true,"child_segments":[]}
    ]}
  ]})";

std::optional<std::string> check(const std::string& json) { return check_segments(boost::json::parse(json)); }

std::string leaves(int n) {
  std::string out = R"({"boolean_operator":"OR","child_segments":[)";
  for (int i = 0; i < n; ++i)
    out += (i ? "," : "") + std::string(R"({"lookback_window":7,"tailored_audience_id":"t)") + std::to_string(i) + "\"}";
  return out + "]}";
}

TEST(TwitterSegments, TheSeedsTreeIsValid) { EXPECT_EQ(check(kSeedSegments), std::nullopt); }

TEST(TwitterSegments, BooleanOperatorIsRequiredWhereThereAreChildren) {
  EXPECT_EQ(check(R"({"child_segments":[{"tailored_audience_id":"a","lookback_window":1}]})"),
            "boolean_operator: required where child_segments is not empty (AND or OR)");
  EXPECT_EQ(check(R"({"boolean_operator":"XOR","child_segments":[{"tailored_audience_id":"a","lookback_window":1}]})"),
            "boolean_operator: must be AND or OR");
  EXPECT_EQ(check(R"({"boolean_operator":"AND","child_segments":[{"child_segments":[{"tailored_audience_id":"a","lookback_window":1}]}]})"),
            "child_segments[0].boolean_operator: required where child_segments is not empty (AND or OR)");
}

TEST(TwitterSegments, LeafFieldsAreChecked) {
  auto one = [](const std::string& leaf) { return check(R"({"boolean_operator":"AND","child_segments":[)" + leaf + "]}"); };
  EXPECT_EQ(one(R"({"tailored_audience_id":"a","lookback_window":3})"),
            "child_segments[0].lookback_window: must be 1, 7, 14 or 30");
  EXPECT_EQ(one(R"({"tailored_audience_id":"a","lookback_window":14})"), std::nullopt);
  EXPECT_EQ(one(R"({"tailored_audience_id":"a"})"),
            "child_segments[0].lookback_window: required on a tailored audience (1, 7, 14 or 30)");
  EXPECT_EQ(one(R"({"tailored_audience_id":"a","lookback_window":1,"frequency":0})"),
            "child_segments[0].frequency: must be an integer >= 1");
  EXPECT_EQ(one(R"({"tailored_audience_id":"a","lookback_window":1,"frequency":"2"})"),
            "child_segments[0].frequency: must be an integer >= 1");
  EXPECT_EQ(one(R"({"tailored_audience_id":"a","lookback_window":1,"frequency":1.5})"),
            "child_segments[0].frequency: must be an integer >= 1");
  EXPECT_EQ(one(R"({"tailored_audience_id":"a","lookback_window":1,"frequency_comparator":"GTE"})"),
            "child_segments[0].frequency_comparator: must be NUM_GTE, NUM_GT, NUM_EQ, NUM_LTE or NUM_LT");
  EXPECT_EQ(one(R"({"tailored_audience_id":"a","lookback_window":1,"negate":"yes"})"),
            "child_segments[0].negate: must be true or false");
  EXPECT_EQ(one(R"({"tailored_audience_id":"","lookback_window":1})"),
            "child_segments[0].tailored_audience_id: must be a non-empty string");
  EXPECT_EQ(one(R"({"tailored_audience_id":7,"lookback_window":1})"),
            "child_segments[0].tailored_audience_id: must be a non-empty string");
  EXPECT_EQ(one(R"({"tailored_audience_id":"a","lookback_window":1,"child_segments":[{"tailored_audience_id":"b","lookback_window":1}],"boolean_operator":"OR"})"),
            "child_segments[0].child_segments: a segment with a tailored_audience_id has no child_segments");
  EXPECT_EQ(one(R"({"frequency":2})"), "child_segments[0]: needs a tailored_audience_id or child_segments");
  EXPECT_EQ(one(R"({"tailored_audience_id":"a","lookback":30})"), "child_segments[0].lookback: unknown field");
  EXPECT_EQ(one(R"("a")"), "child_segments[0]: must be an object");
}

TEST(TwitterSegments, AtMostTenLeaves) {
  EXPECT_EQ(check(leaves(10)), std::nullopt);
  EXPECT_EQ(check(leaves(11)),
            "child_segments[10].tailored_audience_id: more than 10 tailored audiences in one flexible audience");
}

TEST(TwitterSegments, DepthIsBounded) {
  std::string tree = R"({"tailored_audience_id":"a","lookback_window":14})";
  for (std::size_t level = 1; level < kMaxSegmentDepth; ++level)
    tree = R"({"boolean_operator":"AND","child_segments":[)" + tree + "]}";
  EXPECT_EQ(check(tree), std::nullopt);
  tree = R"({"boolean_operator":"AND","child_segments":[)" + tree + "]}";
  const auto why = check(tree);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("nested deeper than 8 levels"), std::string::npos) << *why;
}

TEST(TwitterSegments, TheTopLevelIsAnObject) {
  EXPECT_EQ(check(R"([{"tailored_audience_id":"a","lookback_window":1}])"),
            "must be an object with boolean_operator and child_segments, not an array");
  EXPECT_EQ(check(R"({})"), "needs a tailored_audience_id or child_segments");
  EXPECT_EQ(check(R"({"tailored_audience_id":"a","lookback_window":1})"),
            "tailored_audience_id: belongs in child_segments: segments itself is a group");
  EXPECT_EQ(check(R"({"boolean_operator":"AND","child_segments":{}})"), "child_segments: must be an array");
}

}  // namespace
}  // namespace ab::tw
