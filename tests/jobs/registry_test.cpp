// The registry's table: every kind's declaration agrees with itself, with its
// API and with the kind it makes (jobs/kind_declaration.hpp).
#include "jobs/registry.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using namespace ab;

JobConfig config() {
  JobConfig c;
  c.tw.account = "18ce54d4x5t";
  return c;
}

TEST(Registry, EveryDeclarationIsConsistent) {
  std::set<std::string_view> names;
  for (const KindDeclaration* declared : job_kinds()) {
    SCOPED_TRACE(std::string(declared->name));
    ASSERT_NE(declared->api, nullptr);
    EXPECT_TRUE(declared->name.starts_with(declared->api->prefix));
    EXPECT_TRUE(names.insert(declared->name).second) << "declared twice";
    EXPECT_EQ(find_job_kind(declared->name), declared);
    EXPECT_FALSE(declared->columns.empty());
    EXPECT_GE(declared->batch.max_rows, 1u);
    // Every budget carries its API's name ("nf", "tw.total_count"); a default has a window.
    const std::string_view api_name = declared->api->prefix.substr(0, declared->api->prefix.size() - 1);
    ASSERT_FALSE(declared->budgets.empty());
    for (const BudgetDeclaration& budget : declared->budgets) {
      EXPECT_TRUE(budget.name == api_name || budget.name.starts_with(declared->api->prefix)) << budget.name;
      if (budget.limit > 0) {
        EXPECT_GT(budget.window.count(), 0) << budget.name;
      }
    }
    ASSERT_NE(declared->api->urls, nullptr);
    EXPECT_FALSE(declared->api->urls(config()).empty());
  }
}

TEST(Registry, EveryKindIsWhatItsDeclarationSays) {
  for (const KindDeclaration* declared : job_kinds()) {
    SCOPED_TRACE(std::string(declared->name));
    const auto kind = make_job_kind(declared->name, config());
    ASSERT_NE(kind, nullptr);
    EXPECT_EQ(kind->name(), declared->name);
    EXPECT_EQ(kind->columns().data(), declared->columns.data());
    EXPECT_EQ(kind->columns().size(), declared->columns.size());
    EXPECT_EQ(kind->batching().max_rows, declared->batch.max_rows);
    EXPECT_EQ(kind->batching().max_bytes, declared->batch.max_bytes);
  }
}

TEST(Registry, NamesAreTheTablesInItsOrder) {
  const auto names = job_kind_names();
  ASSERT_EQ(names.size(), job_kinds().size());
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(names[i], job_kinds()[i]->name);
  EXPECT_EQ(job_kind_list().substr(0, 26), "nf.url-import, nf.create, ");
  EXPECT_EQ(find_job_kind("nf.list"), nullptr);
  EXPECT_EQ(make_job_kind("tw.Count", config()), nullptr);
}

TEST(Registry, BudgetDefaultsComeFromTheKindThatChargesThem) {
  const auto count = with_rate_defaults({}, *find_job_kind("tw.count"));
  ASSERT_EQ(count.size(), 1u);
  EXPECT_EQ(count[0].name, "tw.total_count");
  EXPECT_EQ(count[0].limit, 200u);
  EXPECT_EQ(count[0].window, std::chrono::minutes(15));

  const auto members = with_rate_defaults({}, *find_job_kind("tw.members"));
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].name, "tw.members");
  EXPECT_EQ(members[0].limit, 1500u);

  EXPECT_TRUE(with_rate_defaults({}, *find_job_kind("nf.create")).empty());
  EXPECT_TRUE(with_rate_defaults({}, *find_job_kind("tw.create")).empty());

  // A budget the user set keeps the user's numbers; others are kept as given.
  const std::vector<RateSpec> given{{"tw.total_count", 10, std::chrono::seconds(1)}, {"tw", 5, std::chrono::seconds(1)}};
  const auto rates = with_rate_defaults(given, *find_job_kind("tw.count"));
  ASSERT_EQ(rates.size(), 2u);
  EXPECT_EQ(rates[0].limit, 10u);
  EXPECT_EQ(rates[1].name, "tw");
}

TEST(Registry, BudgetNamesAreEveryDeclaredBudgetOnce) {
  const auto names = budget_names();
  EXPECT_EQ(names, (std::vector<std::string_view>{"nf", "nf.token", "tw", "tw.total_count", "tw.members"}));
  EXPECT_EQ(kinds_charging("tw.total_count").size(), 1u);
  EXPECT_EQ(kinds_charging("nf").size(), 5u);
  EXPECT_TRUE(kinds_charging("tw.totalcount").empty());
}

TEST(Registry, OnlyTheXApiNeedsSettingsBeforeStarting) {
  const auto& tw = *find_job_kind("tw.get")->api;
  JobConfig c = config();
  EXPECT_EQ(tw.settings_problem(c, true), "");
  c.tw.account.clear();
  EXPECT_EQ(tw.settings_problem(c, false), "") << "check sends nothing: no account needed";
  EXPECT_EQ(tw.settings_problem(c, true), "tw.* jobs need an ad account: --tw-account ID or TWITTER_ADS_ACCOUNT_ID");
  c.tw.api = "https://ads-api.x.com/7";
  EXPECT_TRUE(tw.settings_problem(c, false).starts_with("--tw-api: ")) << tw.settings_problem(c, false);
  EXPECT_EQ(find_job_kind("nf.get")->api->settings_problem, nullptr);
  EXPECT_EQ(job_apis().size(), 2u);
}

}  // namespace
