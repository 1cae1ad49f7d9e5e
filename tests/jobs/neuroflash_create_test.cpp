// nf.create: every column rule of SPEC.md §4 / API.md §A4, the body sent, and
// what a create whose answer was lost becomes (SPEC.md §5).
#include "jobs/neuroflash/audience_fields.hpp"
#include "neuroflash_support.hpp"
#include "support/neuroflash_seed.hpp"

#include <boost/json/parse.hpp>

namespace ab::nf {
namespace {

namespace json = boost::json;
using ab::testing::answer;
using ab::testing::ScriptedApi;
using namespace ab::nf::testing;

constexpr const char* header =
    "name,female,male,nonBinary,preferNotToSay,country,minAge,maxAge,interests,needs,painPoints,"
    "nativeLanguage,residence,shared\n";

// The seed's create body (Schritt 4), verbatim.
constexpr const char* seed_body = ab::testing::neuroflash_seed_profile;

class NfCreate : public ::testing::Test {
 protected:
  Validation validate(const std::string& row) { return validate_first(*kind, header + row + "\n"); }
  // The body as sent (JSON text), parsed back.
  json::object body_of(const std::string& row) {
    return json::parse(task_of(validate(row)).body).as_object();
  }
  RowError error(const std::string& row) { return error_of(validate(row)); }

  std::unique_ptr<JobKind> kind = make_kind(create_declaration);
};

TEST_F(NfCreate, TheSeedRowBuildsTheSeedBody) {
  EXPECT_EQ(body_of("Marketing leaders,0.5,0.4,0.07,0.03,US,25,45,AI|content marketing,"
                    "scale content production,manual workflows,en,Berlin,true"),
            json::parse(seed_body).as_object());
}

TEST_F(NfCreate, ListsMayBeJsonArraysAndBooleansAnyCase) {
  auto body = body_of(R"(A,0.5,0.4,0.07,0.03,,,,"[""AI"",""a|b""]",,,,,NO)");
  EXPECT_EQ(body.at("interests"), json::parse(R"(["AI","a|b"])"));
  EXPECT_EQ(body.at("shared"), json::value(false));
}

TEST_F(NfCreate, EmptyOptionalCellsAreLeftOutAndEmptyListsSentEmpty) {
  EXPECT_EQ(body_of("Just the split,0.5,0.4,0.07,0.03,,,,,,,,,"), json::parse(R"({
    "name": "Just the split",
    "genderDistribution": {"female": 0.5, "male": 0.4, "nonBinary": 0.07, "preferNotToSay": 0.03},
    "interests": [], "needs": [], "painPoints": []})"));
}

// nf.create writes its body as text straight from the row; nf.update reads
// the same fields into an object. Both must say the same for every row.
TEST_F(NfCreate, TheBodyTextSaysWhatTheFieldsObjectSays) {
  const char* rows[] = {
      "Marketing leaders,0.5,0.4,0.07,0.03,US,25,45,AI|content marketing,scale content production,manual workflows,"
      "en,Berlin,true",
      R"(A,0.5,0.4,0.07,0.03,,,,"[""AI"",""a|b""]",,,,,NO)",
      R"("Quote "" and \ back",1,0,0,0,DE,0,150,,,,de,"Line
break",false)",
      "Zero,0,0,0,1,,,,,,,,,",
      "Ages,.25,0.250,0.25000,0.25,,7,7,x|y|z,,,,,yes",
  };
  for (const char* row : rows) {
    auto reader = CsvReader::from_string(std::string(header) + row + "\n");
    auto record = reader.next();
    ASSERT_TRUE(record && std::holds_alternative<Row>(*record)) << row;
    const Row& parsed = std::get<Row>(*record);
    Fields cells;
    ASSERT_FALSE(ColumnChecker(reader.header().names, create_columns()).check(parsed, cells)) << row;
    auto text = create_body(cells);
    auto fields = audience_fields(cells, FieldMode::create);
    ASSERT_TRUE(std::holds_alternative<CreateBody>(text)) << row;
    ASSERT_TRUE(std::holds_alternative<json::object>(fields)) << row;
    EXPECT_EQ(json::parse(std::get<CreateBody>(text).json), std::get<json::object>(fields)) << row;
    EXPECT_EQ(std::get<CreateBody>(text).name, parsed.cell("name"));
    // The name is read back from the body for the row's messages, escaped or not.
    const NameText name = created_name(std::get<CreateBody>(text).json);
    EXPECT_EQ(std::string_view(name.data(), name.size()), parsed.cell("name")) << row;
  }
}

TEST_F(NfCreate, ColumnsTheFileLacksAreLeftOut) {
  auto v = validate_first(*kind, "preferNotToSay,name,male,female,nonBinary\n0,Short,0.5,0.5,0\n");
  EXPECT_EQ(json::parse(task_of(v).body), json::parse(R"({"name": "Short",
    "genderDistribution": {"female": 0.5, "male": 0.5, "nonBinary": 0.0, "preferNotToSay": 0.0}})"));
}

TEST_F(NfCreate, SplitsThatSumToOneInDecimalPass) {
  // 0.7 + 0.1 + 0.1 + 0.1 and 0.35 + 0.35 + 0.21 + 0.09 miss 1 in binary floating point.
  EXPECT_TRUE(std::holds_alternative<Task>(validate("A,0.7,0.1,0.1,0.1,,,,,,,,,")));
  EXPECT_TRUE(std::holds_alternative<Task>(validate("A,0.35,0.35,0.21,0.09,,,,,,,,,")));
  EXPECT_TRUE(std::holds_alternative<Task>(validate("A,1,0,0,0,,,,,,,,,")));
  EXPECT_TRUE(std::holds_alternative<Task>(validate("A,.25,0.250,0.25000,0.25,,,,,,,,,")));
}

TEST_F(NfCreate, ASplitThatDoesNotSumToOneIsInvalidWithTheSum) {
  auto e = error("A,0.5,0.5,0.1,0,,,,,,,,,");
  EXPECT_EQ(e.column, "genderDistribution");
  EXPECT_EQ(e.reason, "female + male + nonBinary + preferNotToSay = 1.1, must be exactly 1");
  EXPECT_EQ(error("A,0.3,0.3,0.3,0.0999999999,,,,,,,,,").reason,
            "female + male + nonBinary + preferNotToSay = 0.9999999999, must be exactly 1");
}

TEST_F(NfCreate, EachShareMustBeBetweenZeroAndOne) {
  auto above = error("A,-0.2,1.2,0,0,,,,,,,,,");
  EXPECT_EQ(above.column, "female");
  EXPECT_EQ(above.reason, "-0.2 is not between 0 and 1");
  EXPECT_EQ(error("A,0,1.0001,0,0,,,,,,,,,").column, "male");
}

TEST_F(NfCreate, SharesMustBeDecimals) {
  EXPECT_EQ(error("A,half,0.5,0,0,,,,,,,,,").column, "female");
  EXPECT_EQ(error("A,0.5,0.5,1e-1,0,,,,,,,,,").column, "nonBinary");
}

TEST_F(NfCreate, NameAndTheFourSharesAreRequired) {
  EXPECT_EQ(error(",0.5,0.4,0.07,0.03,,,,,,,,,").column, "name");
  EXPECT_EQ(error("A,0.5,0.4,,0.03,,,,,,,,,").column, "nonBinary");
  auto missing_column = error_of(validate_first(*kind, "name,female,male,nonBinary\nA,0.5,0.5,0\n"));
  EXPECT_EQ(missing_column.column, "header");
  EXPECT_NE(missing_column.reason.find("preferNotToSay"), std::string::npos);
}

TEST_F(NfCreate, AgesAreIntegersFromZeroTo150WithMinAtMostMax) {
  EXPECT_EQ(error("A,0.5,0.4,0.07,0.03,,25.5,45,,,,,,").column, "minAge");
  EXPECT_EQ(error("A,0.5,0.4,0.07,0.03,,-1,45,,,,,,").reason, "-1 is not between 0 and 150");
  EXPECT_EQ(error("A,0.5,0.4,0.07,0.03,,25,151,,,,,,").column, "maxAge");
  auto crossed = error("A,0.5,0.4,0.07,0.03,,46,45,,,,,,");
  EXPECT_EQ(crossed.column, "minAge");
  EXPECT_EQ(crossed.reason, "minAge 46 is greater than maxAge 45");
  EXPECT_TRUE(std::holds_alternative<Task>(validate("A,0.5,0.4,0.07,0.03,,0,150,,,,,,")));
  EXPECT_TRUE(std::holds_alternative<Task>(validate("A,0.5,0.4,0.07,0.03,,45,45,,,,,,")));
}

TEST_F(NfCreate, SharedIsABooleanAndListsHaveNoEmptyItems) {
  EXPECT_EQ(error("A,0.5,0.4,0.07,0.03,,,,,,,,,maybe").column, "shared");
  EXPECT_EQ(error("A,0.5,0.4,0.07,0.03,,,,AI||ML,,,,,").column, "interests");
}

class NfCreateRun : public NfCreate {
 protected:
  void SetUp() override { start(*kind, api); }
  Task seed_task() {
    return task_of(validate("Marketing leaders,0.5,0.4,0.07,0.03,US,25,45,AI|content marketing,"
                            "scale content production,manual workflows,en,Berlin,true"));
  }
  ScriptedApi api;
};

TEST_F(NfCreateRun, PostsTheBodyOnceWithTheTokenAndReportsTheNewId) {
  api.push(answer(201, R"({"id": "ta-9", "name": "Marketing leaders"})"));
  auto sink = run_one(*kind, api, seed_task());

  ASSERT_EQ(api.sent.size(), 1u);
  const ApiRequest& sent = api.sent[0];
  EXPECT_EQ(sent.method, boost::beast::http::verb::post);
  EXPECT_EQ(sent.url, audiences_url());
  EXPECT_EQ(json::parse(sent.body), json::parse(seed_body));
  EXPECT_EQ(sent.content_type, "application/json");
  EXPECT_FALSE(sent.replay_safe);
  EXPECT_EQ(sent.budgets, std::vector<std::string>{"nf"});
  EXPECT_EQ(sent.rows, std::vector<std::size_t>{1});
  EXPECT_EQ(api.authorizations, std::vector<std::string>{"Bearer T1"});

  const RowResult& r = sink.finished.at(1);
  EXPECT_EQ(r.status, RowStatus::ok);
  EXPECT_EQ(r.id, "ta-9");
  EXPECT_EQ(r.http_status, 201u);
  ASSERT_EQ(sink.responses.size(), 1u);
  EXPECT_EQ(sink.responses[0].second.at("data").at("id"), "ta-9");
}

TEST_F(NfCreateRun, ALostAnswerEndsUnknownNamingTheAudienceAndWorkspace) {
  api.push(answer(0, "", ApiOutcome::ambiguous));
  auto sink = run_one(*kind, api, seed_task());
  const RowResult& r = sink.finished.at(1);
  EXPECT_EQ(r.status, RowStatus::unknown);
  EXPECT_EQ(r.error,
            "create may have been applied: look for audience \"Marketing leaders\" in workspace ws-1 before "
            "re-running this row");
  EXPECT_EQ(api.sent.size(), 1u);
  EXPECT_TRUE(sink.responses.empty());
}

TEST_F(NfCreateRun, AResumedRowThatMayHaveBeenSentIsNotSentAgain) {
  expect_unknown_and_nothing_sent(*kind, api, seed_task(), "\"Marketing leaders\" in workspace ws-1");
}

TEST_F(NfCreateRun, ARefusalFailsWithTheApisWords) {
  api.push(answer(400, R"({"errors": [{"field": "genderDistribution", "message": "must sum to 1",
                                       "type": "validation"}]})"));
  auto sink = run_one(*kind, api, seed_task());
  const RowResult& r = sink.finished.at(1);
  EXPECT_EQ(r.status, RowStatus::failed);
  EXPECT_EQ(r.http_status, 400u);
  EXPECT_EQ(r.error, "genderDistribution: must sum to 1");
}

TEST_F(NfCreateRun, ExhaustedRetriesFailWithTheLastError) {
  auto exhausted = answer(503, R"({"error": "busy", "code": "UNAVAILABLE"})", ApiOutcome::exhausted);
  exhausted.error = "HTTP 503 after 8 attempts";
  exhausted.attempts = 8;
  api.push(exhausted);
  auto sink = run_one(*kind, api, seed_task());
  const RowResult& r = sink.finished.at(1);
  EXPECT_EQ(r.status, RowStatus::failed);
  EXPECT_EQ(r.attempts, 8u);
  EXPECT_EQ(r.error, "HTTP 503 after 8 attempts (UNAVAILABLE: busy)");
}

TEST_F(NfCreateRun, AStoppingRunLeavesTheRowForTheNextRun) {
  api.push(answer(0, "", ApiOutcome::stopped));
  auto sink = run_one(*kind, api, seed_task());
  // `stopped`: the recorder writes no line for it, so the next run takes the row up.
  ASSERT_EQ(sink.finished.size(), 1u);
  EXPECT_EQ(sink.finished.begin()->second.status, RowStatus::stopped);
}

TEST_F(NfCreateRun, NumericIdsAreReportedAsText) {
  api.push(answer(201, R"({"id": 4711})"));
  EXPECT_EQ(run_one(*kind, api, seed_task()).finished.at(1).id, "4711");
}

}  // namespace
}  // namespace ab::nf
