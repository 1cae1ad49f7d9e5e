// nf.url-import: the seed's "fastest way" — a profile from URLs, and with
// --create an audience made of it in the same row.
#include "neuroflash_support.hpp"

#include <boost/json/parse.hpp>

namespace ab::nf {
namespace {

namespace json = boost::json;
using ab::testing::answer;
using ab::testing::ScriptedApi;
using namespace ab::nf::testing;

constexpr const char* seed_model = "538b1efc6f88ad88feebf7acd8c618facb54fe82";

constexpr const char* profile = R"({
  "name": "your-brand.com", "country": "US",
  "genderDistribution": {"female": 0.48, "male": 0.47, "nonBinary": 0.03, "preferNotToSay": 0.02},
  "interests": ["design"], "maxAge": 54, "minAge": 21, "nativeLanguage": "en", "needs": ["speed"],
  "painPoints": ["cost"], "residence": "New York", "shared": false
})";

std::string imports_url() {
  return std::string(api_base) + "/audience-service/v1/workspaces/ws-1/target-audiences-url-imports";
}

class NfUrlImport : public ::testing::Test {
 protected:
  explicit NfUrlImport(bool create = false) : kind(make_kind(url_import_declaration, config(create))) {}
  void SetUp() override { start(*kind, api); }
  Task task(const std::string& csv) { return task_of(validate_first(*kind, csv)); }

  std::unique_ptr<JobKind> kind;
  ScriptedApi api;
};

class NfUrlImportCreate : public NfUrlImport {
 protected:
  NfUrlImportCreate() : NfUrlImport(true) {}
};

TEST_F(NfUrlImport, ABadUrlIsInvalidBeforeSending) {
  EXPECT_EQ(error_of(validate_first(*kind, "url\nyour-brand.com\n")).column, "url");
  EXPECT_EQ(error_of(validate_first(*kind, "url\nftp://your-brand.com\n")).column, "url");
  EXPECT_EQ(error_of(validate_first(*kind, "url,name\n,Brand\n")).column, "url");
}

TEST_F(NfUrlImport, ImportsWithTheSeedModelAndWritesTheProfile) {
  api.push(answer(200, profile));
  auto sink = run_one(*kind, api, task("url\nhttps://your-brand.com https://blog.your-brand.com/\n"));

  ASSERT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(api.sent[0].url, imports_url());
  EXPECT_TRUE(api.sent[0].replay_safe);  // an import stores nothing
  EXPECT_EQ(json::parse(api.sent[0].body),
            json::parse(std::string(R"({"audienceModelId": ")") + seed_model +
                        R"(", "urls": ["https://your-brand.com", "https://blog.your-brand.com/"]})"));
  ASSERT_EQ(sink.responses.size(), 1u);
  EXPECT_EQ(sink.responses[0].second.at("data"), json::parse(profile));
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(1).id, "");
}

TEST_F(NfUrlImport, TheModelColumnWins) {
  api.push(answer(200, profile));
  run_one(*kind, api, task("url,audienceModelId\nhttps://your-brand.com,model-2\n"));
  EXPECT_EQ(json::parse(api.sent[0].body).at("audienceModelId"), "model-2");
}

TEST_F(NfUrlImport, AFailedImportFailsTheRow) {
  api.push(answer(400, R"({"errors": [{"field": "urls", "message": "unreachable"}]})"));
  auto sink = run_one(*kind, api, task("url\nhttps://your-brand.com\n"));
  EXPECT_EQ(sink.finished.at(1).error, "urls: unreachable");
  EXPECT_TRUE(sink.responses.empty());
}

TEST_F(NfUrlImportCreate, CreatesTheAudienceFromTheProfileNamedByTheColumn) {
  api.push(answer(200, profile));
  api.push(answer(201, R"({"id": "ta-7"})"));
  auto sink = run_one(*kind, api, task("url,name\nhttps://your-brand.com,Brand visitors\n"));

  ASSERT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(api.sent[1].url, audiences_url());
  EXPECT_FALSE(api.sent[1].replay_safe);
  auto expected = json::parse(profile).as_object();
  expected["name"] = "Brand visitors";
  EXPECT_EQ(json::parse(api.sent[1].body), expected);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::ok);
  EXPECT_EQ(sink.finished.at(1).id, "ta-7");
  EXPECT_EQ(sink.finished.at(1).attempts, 2u);
  EXPECT_EQ(sink.responses.size(), 1u);  // the profile
}

TEST_F(NfUrlImportCreate, ARowWithoutANameIsNamedAfterTheFirstHost) {
  api.push(answer(200, profile));
  api.push(answer(201, R"({"id": "ta-8"})"));
  run_one(*kind, api, task("url,name\nhttps://shop.example.com:8443/a?b=c https://other.example.org,\n"));
  EXPECT_EQ(json::parse(api.sent[1].body).at("name"), "shop.example.com");
}

TEST_F(NfUrlImportCreate, ALostCreateAnswerIsUnknownAfterTheProfileWasWritten) {
  api.push(answer(200, profile));
  api.push(answer(0, "", ApiOutcome::ambiguous));
  auto sink = run_one(*kind, api, task("url,name\nhttps://your-brand.com,Brand visitors\n"));
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::unknown);
  EXPECT_NE(sink.finished.at(1).error.find("\"Brand visitors\" in workspace ws-1"), std::string::npos);
  EXPECT_EQ(sink.responses.size(), 1u);
}

TEST_F(NfUrlImportCreate, AResumedRowThatMayHaveCreatedSendsNothing) {
  expect_unknown_and_nothing_sent(*kind, api, task("url\nhttps://your-brand.com\n"), "\"your-brand.com\"");
}

TEST_F(NfUrlImportCreate, AFailedImportCreatesNothing) {
  auto exhausted = answer(503, "", ApiOutcome::exhausted);
  api.push(exhausted);
  auto sink = run_one(*kind, api, task("url\nhttps://your-brand.com\n"));
  EXPECT_EQ(api.sent.size(), 1u);
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::failed);
}

}  // namespace
}  // namespace ab::nf
