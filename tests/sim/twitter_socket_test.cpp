// The simulated X Ads API over real sockets, through ab::Simulator: signed
// as a client would sign for the URL the startup line announces.
#include "sim/support/oauth1_test_signer.hpp"
#include "sim/support/sim_fixture.hpp"

#include <gtest/gtest.h>

namespace ab::sim::test {
namespace {

class TwitterSocketTest : public SimulatorTest {
 protected:
  // `path` is relative to the announced tw_api ("/accounts/..."), query included.
  HeaderList signed_headers(std::string_view method, std::string_view path) {
    const oauth1::Credentials credentials{where.consumer_key, where.consumer_secret, where.access_token,
                                          where.access_token_secret};
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return {{"Authorization", oauth1_header(method, where.tw_api + std::string(path), {}, credentials,
                                            "socket-nonce-" + std::to_string(++nonces), seconds)}};
  }
  HttpReply tw(std::string_view method, std::string_view path) {
    return client->request(method, split_url(where.tw_api).path + std::string(path), {}, signed_headers(method, path));
  }
  std::string audiences() const { return "/accounts/" + where.tw_account + "/tailored_audiences"; }

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

}  // namespace
}  // namespace ab::sim::test
