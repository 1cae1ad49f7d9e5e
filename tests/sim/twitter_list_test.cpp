// B1, the list endpoint: every parameter, its limits and the rules the
// referee counts, and with_total_count's own 200-per-15-minutes window.
#include "sim/support/twitter_fixture.hpp"

#include <gmock/gmock.h>
#include <strings.h>

namespace ab::sim::test {
namespace {

class TwitterListTest : public TwitterApiTest {
 protected:
  static std::vector<std::string> ids(const std::vector<boost::json::object>& audiences) {
    std::vector<std::string> out;
    for (const auto& audience : audiences) out.push_back(str(audience.at("id")));
    return out;
  }
  static std::vector<std::string> ids(const TwReply& reply) {
    std::vector<std::string> out;
    for (const auto& audience : reply.data_array()) out.push_back(str(audience.at("id")));
    return out;
  }
  static std::vector<std::string> field(const TwReply& reply, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& audience : reply.data_array()) out.push_back(str(audience.at(name)));
    return out;
  }
};

TEST_F(TwitterListTest, ByDefaultListsOwnLiveAudiencesOldestFirst) {
  const TwReply reply = list();
  ASSERT_EQ(reply.status, 200u);
  EXPECT_TRUE(reply.object().at("next_cursor").is_null());
  EXPECT_FALSE(reply.object().contains("total_count"));
  EXPECT_EQ(reply.object().at("request"), (boost::json::object{{"params", {{"account_id", config.account}}}}));
  ASSERT_FALSE(reply.data_array().empty());
  for (const auto& audience : reply.data_array()) {
    EXPECT_FALSE(audience.at("deleted").as_bool());
    EXPECT_EQ(str(audience.at("owner_account_id")), config.account);
  }
  const auto created = field(reply, "created_at");
  EXPECT_TRUE(std::is_sorted(created.begin(), created.end()));
}

TEST_F(TwitterListTest, CountLimitsAPageAndMustBeFrom1To1000) {
  const TwReply five = list("count=5");
  ASSERT_EQ(five.status, 200u);
  EXPECT_EQ(five.data_array().size(), 5u);
  EXPECT_TRUE(five.object().at("next_cursor").is_string());
  EXPECT_EQ(list("count=1").data_array().size(), 1u);
  EXPECT_EQ(list("count=1000").status, 200u);
  for (std::string_view bad : {"0", "1001", "-1", "ten", "", "5x"}) {
    const TwReply reply = list("count=" + std::string(bad));
    EXPECT_EQ(reply.status, 400u) << bad;
    EXPECT_EQ(reply.error_code(), "INVALID_PARAMETER");
    EXPECT_EQ(str(reply.object().at("errors").at(0).at("parameter")), "count");
  }
  EXPECT_EQ(violations(rule::count_out_of_range), 6u);
}

TEST_F(TwitterListTest, CursorPagesCoverEveryAudienceOnceInOrder) {
  const auto whole = ids(list("count=1000"));
  EXPECT_EQ(ids(list_all("count=4")), whole);
  EXPECT_EQ(ids(list_all("count=1&sort_by=name-desc")), ids(list("count=1000&sort_by=name-desc")));
}

TEST_F(TwitterListTest, PagesStayWholeWhenAudiencesComeAndGoBetweenThem) {
  const auto before = ids(list("count=1000"));
  const TwReply first = list("count=5");
  const std::string cursor = str(first.object().at("next_cursor"));
  // Between pages: the last audience seen is deleted, one not yet seen too, and one is created.
  ASSERT_EQ(remove(before[4]).status, 200u);
  ASSERT_EQ(remove(before[7]).status, 200u);
  const std::string added = str(create("name=added").object().at("data").at("id"));

  std::vector<std::string> rest;
  std::string next = cursor;
  while (!next.empty()) {
    const TwReply page = list("count=5&cursor=" + next);
    ASSERT_EQ(page.status, 200u) << page.raw.body();
    for (auto& id : ids(page)) rest.push_back(id);
    next = page.object().at("next_cursor").is_null() ? "" : str(page.object().at("next_cursor"));
  }
  std::vector<std::string> expected(before.begin() + 5, before.end());
  expected.erase(std::find(expected.begin(), expected.end(), before[7]));
  expected.push_back(added);  // the newest, so the last
  EXPECT_EQ(rest, expected);
}

TEST_F(TwitterListTest, AnUnknownOrEmptyCursorIs400) {
  const TwReply unknown = list("cursor=notacursor");
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_EQ(str(unknown.object().at("errors").at(0).at("parameter")), "cursor");
  EXPECT_EQ(list("cursor=").status, 400u);
}

TEST_F(TwitterListTest, PermissionScopeSeparatesOwnAndSharedAudiences) {
  const auto own = list_all("count=1000");
  EXPECT_EQ(ids(list_all("count=1000&permission_scope=OWNER")), ids(own));
  const auto shared = list_all("count=1000&permission_scope=SHARED");
  ASSERT_FALSE(shared.empty());
  for (const auto& audience : shared) EXPECT_NE(str(audience.at("owner_account_id")), config.account);
  const auto own_ids = ids(own);
  for (const auto& id : ids(shared)) EXPECT_EQ(std::count(own_ids.begin(), own_ids.end(), id), 0);
  const TwReply bad = list("permission_scope=owner");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(str(bad.object().at("errors").at(0).at("parameter")), "permission_scope");
}

TEST_F(TwitterListTest, QIsACaseInsensitivePrefixOfTheName) {
  ASSERT_EQ(create("name=Quarterly%20Buyers").status, 200u);
  ASSERT_EQ(create("name=quarterly%20churn").status, 200u);
  ASSERT_EQ(create("name=Buyers%20quarterly").status, 200u);
  const TwReply reply = list("q=QUARTERLY");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_THAT(field(reply, "name"), ::testing::UnorderedElementsAre("Quarterly Buyers", "quarterly churn"));
  EXPECT_EQ(str(reply.object().at("request").at("params").at("q")), "QUARTERLY");

  // Seeded names are matched the same way.
  const std::string seeded = str(list("count=1").data_array()[0].at("name"));
  std::string prefix = seeded.substr(0, 4);
  std::transform(prefix.begin(), prefix.end(), prefix.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  const TwReply matches = list("count=1000&q=" + encode(prefix));
  EXPECT_THAT(field(matches, "name"), ::testing::Contains(seeded));
  for (const auto& name : field(matches, "name"))
    EXPECT_TRUE(strncasecmp(name.c_str(), prefix.c_str(), prefix.size()) == 0) << name;
  EXPECT_TRUE(list("q=no%20such%20prefix").data_array().empty());
}

TEST_F(TwitterListTest, QIsOneTo255Characters) {
  EXPECT_EQ(list("q=").status, 400u);
  EXPECT_EQ(list("q=" + std::string(255, 'a')).status, 200u);
  const TwReply too_long = list("q=" + std::string(256, 'a'));
  EXPECT_EQ(too_long.status, 400u);
  EXPECT_EQ(str(too_long.object().at("errors").at(0).at("parameter")), "q");
  std::string accents;
  for (int i = 0; i < 255; ++i) accents += "\xC3\xA9";  // 255 characters, 510 bytes
  EXPECT_EQ(list("q=" + encode(accents)).status, 200u);
  EXPECT_EQ(list("q=" + encode(accents + "\xC3\xA9")).status, 400u);
}

TEST_F(TwitterListTest, SortByOrdersByCreatedUpdatedOrName) {
  const auto sorted = [&](std::string_view sort, std::string_view key, bool descending) {
    const TwReply reply = list("count=1000&sort_by=" + std::string(sort));
    EXPECT_EQ(reply.status, 200u) << sort;
    auto values = field(reply, key);
    if (descending) std::reverse(values.begin(), values.end());
    return values.size() > 1 && std::is_sorted(values.begin(), values.end());
  };
  EXPECT_TRUE(sorted("created_at-asc", "created_at", false));
  EXPECT_TRUE(sorted("created_at-desc", "created_at", true));
  EXPECT_TRUE(sorted("updated_at-asc", "updated_at", false));
  EXPECT_TRUE(sorted("updated_at-desc", "updated_at", true));
  EXPECT_TRUE(sorted("name-asc", "name", false));
  EXPECT_TRUE(sorted("name-desc", "name", true));
  for (std::string_view bad : {"name", "name-up", "audience_size-asc", "-asc", ""}) {
    const TwReply reply = list("sort_by=" + std::string(bad));
    EXPECT_EQ(reply.status, 400u) << bad;
    EXPECT_EQ(str(reply.object().at("errors").at(0).at("parameter")), "sort_by");
  }
}

TEST_F(TwitterListTest, TailoredAudienceIdsNarrowTheListAndAreEchoedAsAList) {
  const auto own = ids(list("count=1000"));
  std::string second = own[1];
  std::transform(second.begin(), second.end(), second.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  const TwReply reply = list("tailored_audience_ids=" + own[0] + "," + second + ",nosuchid");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_THAT(ids(reply), ::testing::ElementsAre(own[0], own[1]));
  EXPECT_EQ(reply.object().at("request").at("params").at("tailored_audience_ids"),
            (boost::json::array{boost::json::string(own[0]), boost::json::string(own[1]), "nosuchid"}));
  EXPECT_EQ(list("tailored_audience_ids=a,,b").status, 400u);
  EXPECT_EQ(violations(rule::ids_over_200), 0u);
}

TEST_F(TwitterListTest, AtMost200Ids) {
  const auto many = [](int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += (i ? "," : "") + std::string("id") + std::to_string(i);
    return out;
  };
  EXPECT_EQ(list("tailored_audience_ids=" + many(200)).status, 200u);
  const TwReply over = list("tailored_audience_ids=" + many(201));
  EXPECT_EQ(over.status, 400u);
  EXPECT_EQ(over.error_code(), "INVALID_PARAMETER");
  EXPECT_EQ(str(over.object().at("errors").at(0).at("parameter")), "tailored_audience_ids");
  EXPECT_EQ(violations(rule::ids_over_200), 1u);
}

TEST_F(TwitterListTest, WithDeletedAddsDeletedAudiences) {
  const auto live = list_all("count=1000");
  const auto all = list_all("count=1000&with_deleted=true");
  const auto deleted = std::count_if(all.begin(), all.end(), [](const auto& a) { return a.at("deleted").as_bool(); });
  EXPECT_GT(deleted, 0);
  EXPECT_EQ(all.size(), live.size() + static_cast<std::size_t>(deleted));
  EXPECT_EQ(ids(list_all("count=1000&with_deleted=false")), ids(live));
  EXPECT_EQ(list("with_deleted=1").status, 400u);
}

TEST_F(TwitterListTest, WithTotalCountCountsEveryMatchNotJustThePage) {
  const auto all = list_all("count=1000");
  const TwReply reply = list("count=2&with_total_count=true");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.data_array().size(), 2u);
  EXPECT_EQ(reply.object().at("total_count").to_number<std::uint64_t>(), all.size());
  EXPECT_FALSE(list("with_total_count=false").object().contains("total_count"));
  EXPECT_EQ(list("with_total_count=yes").status, 400u);
}

TEST_F(TwitterListTest, WithTotalCountAndACursorIsRefused) {
  const std::string cursor = str(list("count=2").object().at("next_cursor"));
  const TwReply reply = list("with_total_count=true&cursor=" + cursor);
  EXPECT_EQ(reply.status, 400u);
  EXPECT_EQ(reply.error_code(), "EXCLUSIVE_PARAMETERS");
  EXPECT_EQ(violations(rule::total_count_with_cursor), 1u);
}

TEST_F(TwitterListTest, WithTotalCountHasItsOwnWindow) {
  TwitterConfig limited = config;
  limited.total_count_limit = 2;
  limited.total_count_window = std::chrono::minutes(15);
  restart(limited);
  for (std::string remaining : {"1", "0"}) {
    const TwReply reply = list("with_total_count=true");
    ASSERT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.header("x-rate-limit-limit"), "2");
    EXPECT_EQ(reply.header("x-rate-limit-remaining"), remaining);
  }
  const TwReply refused = list("with_total_count=true");
  EXPECT_EQ(refused.status, 429u);
  EXPECT_EQ(refused.error_code(), "TOO_MANY_REQUESTS");
  EXPECT_EQ(refused.header("x-rate-limit-remaining"), "0");
  EXPECT_FALSE(refused.header("retry-after").empty());
  EXPECT_EQ(violations(rule::total_count_over_budget), 1u);
  EXPECT_EQ(violations(rule::request_before_reset), 0u);

  // Lists without a total are not in that window.
  now += std::chrono::minutes(1);
  const TwReply plain = list();
  EXPECT_EQ(plain.status, 200u);
  EXPECT_NE(plain.header("x-rate-limit-limit"), "2");

  const TwReply early = list("with_total_count=true");
  EXPECT_EQ(early.status, 429u);
  EXPECT_EQ(violations(rule::total_count_over_budget), 2u);
  EXPECT_EQ(violations(rule::request_before_reset), 1u);

  now = SystemTime(std::chrono::seconds(std::stoll(refused.header("x-rate-limit-reset"))));
  EXPECT_EQ(list("with_total_count=true").status, 200u);
  EXPECT_EQ(violations(rule::total_count_over_budget), 2u);
}

}  // namespace
}  // namespace ab::sim::test
