// tw.create: B3 with its parameters in the query string, never resent blindly:
// a lost answer or a resumed intent is looked up by name first (list q=NAME)
// and an audience this row's sends made is adopted instead of made twice.
#include "twitter_support.hpp"

#include "jobs/twitter/create_reconciler.hpp"
#include "jobs/twitter/timestamps.hpp"

namespace ab::tw::testing {
namespace {

const std::string kLookup = std::string(kAudiences) + "?q=Summer%20sale&count=1000&with_deleted=false";
const std::string kCreate = std::string(kAudiences) + "?name=Summer%20sale";

class TwitterCreate : public ::testing::Test {
 protected:
  FakeWallClock clock;
  std::unique_ptr<JobKind> kind = create_declaration.make(context(clock));
  ScriptedApi api;

  std::vector<Task> one_row(bool maybe_sent = false, std::string checkpoint = {}) {
    auto tasks = tasks_of(*kind, "name,description\nSummer sale,\n");
    tasks[0].maybe_sent = maybe_sent;
    tasks[0].checkpoint = std::move(checkpoint);
    return tasks;
  }
};

TEST_F(TwitterCreate, SendsNameAndDescriptionInTheQueryAsANonReplaySafeRequest) {
  api.push(audience_answer(audience("2906h", "ads api users")));
  auto sink = run_kind(*kind, api, tasks_of(*kind, "name,description\nads api users,Collection of all users\n"));

  ASSERT_EQ(api.sent.size(), 1u);
  const auto& r = api.sent[0];
  EXPECT_EQ(r.method, boost::beast::http::verb::post);
  EXPECT_EQ(r.url, std::string(kAudiences) + "?name=ads%20api%20users&description=Collection%20of%20all%20users");
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.replay_safe);
  EXPECT_EQ(r.rows, std::vector<std::size_t>{1});
  EXPECT_EQ(r.budgets, std::vector<std::string>{"tw"});
  ASSERT_EQ(api.authorizations.size(), 1u);
  EXPECT_TRUE(api.authorizations[0].starts_with("OAuth oauth_consumer_key=\"ck\""));

  const auto& result = sink.finished.at(1);
  EXPECT_EQ(result.status, RowStatus::ok);
  EXPECT_EQ(result.id, "2906h");
  EXPECT_EQ(result.http_status, 200u);
  ASSERT_EQ(sink.responses.size(), 1u);
  EXPECT_EQ(data_id(sink.responses[0].second), "2906h");
  // The send time is durable before the first send, for a resumed run's look-up.
  ASSERT_EQ(sink.checkpoints.size(), 1u);
  EXPECT_EQ(parse_send_time_checkpoint(sink.checkpoints[0].second), test_now());
}

TEST_F(TwitterCreate, EmptyDescriptionIsLeftOut) {
  api.push(audience_answer(audience("a1", "Summer sale")));
  run_kind(*kind, api, one_row());
  EXPECT_EQ(api.sent.at(0).url, kCreate);
}

TEST_F(TwitterCreate, RefusalFailsTheRowWithTheApisMessage) {
  api.push(error_answer(400, "INVALID_PARAMETER", "name is too long"));
  auto sink = run_kind(*kind, api, one_row());
  EXPECT_EQ(api.sent.size(), 1u);
  const auto& result = sink.finished.at(1);
  EXPECT_EQ(result.status, RowStatus::failed);
  EXPECT_EQ(result.http_status, 400u);
  EXPECT_EQ(result.error, "HTTP 400: INVALID_PARAMETER: name is too long");
}

TEST_F(TwitterCreate, ExhaustedRetriesFailWithoutALookUp) {
  auto throttled = answer(429, "{}", ApiOutcome::exhausted);
  throttled.error = "HTTP 429 (gave up after 8 attempts)";
  api.push(throttled);
  auto sink = run_kind(*kind, api, one_row());
  EXPECT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::failed);
  EXPECT_EQ(sink.finished.at(1).error, "HTTP 429 (gave up after 8 attempts)");
}

TEST_F(TwitterCreate, LostAnswerAdoptsTheAudienceThisRowMade) {
  api.push(lost_answer());
  api.push(list_answer({
      audience("old1", "Summer sale", "2024-05-01T11:00:00Z"),     // before this row's first send
      audience("other", "Summer sale 2", "2024-05-01T12:00:03Z"),  // a prefix match, not the name
      audience("mine", "Summer sale", "2024-05-01T12:00:02Z"),
      audience("later", "Summer sale", "2024-05-01T12:00:09Z"),
  }));
  auto sink = run_kind(*kind, api, one_row());

  ASSERT_EQ(api.sent.size(), 2u) << "adopted: nothing is sent again";
  EXPECT_EQ(api.sent[1].method, boost::beast::http::verb::get);
  EXPECT_EQ(api.sent[1].url, kLookup);
  EXPECT_TRUE(api.sent[1].replay_safe);
  const auto& result = sink.finished.at(1);
  EXPECT_EQ(result.status, RowStatus::ok);
  EXPECT_EQ(result.id, "mine") << "the earliest exact-name audience since the first send";
  EXPECT_EQ(result.attempts, 2u);
  EXPECT_EQ(data_id(sink.responses.at(0).second), "mine");
}

TEST_F(TwitterCreate, LostAnswerWithNothingListedIsSentOnceMore) {
  api.push(lost_answer());
  api.push(list_answer({audience("old1", "Summer sale", "2024-04-01T00:00:00Z")}));
  api.push(audience_answer(audience("new1", "Summer sale")));
  auto sink = run_kind(*kind, api, one_row());

  ASSERT_EQ(api.sent.size(), 3u);
  EXPECT_EQ(api.sent[2].url, kCreate);
  EXPECT_FALSE(api.sent[2].replay_safe);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(1).id, "new1");
  EXPECT_EQ(sink.finished.at(1).attempts, 3u);
}

TEST_F(TwitterCreate, LookUpReadsEveryPage) {
  api.push(lost_answer());
  api.push(list_answer({audience("x1", "Summer sale extra")}, "c2"));
  api.push(list_answer({audience("mine", "Summer sale")}));
  auto sink = run_kind(*kind, api, one_row());
  ASSERT_EQ(api.sent.size(), 3u);
  EXPECT_EQ(api.sent[2].url, kLookup + "&cursor=c2");
  EXPECT_EQ(sink.finished.at(1).id, "mine");
}

TEST_F(TwitterCreate, SendsAreBoundedThenTheRowIsUnknown) {
  for (unsigned i = 0; i < kMaxUnclearSends; ++i) {
    api.push(lost_answer());
    api.push(list_answer({}));
  }
  auto sink = run_kind(*kind, api, one_row());
  EXPECT_EQ(api.sent.size(), 2 * kMaxUnclearSends);
  const auto& result = sink.finished.at(1);
  EXPECT_EQ(result.status, RowStatus::unknown);
  EXPECT_NE(result.error.find("q=Summer sale"), std::string::npos) << result.error;
}

TEST_F(TwitterCreate, FailedLookUpEndsUnknownRatherThanRiskingADuplicate) {
  api.push(lost_answer());
  auto broken = answer(503, "{}", ApiOutcome::exhausted);
  broken.error = "HTTP 503 (gave up after 8 attempts)";
  api.push(broken);
  auto sink = run_kind(*kind, api, one_row());
  EXPECT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::unknown);
}

TEST_F(TwitterCreate, ResumedIntentIsLookedUpBeforeAnySend) {
  // The earlier run's first send was at 11:00; its audience is adopted.
  const auto earlier = send_time_checkpoint(test_now() - std::chrono::hours(1));
  api.push(list_answer({audience("made", "Summer sale", "2024-05-01T11:00:01Z")}));
  auto sink = run_kind(*kind, api, one_row(true, earlier));
  ASSERT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(api.sent[0].url, kLookup);
  EXPECT_EQ(sink.finished.at(1).id, "made");
  EXPECT_TRUE(sink.checkpoints.empty()) << "the first send time is kept, not overwritten";
}

TEST_F(TwitterCreate, ResumedIntentIgnoresAudiencesOlderThanItsFirstSend) {
  const auto earlier = send_time_checkpoint(test_now() - std::chrono::hours(1));
  api.push(list_answer({audience("ancient", "Summer sale", "2024-01-01T00:00:00Z")}));
  api.push(audience_answer(audience("fresh", "Summer sale")));
  auto sink = run_kind(*kind, api, one_row(true, earlier));
  ASSERT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(api.sent[1].url, kCreate);
  EXPECT_EQ(sink.finished.at(1).id, "fresh");
}

TEST_F(TwitterCreate, ResumedIntentWithoutASendTimeAdoptsAnExactNameOfAnyAge) {
  api.push(list_answer({audience("ancient", "Summer sale", "2024-01-01T00:00:00Z")}));
  auto sink = run_kind(*kind, api, one_row(true));
  EXPECT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(sink.finished.at(1).id, "ancient");
}

TEST_F(TwitterCreate, AnAudienceAnotherRowClaimedIsNotAdoptedTwice) {
  auto tasks = tasks_of(*kind, "name\nSummer sale\nSummer sale\n");
  api.push(audience_answer(audience("first", "Summer sale")));  // row 1
  api.push(lost_answer());                                       // row 2
  api.push(list_answer({audience("first", "Summer sale")}));     // only row 1's audience
  api.push(audience_answer(audience("second", "Summer sale")));
  auto sink = run_kind(*kind, api, std::move(tasks));
  EXPECT_EQ(api.sent.size(), 4u);
  EXPECT_EQ(sink.finished.at(1).id, "first");
  EXPECT_EQ(sink.finished.at(2).id, "second");
}

TEST_F(TwitterCreate, StoppedRunLeavesTheRowWithoutFurtherRequests) {
  api.push(stopped_answer());
  auto sink = run_kind(*kind, api, one_row());
  EXPECT_EQ(api.sent.size(), 1u);
  // `stopped`: the recorder writes no line for it, so the next run takes the row up.
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::stopped);
  EXPECT_EQ(sink.finished.at(1).error, "stopped: interrupted");
}

TEST_F(TwitterCreate, ValidatesItsColumns) {
  EXPECT_EQ(kind->name(), "tw.create");
  EXPECT_EQ(error_of(*kind, "name,description\n,x\n").column, "name");
  const auto task = tasks_of(*kind, "description,name,extra\nd,n,ignored\n").at(0);
  EXPECT_EQ(task.params, (boost::json::object{{"name", "n"}, {"description", "d"}}));
}

}  // namespace
}  // namespace ab::tw::testing
