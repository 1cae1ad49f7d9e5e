// nf.update: get, overlay the row's non-empty cells, PUT the full profile
// (API.md §A5: PUT semantics); 403 and 404 final with the API's words.
#include "neuroflash_support.hpp"

#include <boost/json/parse.hpp>

namespace ab::nf {
namespace {

namespace json = boost::json;
using ab::testing::answer;
using ab::testing::ScriptedApi;
using boost::beast::http::verb;
using namespace ab::nf::testing;

constexpr const char* header =
    "id,name,female,male,nonBinary,preferNotToSay,country,minAge,maxAge,interests,needs,painPoints,"
    "nativeLanguage,residence,shared\n";

// An audience as a GET returns it: the profile plus what the server adds.
constexpr const char* stored = R"({
  "id": "ta-1", "createdAt": "2024-05-01T10:00:00Z", "permissions": {"canUpdate": true, "canDelete": true},
  "country": "US",
  "genderDistribution": {"female": 0.5, "male": 0.4, "nonBinary": 0.07, "preferNotToSay": 0.03},
  "interests": ["AI"], "maxAge": 45, "minAge": 25, "name": "Marketing leaders", "nativeLanguage": "en",
  "needs": ["scale"], "painPoints": ["manual"], "residence": "Berlin", "shared": true
})";

class NfUpdate : public ::testing::Test {
 protected:
  Validation validate(const std::string& row) { return validate_first(*kind, header + row + "\n"); }
  json::object changes_of(const std::string& row) { return task_of(validate(row)).params.at("changes").as_object(); }

  std::unique_ptr<JobKind> kind = make_kind(update_declaration);
};

TEST_F(NfUpdate, OnlyTheNonEmptyCellsAreChanges) {
  EXPECT_EQ(changes_of("ta-1,Senior marketing leaders,,,,,,,55,,,,,,"),
            json::parse(R"({"name": "Senior marketing leaders", "maxAge": 55})"));
  EXPECT_EQ(task_of(validate("ta-1,,,,,,,,,,,,,,")).params.at("id"), "ta-1");
}

TEST_F(NfUpdate, AnEmptyListCellKeepsTheListAndBracketsClearIt) {
  EXPECT_EQ(changes_of("ta-1,,,,,,,,,,[],,,,"), json::parse(R"({"needs": []})"));
}

TEST_F(NfUpdate, GenderSharesComeAllFourOrNone) {
  auto partial = error_of(validate("ta-1,,0.6,0.4,,,,,,,,,,,"));
  EXPECT_EQ(partial.column, "nonBinary");
  EXPECT_EQ(partial.reason, "give all four gender shares or none (only female, male given)");
  EXPECT_EQ(changes_of("ta-1,,0.6,0.4,0,0,,,,,,,,,").at("genderDistribution"),
            json::parse(R"({"female": 0.6, "male": 0.4, "nonBinary": 0.0, "preferNotToSay": 0.0})"));
  EXPECT_EQ(error_of(validate("ta-1,,0.6,0.4,0.1,0,,,,,,,,,")).reason,
            "female + male + nonBinary + preferNotToSay = 1.1, must be exactly 1");
}

TEST_F(NfUpdate, TheIdIsRequiredAndAgesAreChecked) {
  EXPECT_EQ(error_of(validate(",New name,,,,,,,,,,,,,")).column, "id");
  EXPECT_EQ(error_of(validate("ta-1,,,,,,,60,50,,,,,,")).column, "minAge");
  EXPECT_EQ(error_of(validate("ta-1,,,,,,,,200,,,,,,")).column, "maxAge");
}

class NfUpdateRun : public NfUpdate {
 protected:
  void SetUp() override { start(*kind, api); }
  std::string audience_url() const { return audiences_url() + "/ta-1"; }
  ScriptedApi api;
};

TEST_F(NfUpdateRun, GetsMergesAndPutsTheFullProfile) {
  api.push(answer(200, stored));
  api.push(answer(200, R"({"id": "ta-1", "name": "Senior marketing leaders"})"));
  auto sink = run_one(*kind, api, task_of(validate("ta-1,Senior marketing leaders,,,,,,,55,,,,,,")));

  ASSERT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(api.sent[0].method, verb::get);
  EXPECT_EQ(api.sent[0].url, audience_url());
  EXPECT_EQ(api.sent[1].method, verb::put);
  EXPECT_EQ(api.sent[1].url, audience_url());
  EXPECT_TRUE(api.sent[1].replay_safe);  // a full PUT is idempotent
  EXPECT_EQ(api.sent[1].budgets, std::vector<std::string>{"nf"});
  EXPECT_EQ(json::parse(api.sent[1].body), json::parse(R"({
    "country": "US",
    "genderDistribution": {"female": 0.5, "male": 0.4, "nonBinary": 0.07, "preferNotToSay": 0.03},
    "interests": ["AI"], "maxAge": 55, "minAge": 25, "name": "Senior marketing leaders",
    "nativeLanguage": "en", "needs": ["scale"], "painPoints": ["manual"], "residence": "Berlin",
    "shared": true})"));

  const RowResult& r = sink.finished.at(1);
  EXPECT_EQ(r.status, RowStatus::ok);
  EXPECT_EQ(r.id, "ta-1");
  EXPECT_EQ(r.attempts, 2u);  // the GET's and the PUT's
  ASSERT_EQ(sink.responses.size(), 1u);
  EXPECT_EQ(sink.responses[0].second.at("data").at("name"), "Senior marketing leaders");
}

TEST_F(NfUpdateRun, AMergeThatWouldCrossTheAgesIsNotSent) {
  api.push(answer(200, stored));
  auto sink = run_one(*kind, api, task_of(validate("ta-1,,,,,,,,20,,,,,,")));
  EXPECT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::failed);
  EXPECT_EQ(sink.finished.at(1).error, "PUT not sent: minAge 25 is greater than maxAge 20");
}

TEST_F(NfUpdateRun, AnAudienceLackingAFieldTheRowDoesNotGiveIsNotPutPartially) {
  auto partial = json::parse(stored).as_object();
  partial.erase("residence");
  api.push(answer(200, json::serialize(partial)));
  auto sink = run_one(*kind, api, task_of(validate("ta-1,New name,,,,,,,,,,,,,")));
  EXPECT_EQ(api.sent.size(), 1u);
  EXPECT_NE(sink.finished.at(1).error.find("no residence"), std::string::npos);

  api.sent.clear();
  api.push(answer(200, json::serialize(partial)));
  api.push(answer(200, "{}"));
  sink = run_one(*kind, api, task_of(validate("ta-1,,,,,,,,,,,,,Hamburg,")));
  ASSERT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(json::parse(api.sent[1].body).at("residence"), "Hamburg");
}

TEST_F(NfUpdateRun, NotFoundIsFinalWithTheApisWords) {
  api.push(answer(404, R"({"error": "target audience ta-1 not found", "code": "NOT_FOUND"})"));
  auto sink = run_one(*kind, api, task_of(validate("ta-1,New name,,,,,,,,,,,,,")));
  EXPECT_EQ(api.sent.size(), 1u);
  const RowResult& r = sink.finished.at(1);
  EXPECT_EQ(r.status, RowStatus::failed);
  EXPECT_EQ(r.http_status, 404u);
  EXPECT_EQ(r.error, "NOT_FOUND: target audience ta-1 not found");
}

TEST_F(NfUpdateRun, ForbiddenIsFinalWithTheApisWords) {
  api.push(answer(200, stored));
  api.push(answer(403, R"({"error": "only the creator may update", "code": "FORBIDDEN"})"));
  auto sink = run_one(*kind, api, task_of(validate("ta-1,New name,,,,,,,,,,,,,")));
  const RowResult& r = sink.finished.at(1);
  EXPECT_EQ(r.status, RowStatus::failed);
  EXPECT_EQ(r.http_status, 403u);
  EXPECT_EQ(r.error, "FORBIDDEN: only the creator may update");
  EXPECT_EQ(r.attempts, 2u);
}

}  // namespace
}  // namespace ab::nf
