// tw.update, tw.delete, the start every tw.* kind shares, and the registry.
#include "twitter_support.hpp"

#include "jobs/registry.hpp"
#include "jobs/twitter/twitter_kind.hpp"

namespace ab::tw::testing {
namespace {

const std::string kAudience = std::string(kAudiences) + "/2906h";

class TwitterUpdate : public ::testing::Test {
 protected:
  FakeWallClock clock;
  std::unique_ptr<JobKind> kind = update_declaration.make(context(clock));
  ScriptedApi api;
};

TEST_F(TwitterUpdate, PutsTheChangesInTheQuery) {
  api.push(audience_answer(audience("2906h", "developers_changed")));
  auto sink = run_kind(*kind, api, tasks_of(*kind, "id,name,description\n2906h,developers_changed,\n"));
  ASSERT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(api.sent[0].method, boost::beast::http::verb::put);
  EXPECT_EQ(api.sent[0].url, kAudience + "?name=developers_changed");
  EXPECT_TRUE(api.sent[0].body.empty());
  EXPECT_TRUE(api.sent[0].replay_safe) << "setting the same name twice changes nothing";
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(1).id, "2906h");
  EXPECT_EQ(data_id(sink.responses.at(0).second), "2906h");
}

TEST_F(TwitterUpdate, BothFieldsAndEncoding) {
  api.push(audience_answer(audience("2906h", "a&b")));
  run_kind(*kind, api, tasks_of(*kind, "id,name,description\n2906h,a&b,50% off\n"));
  EXPECT_EQ(api.sent.at(0).url, kAudience + "?name=a%26b&description=50%25%20off");
}

TEST_F(TwitterUpdate, NotFoundFails) {
  api.push(error_answer(404, "NOT_FOUND", "Tailored audience not found"));
  auto sink = run_kind(*kind, api, tasks_of(*kind, "id,name\n2906h,x\n"));
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::failed);
  EXPECT_EQ(sink.finished.at(1).http_status, 404u);
  EXPECT_EQ(sink.finished.at(1).error, "HTTP 404: NOT_FOUND: Tailored audience not found");
}

TEST_F(TwitterUpdate, ARowMustChangeSomething) {
  const auto error = error_of(*kind, "id,name,description\n2906h,,\n");
  EXPECT_EQ(error.column, "name");
  EXPECT_EQ(error.reason, "nothing to change: give name or description");
  EXPECT_EQ(error_of(*kind, "id,name\n../x,y\n").column, "id");
}

class TwitterDelete : public ::testing::Test {
 protected:
  FakeWallClock clock;
  std::unique_ptr<JobKind> kind = delete_declaration.make(context(clock));
  ScriptedApi api;
  std::vector<Task> row() { return tasks_of(*kind, "id\n2906h\n"); }
};

TEST_F(TwitterDelete, DeletesAndRecordsTheDeletedAudience) {
  api.push(audience_answer(audience("2906h", "developers", "2017-08-22T23:34:26Z", true)));
  auto sink = run_kind(*kind, api, row());
  ASSERT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(api.sent[0].method, boost::beast::http::verb::delete_);
  EXPECT_EQ(api.sent[0].url, kAudience);
  EXPECT_TRUE(api.sent[0].replay_safe);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(1).id, "2906h");
  EXPECT_TRUE(sink.responses.at(0).second.at("data").at("deleted").as_bool());
}

TEST_F(TwitterDelete, NotFoundAtTheFirstAttemptFails) {
  api.push(error_answer(404, "NOT_FOUND", "Tailored audience not found"));
  auto sink = run_kind(*kind, api, row());
  EXPECT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::failed);
  EXPECT_EQ(sink.finished.at(1).http_status, 404u);
}

TEST_F(TwitterDelete, NotFoundAfterARetryIsConfirmedAsAlreadyDeleted) {
  auto retried = error_answer(404, "NOT_FOUND", "Tailored audience not found");
  retried.attempts = 2;  // the first attempt's answer was lost
  api.push(retried);
  api.push(list_answer({audience("2906h", "developers", "2017-08-22T23:34:26Z", true)}));
  auto sink = run_kind(*kind, api, row());
  ASSERT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(api.sent[1].url, std::string(kAudiences) + "?tailored_audience_ids=2906h&with_deleted=true");
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(1).attempts, 3u);
  EXPECT_EQ(sink.responses.size(), 1u);
}

TEST_F(TwitterDelete, NotFoundAfterARetryAndNotListedFails) {
  auto retried = error_answer(404, "NOT_FOUND", "Tailored audience not found");
  retried.attempts = 3;
  api.push(retried);
  api.push(list_answer({}));
  auto sink = run_kind(*kind, api, row());
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::failed);
  EXPECT_EQ(sink.finished.at(1).http_status, 404u);
  EXPECT_TRUE(sink.responses.empty());
}

class TwitterStart : public ::testing::Test {
 protected:
  FakeWallClock clock;
  ScriptedApi api;
};

TEST_F(TwitterStart, NeedsTheAccountAndAllFourCredentials) {
  auto e = endpoints();
  e.account.clear();
  e.access_token_secret.clear();
  auto kind = count_declaration.make(make_context(e, [this] { return clock.now; }, SeededNonces(1)));
  const auto started = run_sync(kind->start(api));
  EXPECT_FALSE(started.ok);
  EXPECT_EQ(started.error, "tw.* jobs need TWITTER_ADS_ACCOUNT_ID (or --tw-account), TWITTER_ACCESS_TOKEN_SECRET");
  EXPECT_TRUE(api.sent.empty());
}

TEST_F(TwitterStart, ProvesTheCredentialsWithOneCheapSignedRequest) {
  auto kind = list_declaration.make(context(clock));
  api.push(list_answer({audience("a", "b")}));
  EXPECT_TRUE(run_sync(kind->start(api)).ok);
  ASSERT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(api.sent[0].url, std::string(kAudiences) + "?count=1");
  EXPECT_EQ(api.sent[0].budgets, std::vector<std::string>{"tw"});
  EXPECT_EQ(api.authorizations.size(), 1u);
}

TEST_F(TwitterStart, RefusedCredentialsStopTheRunWithoutShowingThem) {
  auto e = endpoints();
  e.consumer_secret = "very-secret-consumer";
  e.access_token_secret = "very-secret-token";
  // tw.list: tw.get proves nothing at start (its lists are the proof: ceil(n/200) requests).
  auto kind = list_declaration.make(make_context(e, [this] { return clock.now; }, SeededNonces(1)));
  auto refused = error_answer(401, "UNAUTHORIZED_ACCESS", "This request is not properly authenticated");
  refused.error = "HTTP 401: credentials refused";
  api.push(refused);
  const auto started = run_sync(kind->start(api));
  EXPECT_FALSE(started.ok);
  EXPECT_EQ(started.error,
            "the X Ads API refused the credentials for account 18ce54d4x5t: HTTP 401: credentials refused: "
            "UNAUTHORIZED_ACCESS: This request is not properly authenticated");
  EXPECT_EQ(started.error.find("very-secret"), std::string::npos);
}

TEST_F(TwitterStart, AnUnreachableApiStopsTheRun) {
  auto kind = list_declaration.make(context(clock));
  ApiAnswer down;
  down.outcome = ApiOutcome::exhausted;
  down.error = "connect 127.0.0.1:9: Connection refused (gave up after 8 attempts)";
  api.push(down);
  const auto started = run_sync(kind->start(api));
  EXPECT_FALSE(started.ok);
  EXPECT_EQ(started.error, "cannot use the X Ads API for account 18ce54d4x5t: " + down.error);
}

TEST(TwitterRegistry, EveryTwKindIsKnownByItsName) {
  JobConfig config;
  config.tw = endpoints();
  for (const auto name : job_kind_names()) {
    if (!name.starts_with("tw.")) continue;
    const auto kind = make_job_kind(name, config);
    ASSERT_NE(kind, nullptr) << name;
    EXPECT_EQ(kind->name(), name);
  }
  EXPECT_EQ(make_job_kind("tw.nope", config), nullptr);
}

}  // namespace
}  // namespace ab::tw::testing
