// Near names: what a refusal suggests for a misspelt flag, budget or column.
#include "engine/text/near_names.hpp"

#include <gtest/gtest.h>

#include <array>

namespace ab {
namespace {

constexpr std::array<std::string_view, 6> kFlags = {"concurrency", "deadline", "rate", "retry-after-share",
                                                    "responses", "max-attempts"};

TEST(NearNames, APrefixAndASlipAreNearButNotEverything) {
  EXPECT_EQ(near_names("concurr", kFlags), std::vector<std::string>{"concurrency"});
  EXPECT_EQ(near_names("retry", kFlags), std::vector<std::string>{"retry-after-share"});
  EXPECT_EQ(near_names("deadlin", kFlags), std::vector<std::string>{"deadline"});
  EXPECT_EQ(near_names("dedaline", kFlags), std::vector<std::string>{"deadline"});  // letters swapped
  EXPECT_EQ(near_names("Rate", kFlags), std::vector<std::string>{"rate"});
  EXPECT_TRUE(near_names("xyz", kFlags).empty());
  EXPECT_TRUE(near_names("rat", std::array<std::string_view, 1>{"tar"}).empty()) << "two edits in three letters";
  EXPECT_TRUE(near_names("", kFlags).empty());
  constexpr std::array<std::string_view, 4> budgets{"nf", "nf.token", "tw", "tw.total_count"};
  EXPECT_EQ(near_names("tw.totalcount", budgets), std::vector<std::string>{"tw.total_count"});
}

TEST(NearNames, ListsAreSaidInWords) {
  EXPECT_EQ(name_list(std::vector<std::string>{"a"}), "'a'");
  EXPECT_EQ(name_list(std::vector<std::string>{"a", "b"}), "'a' or 'b'");
  EXPECT_EQ(name_list(std::vector<std::string>{"--a", "--b", "--c"}, ""), "--a, --b or --c");
}

}  // namespace
}  // namespace ab
