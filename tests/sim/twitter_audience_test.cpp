// The simulated X Ads API's single-audience endpoints (B2-B5), its seeded
// account, OAuth checks on every request and its user and account limits.
#include "sim/iso_time.hpp"
#include "sim/support/twitter_fixture.hpp"

#include <boost/beast/http/field.hpp>
#include <gmock/gmock.h>

#include <regex>

namespace ab::sim::test {
namespace {

using boost::beast::http::verb;
using ::testing::ElementsAre;

class TwitterAudienceTest : public TwitterApiTest {};

TEST_F(TwitterAudienceTest, TheSeededAccountHasAFewDozenAudiencesSomeDeletedSomeShared) {
  const auto owned = list_all("count=1000&with_deleted=true");
  const auto shared = list_all("count=1000&with_deleted=true&permission_scope=SHARED");
  EXPECT_GE(owned.size() + shared.size(), 24u);
  const auto deleted =
      std::count_if(owned.begin(), owned.end(), [](const auto& a) { return a.at("deleted").as_bool(); }) +
      std::count_if(shared.begin(), shared.end(), [](const auto& a) { return a.at("deleted").as_bool(); });
  EXPECT_GE(deleted, 3);
  EXPECT_GE(shared.size(), 3u);
  for (const auto& audience : shared) {
    EXPECT_NE(str(audience.at("owner_account_id")), config.account);
    EXPECT_EQ(str(audience.at("permission_level")), "READ_ONLY");
  }
  EXPECT_EQ(api->store_stats().at("tw_audiences").as_uint64(),
            owned.size() + shared.size() - static_cast<std::size_t>(deleted));
  EXPECT_EQ(api->store_stats().at("tw_creates").as_uint64(), 0u);
  EXPECT_EQ(api->store_stats().at("tw_batch_creates").as_uint64(), 0u);
}

TEST_F(TwitterAudienceTest, TheSeedDecidesTheAccount) {
  const auto names = [this] {
    std::vector<std::string> out;
    for (const auto& audience : list_all("count=1000&with_deleted=true"))
      out.push_back(str(audience.at("name")) + str(audience.at("id")));
    return out;
  };
  const auto first = names();
  restart(config);
  EXPECT_EQ(names(), first);
  TwitterConfig other = config;
  other.seed = 2;
  restart(other);
  EXPECT_NE(names(), first);
}

TEST_F(TwitterAudienceTest, EveryAudienceCarriesEveryFieldOfTheReference) {
  const std::regex timestamp(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
  for (const auto& audience : list_all("count=1000&with_deleted=true")) {
    EXPECT_TRUE(audience.at("id").is_string());
    EXPECT_TRUE(audience.at("name").is_string());
    EXPECT_TRUE(audience.at("description").is_string() || audience.at("description").is_null());
    EXPECT_TRUE(audience.at("audience_type").is_string());
    EXPECT_TRUE(audience.at("targetable").is_bool());
    EXPECT_TRUE(audience.at("targetable_types").is_array());
    EXPECT_TRUE(audience.at("reasons_not_targetable").is_array());
    EXPECT_TRUE(audience.at("permission_level").is_string());
    EXPECT_EQ(str(audience.at("owner_account_id")), config.account);
    EXPECT_EQ(str(audience.at("partner_source")), "OTHER");
    EXPECT_TRUE(audience.at("deleted").is_bool());
    EXPECT_TRUE(audience.at("audience_size").is_uint64() || audience.at("audience_size").is_int64() ||
                audience.at("audience_size").is_null());
    EXPECT_TRUE(std::regex_match(str(audience.at("created_at")), timestamp));
    EXPECT_TRUE(std::regex_match(str(audience.at("updated_at")), timestamp));
    EXPECT_LE(str(audience.at("created_at")), str(audience.at("updated_at")));
  }
}

TEST_F(TwitterAudienceTest, ACreatedAudienceStartsProcessingAndTooSmall) {
  const TwReply reply = create("name=developers");
  ASSERT_EQ(reply.status, 200u) << reply.raw.body();
  const auto& data = reply.object().at("data").as_object();
  EXPECT_EQ(str(data.at("name")), "developers");
  EXPECT_TRUE(data.at("description").is_null());
  EXPECT_EQ(str(data.at("audience_type")), "CRM");
  EXPECT_FALSE(data.at("targetable").as_bool());
  EXPECT_THAT(data.at("targetable_types").as_array(), ElementsAre("CRM", "EXCLUDED_CRM"));
  EXPECT_THAT(data.at("reasons_not_targetable").as_array(), ElementsAre("PROCESSING", "TOO_SMALL"));
  EXPECT_TRUE(data.at("audience_size").is_null());
  EXPECT_FALSE(data.at("deleted").as_bool());
  EXPECT_EQ(str(data.at("permission_level")), "READ_WRITE");
  EXPECT_EQ(str(data.at("created_at")), "2024-05-01T12:00:00Z");
  EXPECT_EQ(str(data.at("updated_at")), "2024-05-01T12:00:00Z");
  EXPECT_EQ(reply.object().at("request"),
            (boost::json::object{{"params", {{"name", "developers"}, {"account_id", config.account}}}}));
  EXPECT_EQ(api->store_stats().at("tw_creates").as_uint64(), 1u);

  const TwReply fetched = get(str(data.at("id")));
  ASSERT_EQ(fetched.status, 200u);
  EXPECT_EQ(fetched.object().at("data"), data);
}

TEST_F(TwitterAudienceTest, CreateTakesADescriptionAndNeedsAName) {
  const TwReply described =
      create("name=ads%20api%20users&description=" + encode("Collection of all users of the Ads API"));
  ASSERT_EQ(described.status, 200u);
  EXPECT_EQ(str(described.object().at("data").at("name")), "ads api users");
  EXPECT_EQ(str(described.object().at("data").at("description")), "Collection of all users of the Ads API");

  const TwReply unnamed = create("description=x");
  EXPECT_EQ(unnamed.status, 400u);
  EXPECT_EQ(
      unnamed.object().at("errors"),
      (boost::json::array{{{"code", "MISSING_PARAMETER"}, {"message", "name is required"}, {"parameter", "name"}}}));
  EXPECT_EQ(str(unnamed.object().at("request").at("params").at("account_id")), config.account);
  EXPECT_EQ(create("name=").error_code(), "INVALID_PARAMETER");
  EXPECT_EQ(api->store_stats().at("tw_creates").as_uint64(), 1u);
}

TEST_F(TwitterAudienceTest, CreatingALiveNameAgainIsCountedAsADuplicate) {
  ASSERT_EQ(create("name=nightly").status, 200u);
  EXPECT_EQ(violations(rule::duplicate_create), 0u);
  const TwReply again = create("name=nightly");
  EXPECT_EQ(again.status, 200u);  // X allows it; the referee counts it
  EXPECT_EQ(violations(rule::duplicate_create), 1u);
  ASSERT_EQ(create("name=Nightly").status, 200u);  // exactly that name only
  EXPECT_EQ(violations(rule::duplicate_create), 1u);

  // Once the earlier ones are deleted, the name is free again.
  const std::string gone = str(create("name=gone").object().at("data").at("id"));
  ASSERT_EQ(remove(gone).status, 200u);
  ASSERT_EQ(create("name=gone").status, 200u);
  EXPECT_EQ(violations(rule::duplicate_create), 1u);

  // A seeded audience's name was not created by a client.
  const std::string seeded = str(list("count=1").data_array()[0].at("name"));
  ASSERT_EQ(create("name=" + encode(seeded)).status, 200u);
  EXPECT_EQ(violations(rule::duplicate_create), 1u);
}

TEST_F(TwitterAudienceTest, RenamingMovesTheDuplicateCheckToTheNewName) {
  const std::string id = str(create("name=before").object().at("data").at("id"));
  ASSERT_EQ(update(id, "name=after").status, 200u);
  ASSERT_EQ(create("name=before").status, 200u);
  EXPECT_EQ(violations(rule::duplicate_create), 0u);
  ASSERT_EQ(create("name=after").status, 200u);
  EXPECT_EQ(violations(rule::duplicate_create), 1u);
}

TEST_F(TwitterAudienceTest, GetFindsAnIdInAnyCaseAndDeletedOnesOnlyWhenAsked) {
  const std::string id = owned_crm_ids().front();
  const TwReply found = get(id);
  ASSERT_EQ(found.status, 200u);
  EXPECT_EQ(str(found.object().at("data").at("id")), id);
  EXPECT_EQ(found.object().at("request"),
            (boost::json::object{{"params", {{"account_id", config.account}, {"tailored_audience_id", id}}}}));
  std::string upper = id;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  EXPECT_EQ(get(upper).status, 200u);

  const TwReply unknown = get("zzzzzzzz");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(unknown.error_code(), "NOT_FOUND");
  EXPECT_EQ(str(unknown.object().at("errors").at(0).at("parameter")), "tailored_audience_id");

  ASSERT_EQ(remove(id).status, 200u);
  EXPECT_EQ(get(id).status, 404u);
  const TwReply with_deleted = get(id, "with_deleted=true");
  ASSERT_EQ(with_deleted.status, 200u);
  EXPECT_TRUE(with_deleted.object().at("data").at("deleted").as_bool());
  EXPECT_EQ(get(id, "with_deleted=yes").status, 400u);
}

TEST_F(TwitterAudienceTest, UpdateChangesNameAndDescriptionOnly) {
  const auto created = create("name=developers").object().at("data").as_object();
  const std::string id = str(created.at("id"));
  now += std::chrono::hours(3);
  const TwReply renamed = update(id, "name=developers_changed");
  ASSERT_EQ(renamed.status, 200u) << renamed.raw.body();
  const auto& data = renamed.object().at("data").as_object();
  EXPECT_EQ(str(data.at("name")), "developers_changed");
  EXPECT_TRUE(data.at("description").is_null());
  EXPECT_EQ(data.at("created_at"), created.at("created_at"));
  EXPECT_EQ(str(data.at("updated_at")), "2024-05-01T15:00:00Z");
  EXPECT_EQ(str(renamed.object().at("request").at("params").at("name")), "developers_changed");

  const TwReply described = update(id, "description=nightly%20import");
  ASSERT_EQ(described.status, 200u);
  EXPECT_EQ(str(described.object().at("data").at("name")), "developers_changed");
  EXPECT_EQ(str(described.object().at("data").at("description")), "nightly import");
  EXPECT_EQ(update(id, "name=").error_code(), "INVALID_PARAMETER");
}

TEST_F(TwitterAudienceTest, OnlyOwnLiveNonFlexibleAudiencesCanBeUpdated) {
  EXPECT_EQ(update("zzzzzzzz", "name=x").status, 404u);
  const std::string shared = ids_of("count=1000&permission_scope=SHARED").front();
  const TwReply read_only = update(shared, "name=x");
  EXPECT_EQ(read_only.status, 403u);
  EXPECT_EQ(read_only.error_code(), "ACTION_NOT_ALLOWED");
  const std::string flexible = ids_of("count=1000", "FLEXIBLE").front();
  const TwReply fixed = update(flexible, "name=x");
  EXPECT_EQ(fixed.status, 403u);
  EXPECT_EQ(fixed.error_code(), "ACTION_NOT_ALLOWED");
  const auto all = list_all("count=1000&with_deleted=true");
  const auto deleted = std::find_if(all.begin(), all.end(), [](const auto& a) { return a.at("deleted").as_bool(); });
  ASSERT_NE(deleted, all.end());
  EXPECT_EQ(update(str(deleted->at("id")), "name=x").status, 404u);
}

TEST_F(TwitterAudienceTest, DeleteMarksTheAudienceDeleted) {
  const std::size_t live_before = api->store_stats().at("tw_audiences").as_uint64();
  const std::string id = owned_crm_ids().front();
  now += std::chrono::minutes(5);
  const TwReply deleted = remove(id);
  ASSERT_EQ(deleted.status, 200u);
  EXPECT_TRUE(deleted.object().at("data").at("deleted").as_bool());
  EXPECT_EQ(str(deleted.object().at("data").at("updated_at")), "2024-05-01T12:05:00Z");
  EXPECT_EQ(api->store_stats().at("tw_audiences").as_uint64(), live_before - 1);
  for (const auto& audience : list_all("count=1000")) EXPECT_NE(str(audience.at("id")), id);
  EXPECT_EQ(remove(id).status, 404u);
  EXPECT_EQ(update(id, "name=x").status, 404u);
  EXPECT_EQ(remove(ids_of("count=1000&permission_scope=SHARED").front()).status, 403u);
  EXPECT_EQ(remove(ids_of("count=1000", "FLEXIBLE").front()).status, 200u);  // flexible: deleted, never changed
}

TEST_F(TwitterAudienceTest, UnknownAccountsAndRoutesAre404AndOtherPathsNotOurs) {
  const TwReply account = send(verb::get, api_base + "/accounts/nobody/tailored_audiences");
  EXPECT_EQ(account.status, 404u);
  EXPECT_EQ(str(account.object().at("errors").at(0).at("parameter")), "account_id");
  EXPECT_EQ(send(verb::get, api_base + "/accounts/" + config.account + "/campaigns").status, 404u);
  EXPECT_EQ(send(verb::patch, audiences_path()).status, 404u);
  EXPECT_EQ(send(verb::get, api_base + "/batch/accounts/" + config.account + "/tailored_audiences").status,
            404u);

  Exchange exchange{now, referee, {}};
  EXPECT_FALSE(api->handle(make_request(verb::get, "/nf/api/workspaces"), exchange).has_value());
  EXPECT_FALSE(api->handle(make_request(verb::get, api_base + "x/accounts"), exchange).has_value());
}

TEST_F(TwitterAudienceTest, EachEndpointIsNamedForTheReferee) {
  const auto endpoint_of = [this](verb method, const std::string& target) {
    Request request = make_request(method, target);
    signer.sign(request, api_base, public_base_url, now);
    Exchange exchange{now, referee, {}};
    (void)api->handle(request, exchange);
    return exchange.endpoint;
  };
  const std::string one = audiences_path() + "/abc";
  EXPECT_EQ(endpoint_of(verb::get, audiences_path()), "tw.list");
  EXPECT_EQ(endpoint_of(verb::post, audiences_path() + "?name=a"), "tw.create");
  EXPECT_EQ(endpoint_of(verb::get, one), "tw.get");
  EXPECT_EQ(endpoint_of(verb::put, one), "tw.update");
  EXPECT_EQ(endpoint_of(verb::delete_, one), "tw.delete");
  EXPECT_EQ(endpoint_of(verb::post, api_base + "/batch/accounts/a/tailored_audiences"), "tw.batch");
  EXPECT_EQ(endpoint_of(verb::get, api_base + "/elsewhere"), "tw.unknown");
}

// OAuth 1.0a on every request.

TEST_F(TwitterAudienceTest, AnUnsignedRequestIs401InvalidAuth) {
  const TwReply reply = deliver(make_request(verb::post, audiences_path() + "?name=unsigned"));
  EXPECT_EQ(reply.status, 401u);
  EXPECT_EQ(reply.error_code(), "INVALID_AUTH");
  EXPECT_EQ(str(reply.object().at("request").at("params").at("name")), "unsigned");
  EXPECT_EQ(violations(rule::bad_signature), 1u);
  EXPECT_EQ(api->store_stats().at("tw_creates").as_uint64(), 0u);
}

TEST_F(TwitterAudienceTest, AWrongSecretOrATamperedRequestIs401) {
  signer.credentials().token_secret = "not-the-secret";
  EXPECT_EQ(list().status, 401u);
  signer.credentials().token_secret = config.access_token_secret;
  Request request = make_request(verb::post, audiences_path() + "?name=signed");
  signer.sign(request, api_base, public_base_url, now);
  request.target(audiences_path() + "?name=tampered");
  EXPECT_EQ(deliver(request).status, 401u);
  EXPECT_EQ(violations(rule::bad_signature), 2u);
}

TEST_F(TwitterAudienceTest, TheSignatureCoversTheUrlTheClientAddressedByItsHost) {
  Request request = make_request(verb::get, audiences_path());
  signer.sign(request, api_base, "http://localhost:9999/other", now);
  EXPECT_EQ(deliver(request).status, 401u) << "signed for another host and path than the request's";

  // The same request, signed for each name the client may have used; the
  // Host header says which one it addressed.
  for (const std::string host : {"localhost:8181", "127.0.0.1:8181", "LocalHost:8181"}) {
    Request by_host = make_request(verb::get, audiences_path());
    by_host.set(boost::beast::http::field::host, host);
    signer.sign(by_host, api_base, "http://" + host + api_base, now);
    EXPECT_EQ(deliver(by_host).status, 200u) << host;
  }
  Request wrong_host = make_request(verb::get, audiences_path());
  wrong_host.set(boost::beast::http::field::host, "localhost:8181");
  signer.sign(wrong_host, api_base, "http://127.0.0.1:8181" + api_base, now);
  EXPECT_EQ(deliver(wrong_host).status, 401u) << "signed for 127.0.0.1, sent to localhost";
  EXPECT_EQ(violations(rule::bad_signature), 2u);
}

TEST_F(TwitterAudienceTest, FormBodyParametersAreSignedAndUsed) {
  Request request =
      make_request(verb::post, audiences_path(), "name=from+the+form", "application/x-www-form-urlencoded");
  signer.sign(request, api_base, public_base_url, now);
  const TwReply created = deliver(request);
  ASSERT_EQ(created.status, 200u) << created.raw.body();
  EXPECT_EQ(str(created.object().at("data").at("name")), "from the form");

  Request tampered = make_request(verb::post, audiences_path(), "name=original", "application/x-www-form-urlencoded");
  signer.sign(tampered, api_base, public_base_url, now);
  tampered.body() = "name=changed";
  tampered.prepare_payload();
  EXPECT_EQ(deliver(tampered).status, 401u);
}

TEST_F(TwitterAudienceTest, AReplayedNonceIs401AndNothingHappensTwice) {
  Request request = make_request(verb::post, audiences_path() + "?name=once");
  signer.sign(request, api_base, public_base_url, now);
  ASSERT_EQ(deliver(request).status, 200u);
  now += std::chrono::seconds(20);
  const TwReply replay = deliver(request);
  EXPECT_EQ(replay.status, 401u);
  EXPECT_EQ(replay.error_code(), "INVALID_AUTH");
  EXPECT_EQ(violations(rule::replayed_nonce), 1u);
  EXPECT_EQ(violations(rule::bad_signature), 0u);
  EXPECT_EQ(api->store_stats().at("tw_creates").as_uint64(), 1u);
}

TEST_F(TwitterAudienceTest, ARequestSignedMoreThanFifteenMinutesAgoIsRefusedAsAReplay) {
  Request request = make_request(verb::get, audiences_path());
  const auto signed_at = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() - 16 * 60;
  signer.sign(request, api_base, public_base_url, "old-nonce", signed_at);
  EXPECT_EQ(deliver(request).status, 401u);
  EXPECT_EQ(violations(rule::replayed_nonce), 1u);
}

TEST_F(TwitterAudienceTest, ABrokenQueryEscapeIs400) {
  const TwReply reply = deliver(make_request(verb::get, audiences_path() + "?q=%zz"));
  EXPECT_EQ(reply.status, 400u);
  EXPECT_EQ(reply.error_code(), "INVALID_PARAMETER");
}

// Rate limits.

TEST_F(TwitterAudienceTest, EveryAnswerCarriesUserLevelHeadersAndNoAccountOnesWhenUnlimited) {
  const TwReply first = list();
  EXPECT_FALSE(first.header("x-rate-limit-limit").empty());
  EXPECT_FALSE(first.header("x-rate-limit-reset").empty());
  EXPECT_TRUE(first.header("x-account-rate-limit-limit").empty());
  const auto remaining = std::stoull(first.header("x-rate-limit-remaining"));
  // Reads are one family (writes another: twitter_versions_test.cpp).
  const TwReply second = list("count=1");
  EXPECT_EQ(std::stoull(second.header("x-rate-limit-remaining")), remaining - 1);
  const TwReply not_found = get("zzzzzzz");
  EXPECT_FALSE(not_found.header("x-rate-limit-remaining").empty());
}

TEST_F(TwitterAudienceTest, TheAccountLimitRefusesWith429UntilItsReset) {
  TwitterConfig limited = config;
  limited.rate_limit = 3;
  limited.rate_window = std::chrono::minutes(1);
  restart(limited);
  for (std::uint64_t remaining : {2u, 1u, 0u}) {
    const TwReply reply = list("count=1");
    ASSERT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.header("x-account-rate-limit-limit"), "3");
    EXPECT_EQ(reply.header("x-account-rate-limit-remaining"), std::to_string(remaining));
    EXPECT_EQ(reply.header("x-rate-limit-limit"), "6");  // the user's budget spans accounts
  }
  const TwReply refused = list("count=1");
  EXPECT_EQ(refused.status, 429u);
  EXPECT_EQ(refused.error_code(), "TOO_MANY_REQUESTS");
  EXPECT_EQ(refused.header("x-account-rate-limit-remaining"), "0");
  EXPECT_FALSE(refused.header("retry-after").empty());
  const auto reset = std::stoll(refused.header("x-account-rate-limit-reset"));
  EXPECT_GT(reset, std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  EXPECT_EQ(violations(rule::request_before_reset), 0u);  // meeting a limit is not a broken rule

  now += std::chrono::seconds(10);
  EXPECT_EQ(list("count=1").status, 429u);
  EXPECT_EQ(violations(rule::request_before_reset), 1u);  // not waiting for the named reset is

  now = SystemTime(std::chrono::seconds(reset));
  EXPECT_EQ(list("count=1").status, 200u);
  EXPECT_EQ(violations(rule::request_before_reset), 1u);
}

TEST_F(TwitterAudienceTest, RequestsForOtherAccountsSpendOnlyTheUserBudget) {
  TwitterConfig limited = config;
  limited.rate_limit = 1;
  restart(limited);
  const TwReply elsewhere = send(verb::get, api_base + "/accounts/nobody/tailored_audiences");
  EXPECT_EQ(elsewhere.status, 404u);
  EXPECT_TRUE(elsewhere.header("x-account-rate-limit-limit").empty());
  EXPECT_EQ(elsewhere.header("x-rate-limit-remaining"), "1");
  EXPECT_EQ(list().header("x-account-rate-limit-remaining"), "0");
  const TwReply user_spent = list();
  EXPECT_EQ(user_spent.status, 429u);  // the user's 2: the 404 and the list
  EXPECT_EQ(user_spent.header("x-rate-limit-remaining"), "0");
}

}  // namespace
}  // namespace ab::sim::test
