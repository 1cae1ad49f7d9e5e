// The simulated X Ads API across versions (API.md §B11): v8's
// tailored_audiences and v9-v12's custom_audiences over one store; B9's
// accounts; X's published budgets per endpoint family (§B7); parameters
// given twice or ids joined with ", " refused as X would refuse them.
#include "sim/support/twitter_fixture.hpp"

#include <gmock/gmock.h>

namespace ab::sim::test {
namespace {

using boost::beast::http::verb;

class TwitterVersionsTest : public TwitterApiTest {};

TEST_F(TwitterVersionsTest, EveryVersionFrom9ServesCustomAudiencesOverTheSameStore) {
  const TwReply created = create("name=made%20in%20v8");
  ASSERT_EQ(created.status, 200u) << created.raw.body();
  const std::string id = str(created.object().at("data").at("id"));
  for (unsigned version : {9u, 10u, 11u, 12u}) {
    set_version(version);
    const TwReply got = get(id);
    ASSERT_EQ(got.status, 200u) << version << ": " << got.raw.body();
    EXPECT_EQ(str(got.object().at("data").at("name")), "made in v8");
    EXPECT_EQ(str(got.object().at("request").at("params").at("custom_audience_id")), id);
    const TwReply listed = list("custom_audience_ids=" + id);
    ASSERT_EQ(listed.status, 200u) << listed.raw.body();
    ASSERT_EQ(listed.data_array().size(), 1u);
    EXPECT_EQ(listed.object().at("request").at("params").at("custom_audience_ids"),
              (boost::json::array{boost::json::string(id)}));
  }
  set_version(12);
  const TwReply renamed = update(id, "name=renamed%20in%20v12");
  ASSERT_EQ(renamed.status, 200u) << renamed.raw.body();
  set_version(8);
  EXPECT_EQ(str(get(id).object().at("data").at("name")), "renamed in v12");
  EXPECT_EQ(violations(rule::bad_signature), 0u);
}

TEST_F(TwitterVersionsTest, EachVersionKnowsOnlyItsOwnNames) {
  set_version(12);
  const std::string account = api_base + "/accounts/" + config.account;
  EXPECT_EQ(send(verb::get, account + "/tailored_audiences").status, 404u);
  EXPECT_EQ(send(verb::post, api_base + "/batch/accounts/" + config.account + "/tailored_audiences", "[]",
                 "application/json")
                .status,
            404u);
  const TwReply missing = get("zzzzzzz");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(str(missing.object().at("errors").at(0).at("parameter")), "custom_audience_id");
  set_version(8);
  EXPECT_EQ(send(verb::get, api_base + "/accounts/" + config.account + "/custom_audiences").status, 404u);
  // The filter is the version's own: v8 does not know custom_audience_ids.
  EXPECT_EQ(list("tailored_audience_ids=zzzzzzz").data_array().size(), 0u);
}

TEST_F(TwitterVersionsTest, AVersionNotServedIs404InXsShape) {
  for (const std::string version : {"7", "13", "99"}) {
    api_base = "/tw/" + version;
    public_base_url = "http://127.0.0.1:8181" + api_base;
    const TwReply reply = send(verb::get, api_base + "/accounts/" + config.account + "/custom_audiences");
    EXPECT_EQ(reply.status, 404u) << version;
    EXPECT_EQ(reply.error_code(), "NOT_FOUND");
    EXPECT_NE(str(reply.object().at("errors").at(0).at("message")).find("8 to 12"), std::string::npos);
  }
}

// B9.

TEST_F(TwitterVersionsTest, TheAccountIsServedWhereTheSdksStart) {
  for (unsigned version : {8u, 12u}) {
    set_version(version);
    const TwReply one = send(verb::get, api_base + "/accounts/" + config.account);
    ASSERT_EQ(one.status, 200u) << one.raw.body();
    const auto& data = one.object().at("data").as_object();
    EXPECT_EQ(str(data.at("id")), config.account);
    EXPECT_EQ(str(data.at("approval_status")), "ACCEPTED");
    EXPECT_FALSE(data.at("deleted").as_bool());
    for (const char* field : {"name", "business_name", "timezone", "timezone_switch_at", "created_at", "updated_at"})
      EXPECT_TRUE(data.at(field).is_string()) << field;
    EXPECT_EQ(str(one.object().at("data_type")), "account");
    EXPECT_EQ(str(one.object().at("request").at("params").at("account_id")), config.account);

    const TwReply all = send(verb::get, api_base + "/accounts?count=10");
    ASSERT_EQ(all.status, 200u) << all.raw.body();
    ASSERT_EQ(all.data_array().size(), 1u);
    EXPECT_EQ(str(all.data_array()[0].at("id")), config.account);
    EXPECT_TRUE(all.object().at("next_cursor").is_null());
  }
  const TwReply nobody = send(verb::get, api_base + "/accounts/nobody");
  EXPECT_EQ(nobody.status, 404u);
  EXPECT_EQ(nobody.error_code(), "NOT_FOUND");
  EXPECT_EQ(str(nobody.object().at("errors").at(0).at("parameter")), "account_id");
  EXPECT_EQ(send(verb::get, api_base + "/accounts?count=0").status, 400u);
  EXPECT_EQ(violations(rule::count_out_of_range), 1u);
}

// §B7: X's published budgets, one window per endpoint family.

TEST_F(TwitterVersionsTest, ReadsAndWritesEachShowTheirFamilysPublishedBudget) {
  const TwReply read = list("count=1");
  EXPECT_EQ(read.header("x-rate-limit-limit"), "2000");
  EXPECT_EQ(read.header("x-rate-limit-remaining"), "1999");
  const TwReply write = create("name=budgeted");
  EXPECT_EQ(write.header("x-rate-limit-limit"), "450");
  EXPECT_EQ(write.header("x-rate-limit-remaining"), "449");
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  EXPECT_EQ(std::stoll(write.header("x-rate-limit-reset")), seconds + 60);
  EXPECT_EQ(std::stoll(read.header("x-rate-limit-reset")), seconds + 15 * 60);
  EXPECT_EQ(list("count=1").header("x-rate-limit-remaining"), "1998");
}

TEST_F(TwitterVersionsTest, TheWriteBudgetRefusesThe451stWriteOfAMinute) {
  for (int i = 0; i < 450; ++i) ASSERT_EQ(create("name=w" + std::to_string(i)).status, 200u) << i;
  const TwReply refused = create("name=one%20too%20many");
  EXPECT_EQ(refused.status, 429u);
  EXPECT_EQ(refused.error_code(), "TOO_MANY_REQUESTS");
  EXPECT_EQ(refused.header("x-rate-limit-remaining"), "0");
  EXPECT_EQ(list("count=1").status, 200u) << "reads have their own budget";
  now += std::chrono::minutes(1);
  EXPECT_EQ(create("name=next%20minute").status, 200u);
}

TEST_F(TwitterVersionsTest, WithoutPublishedBudgetsNoneIsShown) {
  TwitterConfig unlimited = config;
  unlimited.published_budgets = false;
  restart(unlimited);
  const TwReply reply = list();
  EXPECT_EQ(reply.status, 200u);
  EXPECT_TRUE(reply.header("x-rate-limit-limit").empty());
  EXPECT_TRUE(reply.header("x-rate-limit-remaining").empty());
}

// A parameter given twice, ids joined with ", ".

TEST_F(TwitterVersionsTest, AParameterGivenTwiceIs400NamingIt) {
  const auto own = owned_crm_ids();
  const TwReply twice = list("tailored_audience_ids=" + own[0] + "&tailored_audience_ids=" + own[1]);
  EXPECT_EQ(twice.status, 400u);
  EXPECT_EQ(twice.error_code(), "INVALID_PARAMETER");
  EXPECT_EQ(str(twice.object().at("errors").at(0).at("parameter")), "tailored_audience_ids");
  EXPECT_EQ(create("name=a&name=b").status, 400u);
  EXPECT_EQ(api->store_stats().at("tw_creates").as_uint64(), 0u);
}

TEST_F(TwitterVersionsTest, IdsJoinedWithCommaSpaceAre400NotAQuietPartialMatch) {
  const auto own = owned_crm_ids();
  const TwReply spaced = list("tailored_audience_ids=" + own[0] + "%2C%20" + own[1]);
  EXPECT_EQ(spaced.status, 400u);
  EXPECT_EQ(str(spaced.object().at("errors").at(0).at("parameter")), "tailored_audience_ids");
  EXPECT_NE(str(spaced.object().at("errors").at(0).at("message")).find("without spaces"), std::string::npos);
  set_version(12);
  EXPECT_EQ(list("custom_audience_ids=" + own[0] + "%2C%20" + own[1]).status, 400u);
  EXPECT_EQ(list("custom_audience_ids=" + own[0] + "," + own[1]).data_array().size(), 2u);
}

}  // namespace
}  // namespace ab::sim::test
