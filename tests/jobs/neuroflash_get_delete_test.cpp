// nf.get and nf.delete: one id per row (API.md §A5).
#include "neuroflash_support.hpp"

#include <boost/json/parse.hpp>

namespace ab::nf {
namespace {

namespace json = boost::json;
using ab::testing::answer;
using ab::testing::ScriptedApi;
using boost::beast::http::verb;
using namespace ab::nf::testing;

class NfById : public ::testing::Test {
 protected:
  void SetUp() override {
    start(*get, api);
    start(*del, api);
  }
  std::unique_ptr<JobKind> get = make_kind(get_declaration);
  std::unique_ptr<JobKind> del = make_kind(delete_declaration);
  ScriptedApi api;
};

TEST_F(NfById, TheIdIsRequired) {
  EXPECT_EQ(error_of(validate_first(*get, "id,note\n,x\n")).column, "id");
  EXPECT_EQ(error_of(validate_first(*del, "note\nx\n")).column, "header");
}

TEST_F(NfById, GetWritesTheAudience) {
  api.push(answer(200, R"({"id": "ta-1", "name": "Marketing leaders"})"));
  auto sink = run_one(*get, api, task_of(validate_first(*get, "id\nta-1\n")));
  ASSERT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(api.sent[0].method, verb::get);
  EXPECT_EQ(api.sent[0].url, audiences_url() + "/ta-1");
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(1).id, "ta-1");
  ASSERT_EQ(sink.responses.size(), 1u);
  EXPECT_EQ(sink.responses[0].second.at("data"), json::parse(R"({"id": "ta-1", "name": "Marketing leaders"})"));
}

TEST_F(NfById, AnIdCannotChangeThePath) {
  api.push(answer(404, R"({"error": "not found", "code": "NOT_FOUND"})"));
  run_one(*get, api, task_of(validate_first(*get, "id\n../../x?y=1 z\n")));
  EXPECT_EQ(api.sent[0].url, audiences_url() + "/..%2F..%2Fx%3Fy%3D1%20z");
}

TEST_F(NfById, GetOfAMissingAudienceFails) {
  api.push(answer(404, R"({"error": "not found", "code": "NOT_FOUND"})"));
  auto sink = run_one(*get, api, task_of(validate_first(*get, "id\nta-404\n")));
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::failed);
  EXPECT_EQ(sink.finished.at(1).error, "NOT_FOUND: not found");
  EXPECT_TRUE(sink.responses.empty());
}

TEST_F(NfById, DeleteSendsADeleteThatMayBeReplayed) {
  api.push(answer(204, ""));
  auto sink = run_one(*del, api, task_of(validate_first(*del, "id\nta-1\n")));
  ASSERT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(api.sent[0].method, verb::delete_);
  EXPECT_TRUE(api.sent[0].replay_safe);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(1).id, "ta-1");
}

TEST_F(NfById, A404OnTheFirstAttemptIsAWrongId) {
  api.push(answer(404, R"({"error": "not found", "code": "NOT_FOUND"})"));
  auto sink = run_one(*del, api, task_of(validate_first(*del, "id\nta-1\n")));
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::failed);
  EXPECT_EQ(sink.finished.at(1).http_status, 404u);
}

TEST_F(NfById, A404AfterALostAnswerMeansAlreadyDeleted) {
  auto replayed = answer(404, R"({"error": "not found", "code": "NOT_FOUND"})");
  replayed.attempts = 2;
  api.push(replayed);
  auto sink = run_one(*del, api, task_of(validate_first(*del, "id\nta-1\n")));
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(1).id, "ta-1");
  EXPECT_NE(sink.finished.at(1).error.find("already deleted"), std::string::npos);
}

TEST_F(NfById, ForbiddenDeleteFailsWithTheApisWords) {
  api.push(answer(403, R"({"error": "only the creator may delete", "code": "FORBIDDEN"})"));
  auto sink = run_one(*del, api, task_of(validate_first(*del, "id\nta-1\n")));
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::failed);
  EXPECT_EQ(sink.finished.at(1).error, "FORBIDDEN: only the creator may delete");
}

}  // namespace
}  // namespace ab::nf
