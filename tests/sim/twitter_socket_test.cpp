// The simulated X Ads API over real sockets, through ab::Simulator: signed
// as a client would sign for the URL the startup line announces.
#include "sim/support/oauth1_test_signer.hpp"
#include "sim/support/sim_fixture.hpp"

#include <gtest/gtest.h>

namespace ab::sim::test {
namespace {

class TwitterSocketTest : public SimulatorTest {
 protected:
  // `path` is relative to `api` ("/accounts/..."), query included; signed for `api`.
  HeaderList signed_for(const std::string& api, std::string_view method, std::string_view path) {
    const oauth1::Credentials credentials{where.consumer_key, where.consumer_secret, where.access_token,
                                          where.access_token_secret};
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return {{"Authorization", oauth1_header(method, api + std::string(path), {}, credentials,
                                            "socket-nonce-" + std::to_string(++nonces), seconds)}};
  }
  HeaderList signed_headers(std::string_view method, std::string_view path) {
    return signed_for(where.tw_api, method, path);
  }
  // Signed for `api` (any URL naming the simulator, e.g. with "localhost"),
  // sent by `through` with the Host it addresses.
  HttpReply tw_at(HttpTestClient& through, const std::string& api, std::string_view method, std::string_view path) {
    return through.request(method, split_url(api).path + std::string(path), {}, signed_for(api, method, path));
  }
  HttpReply tw(std::string_view method, std::string_view path) { return tw_at(*client, where.tw_api, method, path); }
  // tw_api is the version X serves today: custom_audiences.
  std::string audiences() const { return "/accounts/" + where.tw_account + "/custom_audiences"; }

  int nonces = 0;
};

TEST_F(TwitterSocketTest, ASignedCreateThenListFindsTheAudience) {
  start();
  const HttpReply created = tw("POST", audiences() + "?name=socket%20audience");
  ASSERT_EQ(created.status, 200u) << created.body;
  EXPECT_FALSE(created.header("x-rate-limit-remaining").empty());
  const std::string id(created.json().at("data").at("id").as_string());

  const HttpReply listed = tw("GET", audiences() + "?q=SOCKET&count=10");
  ASSERT_EQ(listed.status, 200u) << listed.body;
  const auto body = listed.json();
  const auto& data = body.at("data").as_array();
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0].at("id").as_string(), id);

  const auto stats = this->stats();
  EXPECT_EQ(stats.at("store").at("tw_creates").to_number<std::uint64_t>(), 1u);
  EXPECT_EQ(stats.at("requests").at("tw.create").at("200").to_number<std::uint64_t>(), 1u);
  EXPECT_EQ(stats.at("total_violations").to_number<std::uint64_t>(), 0u);
}

TEST_F(TwitterSocketTest, AReplayedSignatureIsRefusedAndCounted) {
  start();
  const HeaderList headers = signed_headers("GET", audiences());
  const std::string target = split_url(where.tw_api).path + audiences();
  EXPECT_EQ(client->request("GET", target, {}, headers).status, 200u);
  const HttpReply replay = client->request("GET", target, {}, headers);
  EXPECT_EQ(replay.status, 401u);
  EXPECT_EQ(replay.json().at("errors").at(0).at("code").as_string(), "INVALID_AUTH");
  EXPECT_EQ(stats().at("violations").at(rule::replayed_nonce).to_number<std::uint64_t>(), 1u);
}

TEST_F(TwitterSocketTest, TheTotalCountLimitIsTheOneConfigured) {
  start({.total_count_limit = 1});
  EXPECT_EQ(tw("GET", audiences() + "?with_total_count=true").status, 200u);
  const HttpReply refused = tw("GET", audiences() + "?with_total_count=true");
  EXPECT_EQ(refused.status, 429u);
  EXPECT_EQ(refused.header("x-rate-limit-limit"), "1");
  EXPECT_FALSE(refused.header("retry-after").empty());
  EXPECT_EQ(stats().at("violations").at(rule::total_count_over_budget).to_number<std::uint64_t>(), 1u);
}

TEST_F(TwitterSocketTest, TheStartupLineNamesTheCurrentVersionAndV8OverOneStore) {
  start();
  EXPECT_EQ(split_url(where.tw_api).path, "/tw/12");
  EXPECT_EQ(split_url(where.tw_api_v8).path, "/tw/8");
  const HttpReply created = tw_at(*client, where.tw_api_v8, "POST",
                                  "/accounts/" + where.tw_account + "/tailored_audiences?name=from%20v8");
  ASSERT_EQ(created.status, 200u) << created.body;
  const std::string id(created.json().at("data").at("id").as_string());
  const HttpReply got = tw("GET", audiences() + "/" + id);
  ASSERT_EQ(got.status, 200u) << got.body;
  EXPECT_EQ(got.json().at("data").at("name").as_string(), "from v8");
}

TEST_F(TwitterSocketTest, ARequestSignedForLocalhostOr127001PassesWhicheverTheClientCalled) {
  start();
  const auto port = split_url(where.tw_api).port;
  const std::string path = split_url(where.tw_api).path;
  HttpTestClient by_name("localhost", port);
  const HttpReply named = tw_at(by_name, "http://localhost:" + std::to_string(port) + path, "GET", audiences());
  EXPECT_EQ(named.status, 200u) << named.body;
  const HttpReply numeric = tw_at(*client, "http://127.0.0.1:" + std::to_string(port) + path, "GET", audiences());
  EXPECT_EQ(numeric.status, 200u) << numeric.body;
  // Signed for one name, sent to the other: refused.
  const HttpReply crossed = tw_at(by_name, "http://127.0.0.1:" + std::to_string(port) + path, "GET", audiences());
  EXPECT_EQ(crossed.status, 401u) << crossed.body;
  EXPECT_EQ(stats().at("violations").at(rule::bad_signature).to_number<std::uint64_t>(), 1u);
}

TEST_F(TwitterSocketTest, AThrottleFaultOnTheXSideIsXShapedWithItsFamilysHeaders) {
  start({.throttle_rate = 1.0});
  const auto before = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const HttpReply read = tw("GET", audiences() + "?count=1");
  ASSERT_EQ(read.status, 429u);
  const auto body = read.json();
  EXPECT_EQ(body.at("errors").at(0).at("code").as_string(), "TOO_MANY_REQUESTS");
  EXPECT_EQ(body.at("request").at("params").at("count").as_string(), "1");
  EXPECT_EQ(read.header("x-rate-limit-limit"), "2000");
  EXPECT_EQ(read.header("x-rate-limit-remaining"), "0");
  const auto reset = std::stoll(read.header("x-rate-limit-reset"));
  EXPECT_GT(reset, before);
  EXPECT_LE(reset, before + 3) << "a simulated throttle names a reset a second away, not a window's end";
  EXPECT_EQ(tw("POST", audiences() + "?name=x").header("x-rate-limit-limit"), "450");

  // neuroflash's side keeps neuroflash's shape.
  const HttpReply nf_throttled = nf("GET", "/workspace-service/v1/workspaces");
  ASSERT_EQ(nf_throttled.status, 429u);
  EXPECT_EQ(nf_throttled.json().at("code").as_string(), "RATE_LIMIT_EXCEEDED");
  EXPECT_FALSE(nf_throttled.has_header("x-rate-limit-limit"));
}

TEST_F(TwitterSocketTest, AnErrorFaultOnTheXSideCarriesXsErrorsArray) {
  start({.error_rate = 1.0, .retry_after_share = 1.0});
  const HttpReply failed = tw("GET", audiences());
  ASSERT_EQ(failed.status, 503u);
  EXPECT_EQ(failed.json().at("errors").at(0).at("code").as_string(), "SERVICE_UNAVAILABLE");
  EXPECT_EQ(failed.header("retry-after"), "1");
  const HttpReply nf_failed = nf("GET", "/workspace-service/v1/workspaces");
  ASSERT_EQ(nf_failed.status, 503u);
  EXPECT_EQ(nf_failed.json().at("code").as_string(), "SIMULATED_FAULT");
}

}  // namespace
}  // namespace ab::sim::test
