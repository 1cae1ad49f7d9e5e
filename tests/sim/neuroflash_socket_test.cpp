// The simulated neuroflash API end to end over real sockets, at the URLs the
// simulator announces: the seed's lifecycle, ownership, the rate window, and
// what the referee counts.
#include "sim/support/sim_fixture.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace ab::sim::test {
namespace {

namespace json = boost::json;

const json::value seed_body = json::parse(R"({
  "country": "US",
  "genderDistribution": {"female": 0.5, "male": 0.4, "nonBinary": 0.07, "preferNotToSay": 0.03},
  "interests": ["AI", "content marketing"], "maxAge": 45, "minAge": 25, "name": "Marketing leaders",
  "nativeLanguage": "en", "needs": ["scale content production"], "painPoints": ["manual workflows"],
  "residence": "Berlin", "shared": true})");

TEST_F(SimulatorTest, TheSeedsWholeLifecycleOverTheWire) {
  start();
  const auto audiences = audiences_path();
  auto profile = nf("POST", audiences + "-url-imports",
                    json::object{{"audienceModelId", "538b1efc6f88ad88feebf7acd8c618facb54fe82"},
                                 {"urls", json::array{"https://your-brand.com"}}});
  ASSERT_EQ(profile.status, 200u) << profile.body;
  // Decimals come as decimals, the way neuroflash writes them.
  EXPECT_NE(profile.body.find("\"female\":0."), std::string::npos) << profile.body;

  auto created = nf("POST", audiences, seed_body);
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_NE(created.body.find("\"nonBinary\":0.07"), std::string::npos);
  const std::string id(created.json().at("id").as_string());
  auto fetched = nf("GET", audiences + "/" + id);
  ASSERT_EQ(fetched.status, 200u);
  auto changed = fetched.json().as_object();
  changed["name"] = "Senior marketing leaders";
  EXPECT_EQ(nf("PUT", audiences + "/" + id, changed).status, 200u);
  EXPECT_EQ(nf("GET", audiences + "/" + id).json().at("name"), "Senior marketing leaders");
  EXPECT_EQ(nf("DELETE", audiences + "/" + id).status, 204u);
  EXPECT_EQ(nf("GET", audiences + "/" + id).status, 404u);

  const auto s = stats();
  EXPECT_EQ(s.at("total_violations"), 0);
  EXPECT_EQ(s.at("store").at("nf_creates"), 1);
  EXPECT_EQ(s.at("store").at("nf_audiences"), 0);
  EXPECT_EQ(client->connections_opened(), 1u);
}

TEST_F(SimulatorTest, ForeignAudiencesAnswer403OverTheWire) {
  start();
  const auto audiences = audiences_path();
  const auto foreign = stats().at("store").at("nf_foreign_ids");
  for (const auto& id : foreign.as_array()) {
    const auto path = audiences + "/" + std::string(id.as_string());
    auto read = nf("GET", path);
    ASSERT_EQ(read.status, 200u);
    EXPECT_EQ(read.json().at("permissions").at("canUpdate"), false);
    auto put = nf("PUT", path, read.json());
    EXPECT_EQ(put.status, 403u);
    EXPECT_EQ(put.json().at("code"), "FORBIDDEN");
    EXPECT_EQ(nf("DELETE", path).status, 403u);
  }
}

TEST_F(SimulatorTest, EveryBrokenNeuroflashRuleIsCountedInStats) {
  start();
  const auto audiences = audiences_path();
  const std::string id(nf("POST", audiences, seed_body).json().at("id").as_string());
  nf("POST", audiences, seed_body);                                     // duplicate_create
  nf("PUT", audiences + "/" + id, json::object{{"name", "x"}});         // partial_put
  nf("POST", audiences, json::object{{"name", "no split"}});             // invalid_body
  client->request("GET", split_url(where.nf_api).path + "/workspace-service/v1/workspaces", {},
                  {{"Authorization", "Bearer guessed"}});                // bad_token
  const auto violations = stats().at("violations");
  for (auto rule : {"duplicate_create", "partial_put", "invalid_body", "bad_token"})
    EXPECT_EQ(violations.at(rule), 1) << rule;
  EXPECT_EQ(stats().at("total_violations"), 4);
  EXPECT_EQ(client->request("POST", "/__reset").status, 200u);
  EXPECT_EQ(stats().at("total_violations"), 0);
}

TEST_F(SimulatorTest, TheNeuroflashRateWindowShowsItsHeadersOverTheWire) {
  start({.nf_rate_limit = 2, .nf_rate_window = std::chrono::minutes(10)});
  token();
  for (int i = 0; i < 2; ++i) EXPECT_EQ(nf("GET", "/workspace-service/v1/workspaces").status, 200u);
  auto refused = nf("GET", "/workspace-service/v1/workspaces");
  EXPECT_EQ(refused.status, 429u);
  EXPECT_EQ(refused.header("x-rate-limit-limit"), "2");
  EXPECT_EQ(refused.header("x-rate-limit-remaining"), "0");
  EXPECT_FALSE(refused.header("x-rate-limit-reset").empty());
  EXPECT_GE(std::stoi(refused.header("retry-after")), 590);
  EXPECT_EQ(nf("GET", "/workspace-service/v1/workspaces").status, 429u);  // did not wait
  EXPECT_EQ(stats().at("violations").at("request_before_reset"), 1);
  EXPECT_EQ(ask_token().status, 200u);  // the token endpoint is not limited
}

TEST_F(SimulatorTest, InvalidJsonAndWrongTypesAreClear4xx) {
  start();
  const auto path = split_url(where.nf_api).path + audiences_path();
  const HeaderList headers{{"Authorization", "Bearer " + bearer}, {"Content-Type", "application/json"}};
  for (std::string body : {"{", "{\"name\": }", "null", "\"text\"", "[]", "{\"name\": 5}", "\xff\xfe"}) {
    auto reply = client->request("POST", path, body, headers);
    EXPECT_EQ(reply.status, 400u) << body;
    EXPECT_NO_THROW(reply.json()) << body;
  }
  EXPECT_EQ(stats().at("violations").at("invalid_body"), 7);
}

}  // namespace
}  // namespace ab::sim::test
