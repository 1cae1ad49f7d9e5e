// tw.get, tw.count and tw.list: the B1 list endpoint used three ways, each
// within its rules (200 ids a request; total_count with count=1 and never a
// cursor, on its own budget; every page by cursor, resumable).
#include "twitter_support.hpp"

#include <set>

namespace ab::tw::testing {
namespace {

std::string ids_csv(int n) {
  std::string csv = "id\n";
  for (int i = 0; i < n; ++i) csv += "a" + std::to_string(i) + "\n";
  return csv;
}

// Answers a tailored_audience_ids request with every id it asked for but `missing`.
ScriptedApi::Responder echo_ids(std::set<std::string> missing = {}) {
  return [missing](const ApiRequest& r) {
    const auto from = r.url.find("tailored_audience_ids=") + 22;
    std::string ids = r.url.substr(from, r.url.find('&', from) - from);
    boost::json::array data;
    for (std::size_t at = 0; at <= ids.size();) {
      const auto comma = std::min(ids.find("%2C", at), ids.size());
      const std::string id = ids.substr(at, comma - at);
      if (!missing.contains(id)) data.push_back(audience(id, "name " + id));
      at = comma + 3;
    }
    return list_answer(data);
  };
}

class TwitterGet : public ::testing::Test {
 protected:
  FakeWallClock clock;
  std::unique_ptr<JobKind> kind = get_declaration.make(context(clock));
};

TEST_F(TwitterGet, IdsAreCoalescedIntoOneListRequestIncludingDeletedOnes) {
  ScriptedApi api(echo_ids({"a1"}));
  auto sink = run_kind(*kind, api, tasks_of(*kind, ids_csv(3)));
  ASSERT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(api.sent[0].method, boost::beast::http::verb::get);
  EXPECT_EQ(api.sent[0].url, std::string(kAudiences) + "?tailored_audience_ids=a0%2Ca1%2Ca2&with_deleted=true");
  EXPECT_EQ(api.sent[0].rows, (std::vector<std::size_t>{1, 2, 3}));
  EXPECT_EQ(api.sent[0].budgets, std::vector<std::string>{"tw"});

  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(1).id, "a0");
  EXPECT_EQ(sink.finished.at(3).id, "a2");
  EXPECT_EQ(sink.finished.at(2).status, RowStatus::failed);
  EXPECT_EQ(sink.finished.at(2).error, "not found: the API returned no audience with this id");
  ASSERT_EQ(sink.responses.size(), 2u);
  EXPECT_EQ(sink.responses[0].first, 1u);
  EXPECT_EQ(data_id(sink.responses[0].second), "a0");
}

TEST_F(TwitterGet, AtMostTwoHundredIdsARequest) {
  EXPECT_EQ(kind->batching().max_rows, 200u);
  // Even when handed more than batching() allows: 450 ids -> 200 + 200 + 50.
  ScriptedApi api(echo_ids());
  auto sink = run_kind(*kind, api, tasks_of(*kind, ids_csv(450)));
  ASSERT_EQ(api.sent.size(), 3u);
  auto id_count = [](const ApiRequest& r) {
    std::size_t n = 1;
    for (auto at = r.url.find("%2C"); at != std::string::npos; at = r.url.find("%2C", at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(id_count(api.sent[0]), 200u);
  EXPECT_EQ(id_count(api.sent[1]), 200u);
  EXPECT_EQ(id_count(api.sent[2]), 50u);
  EXPECT_EQ(sink.finished.size(), 450u);
  EXPECT_EQ(sink.finished.at(450).id, "a449");
}

TEST_F(TwitterGet, DuplicateIdsAskOnceAndAnswerEveryRow) {
  ScriptedApi api(echo_ids());
  auto sink = run_kind(*kind, api, tasks_of(*kind, "id\nx1\ny2\nX1\n"));
  ASSERT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(api.sent[0].url, std::string(kAudiences) + "?tailored_audience_ids=x1%2Cy2&with_deleted=true");
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(3).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(3).id, "x1");
  EXPECT_EQ(sink.responses.size(), 3u);
}

TEST_F(TwitterGet, FollowsACursorIfTheApiPaginates) {
  ScriptedApi api;
  api.push(list_answer({audience("a0", "n")}, "next"));
  api.push(list_answer({audience("a1", "n")}));
  auto sink = run_kind(*kind, api, tasks_of(*kind, ids_csv(2)));
  ASSERT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(api.sent[1].url, std::string(kAudiences) + "?tailored_audience_ids=a0%2Ca1&with_deleted=true&cursor=next");
  EXPECT_EQ(sink.finished.at(2).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(2).attempts, 2u);
}

TEST_F(TwitterGet, ARefusedRequestFailsEveryRowItCarried) {
  ScriptedApi api;
  api.push(error_answer(403, "UNAUTHORIZED_ACCESS", "not your account"));
  auto sink = run_kind(*kind, api, tasks_of(*kind, ids_csv(2)));
  for (std::size_t row : {1u, 2u}) {
    EXPECT_EQ(sink.finished.at(row).status, RowStatus::failed);
    EXPECT_EQ(sink.finished.at(row).http_status, 403u);
    EXPECT_EQ(sink.finished.at(row).error, "HTTP 403: UNAUTHORIZED_ACCESS: not your account");
  }
}

TEST_F(TwitterGet, IdsAreCheckedBeforeSending) {
  EXPECT_EQ(error_of(*kind, "id\n\"a,b\"\n").reason, "not an audience id (letters, digits, '_' and '-' only)");
  EXPECT_EQ(error_of(*kind, "id\na/b\n").column, "id");
}

class TwitterCount : public ::testing::Test {
 protected:
  FakeWallClock clock;
  std::unique_ptr<JobKind> kind = count_declaration.make(context(clock));
};

TEST_F(TwitterCount, OneTotalCountRequestPerRowOnItsOwnBudgetNeverWithACursor) {
  ScriptedApi api;
  api.push(answer(200, R"({"data":[],"next_cursor":"c1","total_count":1234,"request":{}})"));
  api.push(answer(200, R"({"data":[],"next_cursor":null,"total_count":0,"request":{}})"));
  auto sink = run_kind(*kind, api, tasks_of(*kind, "q,permission_scope,with_deleted\nsummer sale,shared,YES\nx,,\n"));

  ASSERT_EQ(api.sent.size(), 2u) << "a next_cursor in the answer is never followed";
  EXPECT_EQ(api.sent[0].url, std::string(kAudiences) +
                                 "?q=summer%20sale&permission_scope=SHARED&with_deleted=true&with_total_count=true&count=1");
  EXPECT_EQ(api.sent[1].url, std::string(kAudiences) + "?q=x&with_total_count=true&count=1");
  for (const auto& r : api.sent) {
    EXPECT_EQ(r.budgets, (std::vector<std::string>{"tw", "tw.total_count"}));
    EXPECT_EQ(r.url.find("cursor="), std::string::npos);
  }
  ASSERT_EQ(sink.responses.size(), 2u);
  EXPECT_EQ(sink.responses[0].second, (boost::json::object{{"q", "summer sale"}, {"total_count", 1234}}));
  EXPECT_EQ(sink.responses[1].second, (boost::json::object{{"q", "x"}, {"total_count", 0}}));
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(1).id, "");
}

TEST_F(TwitterCount, AnAnswerWithoutATotalFailsTheRow) {
  ScriptedApi api;
  api.push(list_answer({}));
  auto sink = run_kind(*kind, api, tasks_of(*kind, "q\nx\n"));
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::failed);
  EXPECT_EQ(sink.finished.at(1).error, "the answer has no total_count");
  EXPECT_TRUE(sink.responses.empty());
}

TEST_F(TwitterCount, Validation) {
  EXPECT_EQ(error_of(*kind, "q,with_deleted\n,true\n").column, "q");
  EXPECT_EQ(error_of(*kind, "q,permission_scope\nx,everyone\n").reason, "must be one of OWNER, SHARED");
  EXPECT_EQ(error_of(*kind, "q\n" + std::string(256, 'a') + "\n").reason, "longer than 255 characters");
  // 255 characters of two bytes each are still 255 characters.
  std::string umlauts;
  for (int i = 0; i < 255; ++i) umlauts += "\xC3\xA4";
  EXPECT_NO_THROW(tasks_of(*kind, "q\n" + umlauts + "\n"));
  EXPECT_EQ(error_of(*kind, "q,with_deleted\nx,maybe\n").column, "with_deleted");
}

class TwitterList : public ::testing::Test {
 protected:
  FakeWallClock clock;
  std::unique_ptr<JobKind> kind = list_declaration.make(context(clock));
  const std::string first = std::string(kAudiences) + "?count=1000&q=sum&sort_by=created_at-asc";
};

TEST_F(TwitterList, ExportsEveryPageAndCheckpointsEachCursor) {
  ScriptedApi api;
  api.push(list_answer({audience("a1", "sum1"), audience("a2", "sum2")}, "c1"));
  api.push(list_answer({audience("a3", "sum3")}, "c2"));
  api.push(list_answer({}));
  auto sink = run_kind(*kind, api, tasks_of(*kind, "q,sort_by\nsum,created_at-asc\n"));

  ASSERT_EQ(api.sent.size(), 3u);
  EXPECT_EQ(api.sent[0].url, first);
  EXPECT_EQ(api.sent[1].url, first + "&cursor=c1");
  EXPECT_EQ(api.sent[2].url, first + "&cursor=c2");
  ASSERT_EQ(sink.responses.size(), 3u);
  EXPECT_EQ(data_id(sink.responses[2].second), "a3");
  EXPECT_EQ(sink.checkpoints, (std::vector<std::pair<std::size_t, std::string>>{{1, "c1"}, {1, "c2"}}));
  const auto& result = sink.finished.at(1);
  EXPECT_EQ(result.status, RowStatus::ok);
  EXPECT_EQ(result.http_status, 200u);
  EXPECT_EQ(result.id, "");
  EXPECT_EQ(result.attempts, 3u);
}

TEST_F(TwitterList, ResumesFromTheCheckpointNotFromPageOne) {
  ScriptedApi api;
  api.push(list_answer({audience("a3", "sum3")}));
  auto tasks = tasks_of(*kind, "q,sort_by\nsum,created_at-asc\n");
  tasks[0].checkpoint = "c2";
  auto sink = run_kind(*kind, api, std::move(tasks));
  ASSERT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(api.sent[0].url, first + "&cursor=c2");
  EXPECT_EQ(sink.responses.size(), 1u);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
}

TEST_F(TwitterList, AFailedPageFailsTheRowAfterWhatWasExported) {
  ScriptedApi api;
  api.push(list_answer({audience("a1", "sum1")}, "c1"));
  api.push(error_answer(400, "INVALID_PARAMETER", "bad cursor"));
  auto sink = run_kind(*kind, api, tasks_of(*kind, "q\nsum\n"));
  EXPECT_EQ(sink.responses.size(), 1u);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::failed);
  EXPECT_EQ(sink.finished.at(1).error, "HTTP 400: INVALID_PARAMETER: bad cursor");
}

TEST_F(TwitterList, ARepeatedCursorEndsTheRowInsteadOfLooping) {
  ScriptedApi api;
  api.push(list_answer({}, "same"));
  api.push(list_answer({}, "same"));
  auto sink = run_kind(*kind, api, tasks_of(*kind, "q\nsum\n"));
  EXPECT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::failed);
}

TEST_F(TwitterList, AnEmptyRowListsEverything) {
  ScriptedApi api;
  api.push(list_answer({}));
  auto sink = run_kind(*kind, api, tasks_of(*kind, "q,permission_scope,with_deleted,sort_by\n,,,\n"));
  EXPECT_EQ(api.sent.at(0).url, std::string(kAudiences) + "?count=1000");
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
}

TEST_F(TwitterList, SortOrderIsChecked) {
  EXPECT_EQ(error_of(*kind, "sort_by\ncreated_at\n").column, "sort_by");
  EXPECT_EQ(error_of(*kind, "sort_by\ncreated_at-up\n").column, "sort_by");
  EXPECT_NO_THROW(tasks_of(*kind, "sort_by\nupdated_at-desc\n"));
}

}  // namespace
}  // namespace ab::tw::testing
