// The token endpoint, bearer tokens and the rate window of the simulated
// neuroflash API (API.md §A1, §A6), at handler level with a hand-moved clock.
#include "sim/support/neuroflash_fixture.hpp"

#include <gtest/gtest.h>

namespace ab::sim::test {
namespace {

namespace http = boost::beast::http;
using std::chrono::seconds;

std::string form(std::string_view id, std::string_view secret, std::string_view extra = "&scope=openid") {
  return "grant_type=client_credentials&client_id=" + std::string(id) + "&client_secret=" + std::string(secret) +
         std::string(extra);
}

TEST_F(NeuroflashApiTest, IssuesBearerTokensForTheSeedsFormRequest) {
  auto reply = ask_token(form(config.client_id, config.client_secret));
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.body.at("token_type"), "Bearer");
  EXPECT_EQ(reply.body.at("expires_in"), 14400);
  EXPECT_GE(reply.body.at("access_token").as_string().size(), 32u);
  EXPECT_EQ(reply.header("Cache-Control"), "no-store");
  EXPECT_EQ(last_endpoint, "nf.token");
}

TEST_F(NeuroflashApiTest, TokensAreRandomPerRequest) {
  const auto first = fresh_token();
  const auto second = fresh_token();
  EXPECT_NE(first, second);
}

TEST_F(NeuroflashApiTest, AcceptsPercentAndPlusEncodedFormsAndScopeLists) {
  restart({.client_id = "my client", .client_secret = "s&cret="});
  EXPECT_EQ(ask_token(form("my+client", "s%26cret%3D", "&scope=openid+profile")).status, 200u);
}

TEST_F(NeuroflashApiTest, WrongCredentialsAre401InvalidClient) {
  for (auto body : {form(config.client_id, "wrong"), form("someone", config.client_secret),
                    std::string("grant_type=client_credentials&scope=openid")}) {
    auto reply = ask_token(body);
    EXPECT_EQ(reply.status, 401u) << body;
    EXPECT_EQ(reply.body.at("error"), "invalid_client");
  }
}

TEST_F(NeuroflashApiTest, MalformedTokenRequestsAre400WithOAuthErrors) {
  EXPECT_EQ(ask_token("client_id=a").body.at("error"), "invalid_request");  // no grant_type
  EXPECT_EQ(ask_token("grant_type=password&client_id=a").body.at("error"), "unsupported_grant_type");
  EXPECT_EQ(ask_token(form(config.client_id, config.client_secret, "")).body.at("error"), "invalid_scope");
  EXPECT_EQ(ask_token(form(config.client_id, config.client_secret, "&scope=profile")).status, 400u);
  EXPECT_EQ(ask_token(form(config.client_id, config.client_secret, "&scope=openid&scope=openid")).body.at("error"),
            "invalid_request");
  EXPECT_EQ(ask_token("grant_type=%zz").status, 400u);
  auto json_body = send(http::verb::post, config.token_path, R"({"grant_type":"client_credentials"})");
  EXPECT_EQ(json_body.status, 400u);
  EXPECT_EQ(json_body.body.at("error"), "invalid_request");
  auto get = send(http::verb::get, config.token_path);
  EXPECT_EQ(get.status, 405u);
  EXPECT_EQ(get.header("Allow"), "POST");
}

TEST_F(NeuroflashApiTest, ApiCallsNeedABearerTokenAndAnUnknownOneBreaksARule) {
  const auto path = config.api_base + "/workspace-service/v1/workspaces";
  auto none = send(http::verb::get, path);
  EXPECT_EQ(none.status, 401u);
  EXPECT_EQ(none.body.at("code"), "UNAUTHORIZED");
  EXPECT_NE(none.header("WWW-Authenticate").find("Bearer"), std::string::npos);
  EXPECT_EQ(send(http::verb::get, path, {}, "made-up-token").status, 401u);
  EXPECT_EQ(violations(rule::bad_token), 2u);
  EXPECT_EQ(send(http::verb::get, path, {}, fresh_token()).status, 200u);
  EXPECT_EQ(violations(rule::bad_token), 2u);
}

TEST_F(NeuroflashApiTest, TokensExpireAfterTheirLifetimeWithoutBreakingARule) {
  restart({.token_ttl = seconds(60)});
  const auto path = config.api_base + "/workspace-service/v1/workspaces";
  const auto issued = fresh_token();
  now += seconds(59);
  EXPECT_EQ(send(http::verb::get, path, {}, issued).status, 200u);
  now += seconds(1);
  auto expired = send(http::verb::get, path, {}, issued);
  EXPECT_EQ(expired.status, 401u);
  EXPECT_NE(expired.header("WWW-Authenticate").find("expired"), std::string::npos);
  EXPECT_EQ(violations(rule::bad_token), 0u);
  EXPECT_EQ(send(http::verb::get, path, {}, fresh_token()).status, 200u);
}

TEST_F(NeuroflashApiTest, RateWindowRefusesWithRetryAfterAndRateHeaders) {
  restart({.rate_limit = 2, .rate_window = std::chrono::milliseconds(1000)});
  const auto path = config.api_base + "/workspace-service/v1/workspaces";
  fresh_token();
  auto first = call(http::verb::get, path);
  EXPECT_EQ(first.status, 200u);
  EXPECT_EQ(first.header("x-rate-limit-limit"), "2");
  EXPECT_EQ(first.header("x-rate-limit-remaining"), "1");
  EXPECT_EQ(call(http::verb::get, path).header("x-rate-limit-remaining"), "0");
  auto refused = call(http::verb::get, path);
  EXPECT_EQ(refused.status, 429u);
  EXPECT_EQ(refused.body.at("code"), "RATE_LIMIT_EXCEEDED");
  EXPECT_EQ(refused.header("Retry-After"), "1");
  const auto reset = std::stoll(refused.header("x-rate-limit-reset"));
  EXPECT_EQ(reset, 1'750'000'001);
  EXPECT_EQ(violations(rule::request_before_reset), 0u);  // being refused once is no fault

  now += std::chrono::milliseconds(500);  // comes back before the named reset
  EXPECT_EQ(call(http::verb::get, path).status, 429u);
  EXPECT_EQ(violations(rule::request_before_reset), 1u);

  now = SystemTime(seconds(reset));  // obeys it
  auto after = call(http::verb::get, path);
  EXPECT_EQ(after.status, 200u);
  EXPECT_EQ(after.header("x-rate-limit-remaining"), "1");
  EXPECT_EQ(violations(rule::request_before_reset), 1u);
}

TEST_F(NeuroflashApiTest, ANewTokenDoesNotEscapeTheRateWindow) {
  restart({.rate_limit = 1, .rate_window = std::chrono::milliseconds(1000)});
  const auto path = config.api_base + "/workspace-service/v1/workspaces";
  fresh_token();
  EXPECT_EQ(call(http::verb::get, path).status, 200u);
  fresh_token();  // the token endpoint itself is not rate limited
  EXPECT_EQ(call(http::verb::get, path).status, 429u);
}

TEST_F(NeuroflashApiTest, WithoutARateLimitAnswersCarryNoRateHeaders) {
  auto reply = call(http::verb::get, config.api_base + "/workspace-service/v1/workspaces");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_FALSE(reply.raw.count("x-rate-limit-limit"));
}

}  // namespace
}  // namespace ab::sim::test
