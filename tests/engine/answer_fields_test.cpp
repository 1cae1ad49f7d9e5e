#include "engine/send/answer_fields.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ab {
namespace {

std::vector<AnswerField> all(const AnswerFields& fields) { return {fields.begin(), fields.end()}; }

// Fields come back as added, in order, whatever their sizes: empty values,
// and values long enough to move the buffer (the views are taken after).
TEST(AnswerFields, GivesBackEveryFieldInOrder) {
  AnswerFields fields;
  EXPECT_TRUE(fields.empty());
  EXPECT_EQ(fields.begin(), fields.end());
  const std::string long_value(5000, 'v');
  fields.add("x-empty", "");
  fields.add("x-long", long_value);
  fields.add("", "no name");
  fields.add("Retry-After", "3");
  EXPECT_FALSE(fields.empty());
  EXPECT_EQ(all(fields), (std::vector<AnswerField>{
                             {"x-empty", ""}, {"x-long", long_value}, {"", "no name"}, {"Retry-After", "3"}}));
  fields.clear();
  EXPECT_TRUE(fields.empty());
  EXPECT_TRUE(all(fields).empty());
}

// Only the name is lower-cased; the value keeps its case and every byte.
TEST(AnswerFields, LowerCasesNamesOnly) {
  AnswerFields fields;
  fields.add_lower_cased("X-Rate-Limit-RESET", "Mon, 30 Nov");
  fields.add_lower_cased("Content-Type", std::string("A\0B", 3));
  EXPECT_EQ(all(fields), (std::vector<AnswerField>{{"x-rate-limit-reset", "Mon, 30 Nov"},
                                                   {"content-type", std::string_view("A\0B", 3)}}));
}

TEST(AnswerFields, ListedAsGiven) {
  const AnswerFields fields{{"X-A", "1"}, {"b", "Two"}};
  EXPECT_EQ(all(fields), (std::vector<AnswerField>{{"X-A", "1"}, {"b", "Two"}}));
}

}  // namespace
}  // namespace ab
