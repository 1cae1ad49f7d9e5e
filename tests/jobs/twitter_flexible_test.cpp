// tw.flexible: rows become Create items of B6, at most ten a request; item
// errors are mapped back by index and the rest resent without them; a lost
// answer is reconciled by name as tw.create does.
#include "twitter_support.hpp"

#include "jobs/twitter/batch_answer.hpp"

#include <boost/json/parse.hpp>

namespace ab::tw::testing {
namespace {

constexpr const char* kSegments = R"({"boolean_operator":"AND","child_segments":[{"tailored_audience_id":"txr1","lookback_window":30}]})";

std::string csv_of(std::initializer_list<std::string> names) {
  std::string csv = "name,segments\n";
  for (const auto& n : names) csv += n + ",\"" + std::string(R"({""boolean_operator"":""AND"",""child_segments"":[{""tailored_audience_id"":""txr1"",""lookback_window"":30}]})") + "\"\n";
  return csv;
}

boost::json::object flexible(const std::string& id, const std::string& name) {
  auto a = audience(id, name);
  a["audience_type"] = "FLEXIBLE";
  return a;
}

ApiAnswer batch_answer(const boost::json::array& data) {
  return answer(200, boost::json::serialize(boost::json::object{{"data", data}, {"request", boost::json::array{}}}));
}

// The names a batch request carried, in order.
std::vector<std::string> names_in(const ApiRequest& r) {
  std::vector<std::string> names;
  const auto body = boost::json::parse(r.body);
  for (const auto& item : body.as_array())
    names.emplace_back(item.at("params").at("name").as_string());
  return names;
}

class TwitterFlexible : public ::testing::Test {
 protected:
  FakeWallClock clock;
  std::unique_ptr<JobKind> kind = flexible_declaration.make(context(clock));
  ScriptedApi api;
};

TEST_F(TwitterFlexible, RowsBecomeCreateItemsOfOneJsonBatch) {
  api.push(batch_answer({flexible("f1", "one"), flexible("f2", "two")}));
  auto sink = run_kind(*kind, api, tasks_of(*kind, csv_of({"one", "two"})));

  ASSERT_EQ(api.sent.size(), 1u);
  const auto& r = api.sent[0];
  EXPECT_EQ(r.method, boost::beast::http::verb::post);
  EXPECT_EQ(r.url, kBatch);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_FALSE(r.replay_safe);
  EXPECT_EQ(r.rows, (std::vector<std::size_t>{1, 2}));
  const auto segments = boost::json::parse(kSegments);
  EXPECT_EQ(boost::json::parse(r.body),
            (boost::json::array{
                {{"operation_type", "Create"}, {"params", {{"name", "one"}, {"audience_type", "FLEXIBLE"}, {"segments", segments}}}},
                {{"operation_type", "Create"}, {"params", {{"name", "two"}, {"audience_type", "FLEXIBLE"}, {"segments", segments}}}},
            }));
  EXPECT_EQ(sink.finished.at(1).id, "f1");
  EXPECT_EQ(sink.finished.at(2).id, "f2");
  EXPECT_EQ(sink.finished.at(2).status, RowStatus::ok);
  ASSERT_EQ(sink.responses.size(), 2u);
  EXPECT_EQ(data_id(sink.responses[1].second), "f2");
}

TEST_F(TwitterFlexible, TheSeedsSingleObjectAnswerIsRead) {
  api.push(answer(200, boost::json::serialize(boost::json::object{{"data", flexible("13ld7", "one")}})));
  auto sink = run_kind(*kind, api, tasks_of(*kind, csv_of({"one"})));
  EXPECT_EQ(sink.finished.at(1).id, "13ld7");
}

TEST_F(TwitterFlexible, NeverMoreThanTenItemsARequest) {
  EXPECT_EQ(kind->batching().max_rows, 10u);
  // Even when handed more than batching() allows.
  api = ScriptedApi([](const ApiRequest& r) {
    boost::json::array data;
    for (const auto& name : names_in(r)) data.push_back(flexible("id-" + name, name));
    return batch_answer(data);
  });
  auto sink = run_kind(*kind, api, tasks_of(*kind, csv_of({"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"})));
  ASSERT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(names_in(api.sent[0]).size(), 10u);
  EXPECT_EQ(names_in(api.sent[1]), (std::vector<std::string>{"k", "l"}));
  EXPECT_EQ(sink.finished.size(), 12u);
  EXPECT_EQ(sink.finished.at(12).id, "id-l");
}

TEST_F(TwitterFlexible, ItemErrorsFailTheirRowsAndTheOthersAreResentWithoutThem) {
  api.push(answer(400, R"({"operation_errors":[[],[{"code":"INVALID_PARAMETER","message":"unknown tailored audience","parameter":"tailored_audience_id"}],[]]})"));
  api.push(batch_answer({flexible("f1", "one"), flexible("f3", "three")}));
  auto sink = run_kind(*kind, api, tasks_of(*kind, csv_of({"one", "two", "three"})));

  ASSERT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(names_in(api.sent[1]), (std::vector<std::string>{"one", "three"}));
  EXPECT_EQ(api.sent[1].rows, (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(sink.finished.at(2).status, RowStatus::failed);
  EXPECT_EQ(sink.finished.at(2).http_status, 400u);
  EXPECT_EQ(sink.finished.at(2).error, "HTTP 400: INVALID_PARAMETER: unknown tailored audience (tailored_audience_id)");
  EXPECT_EQ(sink.finished.at(1).id, "f1");
  EXPECT_EQ(sink.finished.at(3).id, "f3");
  EXPECT_EQ(sink.finished.at(3).attempts, 2u);
}

TEST_F(TwitterFlexible, IndexedItemErrorsAreMappedToTheirRows) {
  api.push(answer(400, R"({"operation_errors":[{"index":2,"errors":[{"code":"MISSING","message":"name is required"}]}]})"));
  api.push(batch_answer({flexible("f1", "one"), flexible("f2", "two")}));
  auto sink = run_kind(*kind, api, tasks_of(*kind, csv_of({"one", "two", "three"})));
  EXPECT_EQ(sink.finished.at(3).status, RowStatus::failed);
  EXPECT_EQ(sink.finished.at(3).error, "HTTP 400: MISSING: name is required");
  EXPECT_EQ(names_in(api.sent.at(1)), (std::vector<std::string>{"one", "two"}));
}

TEST_F(TwitterFlexible, RequestLevelErrorsFailTheWholeBatch) {
  api.push(error_answer(400, "TOO_MANY_ITEMS", "batch size exceeds 10"));
  auto sink = run_kind(*kind, api, tasks_of(*kind, csv_of({"one", "two"})));
  EXPECT_EQ(api.sent.size(), 1u);
  for (std::size_t row : {1u, 2u}) {
    EXPECT_EQ(sink.finished.at(row).status, RowStatus::failed);
    EXPECT_EQ(sink.finished.at(row).error, "HTTP 400: TOO_MANY_ITEMS: batch size exceeds 10");
  }
}

TEST_F(TwitterFlexible, LostAnswerIsReconciledByNameAndOnlyTheMissingAreResent) {
  api.push(lost_answer());
  api.push(list_answer({flexible("f1", "one")}));  // q=one
  api.push(list_answer({}));                       // q=two
  api.push(batch_answer({flexible("f2", "two")}));
  auto sink = run_kind(*kind, api, tasks_of(*kind, csv_of({"one", "two"})));

  ASSERT_EQ(api.sent.size(), 4u);
  EXPECT_EQ(api.sent[1].url, std::string(kAudiences) + "?q=one&count=1000&with_deleted=false");
  EXPECT_EQ(api.sent[2].url, std::string(kAudiences) + "?q=two&count=1000&with_deleted=false");
  EXPECT_EQ(names_in(api.sent[3]), std::vector<std::string>{"two"});
  EXPECT_EQ(sink.finished.at(1).id, "f1");
  EXPECT_EQ(sink.finished.at(2).id, "f2");
}

TEST_F(TwitterFlexible, AnItemMissingFromASuccessfulAnswerIsLookedUp) {
  api.push(batch_answer({flexible("f1", "one")}));
  api.push(list_answer({flexible("f2", "two")}));
  auto sink = run_kind(*kind, api, tasks_of(*kind, csv_of({"one", "two"})));
  EXPECT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(sink.finished.at(2).id, "f2");
}

TEST_F(TwitterFlexible, Validation) {
  const auto task = tasks_of(*kind, csv_of({"x"})).at(0);
  EXPECT_EQ(task.params.at("audience_type"), "FLEXIBLE");
  EXPECT_EQ(task.params.at("segments"), boost::json::parse(kSegments));

  const std::string cell = R"("{""boolean_operator"":""OR"",""child_segments"":[{""tailored_audience_id"":""a"",""lookback_window"":1}]}")";
  const auto mobile = tasks_of(*kind, "name,segments,audience_type\nm," + cell + ",mobile_audience\n");
  EXPECT_EQ(mobile.at(0).params.at("audience_type"), "MOBILE_AUDIENCE");

  const auto bad_type = error_of(*kind, "name,segments,audience_type\nm," + cell + ",CRM\n");
  EXPECT_EQ(bad_type.column, "audience_type");
  const auto bad_tree = error_of(*kind, "name,segments\nm,\"{\"\"child_segments\"\":[{\"\"tailored_audience_id\"\":\"\"a\"\",\"\"lookback_window\"\":1}]}\"\n");
  EXPECT_EQ(bad_tree.column, "segments");
  EXPECT_EQ(bad_tree.reason, "boolean_operator: required where child_segments is not empty (AND or OR)");
  EXPECT_EQ(error_of(*kind, "name,segments\nm,{not json\n").column, "segments");
}

TEST(TwitterBatchAnswer, ParallelErrorsWithNullsAndEmptyEntries) {
  auto r = answer(400, R"({"operation_errors":[null,{},[{"code":"X","message":"bad"}]]})");
  const auto answers = read_batch_answer(r, 3);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].kind, CreateAnswer::Kind::not_applied);
  EXPECT_EQ(answers[1].kind, CreateAnswer::Kind::not_applied);
  EXPECT_EQ(answers[2].kind, CreateAnswer::Kind::failed);
}

TEST(TwitterBatchAnswer, UnmappableItemErrorsFailEveryItem) {
  // An index beyond the batch cannot be blamed on any row: the batch as a whole failed.
  auto r = answer(400, R"({"operation_errors":[{"index":7,"errors":[{"code":"X","message":"bad"}]}]})");
  for (const auto& a : read_batch_answer(r, 2)) EXPECT_EQ(a.kind, CreateAnswer::Kind::failed);
}

}  // namespace
}  // namespace ab::tw::testing
