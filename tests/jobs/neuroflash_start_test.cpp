// Before any row (API.md §A1-§A2): the token request, credentials refused
// (exit 2, no secret in the message), the workspace from the configuration
// or the first the API lists; and the registry knowing every nf.* kind.
#include "jobs/neuroflash/answers.hpp"
#include "jobs/registry.hpp"
#include "neuroflash_support.hpp"

namespace ab::nf {
namespace {

using ab::testing::answer;
using ab::testing::run_sync;
using ab::testing::ScriptedApi;
using boost::beast::http::verb;
using namespace ab::nf::testing;

TEST(NfStart, SendsTheClientCredentialsFormWithoutAuthorization) {
  auto kind = make_kind(create_declaration);
  ScriptedApi api;
  api.push(token_answer("T1"));
  EXPECT_TRUE(run_sync(kind->start(api)).ok);
  ASSERT_EQ(api.sent.size(), 1u);
  const ApiRequest& token = api.sent[0];
  EXPECT_EQ(token.method, verb::post);
  EXPECT_EQ(token.url, token_url);
  EXPECT_EQ(token.body, "grant_type=client_credentials&client_id=client-7&client_secret=s3cret%26%3D&scope=openid");
  EXPECT_EQ(token.content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(token.budgets, std::vector<std::string>{"nf.token"});
  EXPECT_EQ(token.auth, nullptr);
  EXPECT_TRUE(api.authorizations.empty());
}

TEST(NfStart, RefusedCredentialsStopTheRunWithoutTheSecret) {
  for (unsigned status : {400u, 401u}) {
    auto kind = make_kind(create_declaration);
    ScriptedApi api;
    api.push(answer(status, R"({"error": "invalid_client", "error_description": "Client authentication failed"})"));
    StartResult r = run_sync(kind->start(api));
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, "the neuroflash token endpoint refused NEUROFLASH_CLIENT_ID/SECRET (HTTP " +
                           std::to_string(status) + "): invalid_client: Client authentication failed");
    EXPECT_EQ(r.error.find("s3cret"), std::string::npos);
    EXPECT_EQ(r.error.find('\n'), std::string::npos);
    EXPECT_EQ(api.sent.size(), 1u);
  }
}

TEST(NfStart, MissingCredentialsFailWithoutSending) {
  auto c = config();
  c.nf.client_secret.clear();
  auto kind = make_kind(get_declaration, c);
  ScriptedApi api;
  StartResult r = run_sync(kind->start(api));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("NEUROFLASH_CLIENT_SECRET"), std::string::npos);
  EXPECT_TRUE(api.sent.empty());
}

TEST(NfStart, AnUnreachableTokenEndpointIsNotCalledARefusal) {
  auto kind = make_kind(get_declaration);
  ScriptedApi api;
  auto down = answer(0, "", ApiOutcome::exhausted);
  down.error = "connect id.test:443: Connection refused";
  api.push(down);
  StartResult r = run_sync(kind->start(api));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "could not get a neuroflash access token: connect id.test:443: Connection refused");
}

TEST(NfStart, TheWorkspaceIsTheFirstTheApiListsWhenNoneIsConfigured) {
  auto c = config();
  c.nf.workspace.clear();
  auto kind = make_kind(get_declaration, c);
  ScriptedApi api;
  api.push(token_answer("T1"));
  api.push(answer(200, R"({"_embedded": {"workspaces": [{"id": "ws-first"}, {"id": "ws-second"}]}})"));
  ASSERT_TRUE(run_sync(kind->start(api)).ok);
  ASSERT_EQ(api.sent.size(), 2u);
  EXPECT_EQ(api.sent[1].url, std::string(api_base) + "/workspace-service/v1/workspaces");
  EXPECT_EQ(api.sent[1].budgets, std::vector<std::string>{"nf"});
  EXPECT_EQ(api.authorizations, std::vector<std::string>{"Bearer T1"});

  api.push(answer(200, R"({"id": "ta-1"})"));
  run_one(*kind, api, task_of(validate_first(*kind, "id\nta-1\n")));
  EXPECT_EQ(api.sent.back().url, std::string(api_base) + "/audience-service/v1/workspaces/ws-first/target-audiences/ta-1");
}

TEST(NfStart, NoWorkspaceListedIsAClearError) {
  auto c = config();
  c.nf.workspace.clear();
  for (const char* hal : {R"({"_embedded": {"workspaces": []}})", R"({"_links": {}})", "[]"}) {
    auto kind = make_kind(get_declaration, c);
    ScriptedApi api;
    api.push(token_answer("T1"));
    api.push(answer(200, hal));
    StartResult r = run_sync(kind->start(api));
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("--nf-workspace"), std::string::npos) << hal;
  }
}

TEST(NfStart, AFailedWorkspaceListingIsAClearError) {
  auto c = config();
  c.nf.workspace.clear();
  auto kind = make_kind(get_declaration, c);
  ScriptedApi api;
  api.push(token_answer("T1"));
  api.push(answer(403, R"({"error": "no access", "code": "FORBIDDEN"})"));
  StartResult r = run_sync(kind->start(api));
  EXPECT_EQ(r.error, "could not list the neuroflash workspaces: FORBIDDEN: no access");
}

TEST(NfStart, TheConfiguredWorkspaceIsNotLookedUp) {
  auto kind = make_kind(get_declaration);
  ScriptedApi api;
  api.push(token_answer("T1"));
  ASSERT_TRUE(run_sync(kind->start(api)).ok);
  EXPECT_EQ(api.sent.size(), 1u);
}

TEST(NfRegistry, KnowsEveryNeuroflashKindByName) {
  for (std::string_view name : {"nf.url-import", "nf.create", "nf.update", "nf.delete", "nf.get"}) {
    auto kind = make_job_kind(name, config());
    ASSERT_NE(kind, nullptr) << name;
    EXPECT_EQ(kind->name(), name);
  }
  EXPECT_EQ(make_job_kind("nf.list", config()), nullptr);
}

TEST(NfAnswers, ErrorShapesBecomeOneReadableLine) {
  namespace json = boost::json;
  EXPECT_EQ(api_message(json::parse(R"({"error": "limit reached", "code": "TARGET_AUDIENCE_LIMIT_REACHED"})")),
            "TARGET_AUDIENCE_LIMIT_REACHED: limit reached");
  EXPECT_EQ(api_message(json::parse(R"({"errors": [{"field": "name", "message": "required", "type": "validation"},
                                                   {"message": "bad split"}, 7]})")),
            "name: required; bad split");
  EXPECT_EQ(api_message(json::parse(R"({"message": "Too many requests"})")), "Too many requests");
  EXPECT_EQ(api_message(json::parse(R"({"errors": []})")), std::nullopt);
  EXPECT_EQ(api_message(json::parse(R"("text")")), std::nullopt);

  auto no_body = answer(502, "<html>bad gateway</html>", ApiOutcome::exhausted);
  no_body.error.clear();
  EXPECT_EQ(describe_failure(no_body), "HTTP 502");
}

}  // namespace
}  // namespace ab::nf
