// The verifier against the published examples, and every way a request can
// fail it: credentials, signature, timestamps and replays.
#include "sim/twitter/oauth1_verifier.hpp"
#include "sim/support/oauth1_test_signer.hpp"

#include <gtest/gtest.h>

namespace ab::sim::oauth1 {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::system_clock;

// RFC 5849 §1.2: the photo request, as its Authorization header is printed there.
const Credentials rfc_client{"dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"};
constexpr std::string_view rfc_header =
    "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\","
    " oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131202\", oauth_nonce=\"chapoH\","
    " oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\"";
const Clock::time_point rfc_time{seconds(137131202)};

std::string rfc_header_with(std::string_view from, std::string_view to) {
  std::string header(rfc_header);
  header.replace(header.find(from), from.size(), to);
  return header;
}

class VerifierTest : public ::testing::Test {
 protected:
  Verdict verify(std::string_view header, Clock::time_point now, const Params& params = photo_params(),
                 std::string_view url = "http://photos.example.net/photos", std::string_view method = "GET") {
    return verifier.verify({method, url, params, header}, now);
  }
  static Params photo_params() { return {{"file", "vacation.jpg"}, {"size", "original"}}; }

  Verifier verifier{rfc_client};
};

TEST(TwitterOAuth1Header, ParsesTheRfcHeaderWithRealmAndEscapes) {
  const auto params = parse_authorization(std::string(rfc_header));
  ASSERT_TRUE(params.has_value());
  ASSERT_EQ(params->size(), 7u);
  EXPECT_EQ((*params)[0], (Param{"realm", "Photos"}));
  EXPECT_EQ((*params)[6], (Param{"oauth_signature", "MdpQcU8iPSUjWoN/UDMsK2sui9I="}));
}

TEST(TwitterOAuth1Header, RefusesOtherSchemesAndBrokenSyntax) {
  EXPECT_FALSE(parse_authorization("Bearer abc").has_value());
  EXPECT_FALSE(parse_authorization("OAuth").has_value());
  EXPECT_FALSE(parse_authorization("OAuthx oauth_nonce=\"a\"").has_value());
  EXPECT_FALSE(parse_authorization("OAuth oauth_nonce=a").has_value());                    // unquoted
  EXPECT_FALSE(parse_authorization("OAuth oauth_nonce=\"a").has_value());                  // unterminated
  EXPECT_FALSE(parse_authorization("OAuth oauth_nonce=\"a\" oauth_x=\"b\"").has_value());  // no comma
  EXPECT_FALSE(parse_authorization("OAuth oauth_nonce=\"%zz\"").has_value());              // broken escape
  EXPECT_TRUE(parse_authorization("oauth  oauth_nonce=\"a\" ,oauth_x=\"b\"  ").has_value());
}

TEST_F(VerifierTest, AcceptsTheRfcExample) {
  const Verdict verdict = verify(std::string(rfc_header), rfc_time);
  EXPECT_TRUE(verdict.accepted()) << verdict.reason;
}

TEST_F(VerifierTest, AcceptsTheXExampleWithItsFormBody) {
  Verifier x_verifier({"xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                       "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
                       "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"});
  const Params params{{"include_entities", "true"}, {"status", "Hello Ladies + Gentlemen, a signed OAuth request!"}};
  const std::string header =
      "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
      "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", "
      "oauth_signature=\"tnnArxj06cWHq44gCs1OSKk%2FjLY%3D\", oauth_signature_method=\"HMAC-SHA1\", "
      "oauth_timestamp=\"1318622958\", oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", "
      "oauth_version=\"1.0\"";
  const Verdict verdict = x_verifier.verify({"POST", "https://api.twitter.com/1/statuses/update.json", params, header},
                                            Clock::time_point(seconds(1318622958)));
  EXPECT_TRUE(verdict.accepted()) << verdict.reason;
}

TEST_F(VerifierTest, RefusesWhatWasNotSignedAsSent) {
  const std::string header(rfc_header);
  EXPECT_EQ(verify(header, rfc_time, {{"file", "vacation.jpg"}, {"size", "large"}}).refusal, Refusal::bad_signature);
  EXPECT_EQ(verify(header, rfc_time, photo_params(), "http://photos.example.net/other").refusal,
            Refusal::bad_signature);
  EXPECT_EQ(verify(header, rfc_time, photo_params(), "http://photos.example.net/photos", "POST").refusal,
            Refusal::bad_signature);
  // The URL is compared once normalised: case of scheme and host and a default port do not matter.
  EXPECT_TRUE(verify(header, rfc_time, photo_params(), "HTTP://Photos.Example.NET:80/photos").accepted());
}

TEST_F(VerifierTest, RefusesWrongCredentialsAndSecrets) {
  const std::string header(rfc_header);
  Verifier other_consumer({"someone-else", rfc_client.consumer_secret, rfc_client.token, rfc_client.token_secret});
  EXPECT_EQ(other_consumer.verify({"GET", "http://photos.example.net/photos", photo_params(), header}, rfc_time).reason,
            "unknown consumer key");
  Verifier other_token({rfc_client.consumer_key, rfc_client.consumer_secret, "other-token", rfc_client.token_secret});
  EXPECT_EQ(other_token.verify({"GET", "http://photos.example.net/photos", photo_params(), header}, rfc_time).reason,
            "unknown token");
  Verifier other_secret({rfc_client.consumer_key, "not-the-secret", rfc_client.token, rfc_client.token_secret});
  EXPECT_EQ(other_secret.verify({"GET", "http://photos.example.net/photos", photo_params(), header}, rfc_time).refusal,
            Refusal::bad_signature);
}

TEST_F(VerifierTest, RefusesMissingOrMalformedProtocolParameters) {
  EXPECT_EQ(verify("", rfc_time).refusal, Refusal::bad_signature);
  EXPECT_EQ(verify("Bearer token", rfc_time).refusal, Refusal::bad_signature);
  const auto reason = [&](std::string_view from, std::string_view to) {
    const Verdict verdict = verify(rfc_header_with(from, to), rfc_time);
    EXPECT_EQ(verdict.refusal, Refusal::bad_signature);
    return verdict.reason;
  };
  EXPECT_EQ(reason("oauth_nonce=\"chapoH\",", ""), "missing oauth_nonce");
  EXPECT_EQ(reason("oauth_token=\"nnch734d00sl2jdk\",", ""), "missing oauth_token");
  EXPECT_EQ(reason("HMAC-SHA1", "PLAINTEXT"), "signature method must be HMAC-SHA1");
  EXPECT_EQ(reason("\"137131202\"", "\"13713x202\""), "oauth_timestamp is not a number of seconds");
  EXPECT_EQ(reason("realm=\"Photos\"", "oauth_version=\"2.0\""), "oauth_version must be 1.0");
  EXPECT_EQ(reason("realm=\"Photos\"", "oauth_nonce=\"again\""), "repeated parameter oauth_nonce");
  EXPECT_EQ(reason("realm=\"Photos\"", "extra=\"1\""), "unknown parameter in the OAuth header");
  EXPECT_EQ(reason("MdpQcU8iPSUjWoN", "MdpQcU8iPSUjWoX"), "the signature does not match");
}

TEST_F(VerifierTest, ANonceAndTimestampPairIsAcceptedOnce) {
  const std::string header(rfc_header);
  EXPECT_TRUE(verify(header, rfc_time).accepted());
  const Verdict replay = verify(header, rfc_time + seconds(30));
  EXPECT_EQ(replay.refusal, Refusal::replayed_nonce);
  EXPECT_EQ(verifier.remembered_nonces(), 1u);
}

TEST_F(VerifierTest, AForgedRequestDoesNotSpendTheNonce) {
  const std::string header(rfc_header);
  EXPECT_EQ(verify(header, rfc_time, {{"file", "forged"}}).refusal, Refusal::bad_signature);
  EXPECT_TRUE(verify(header, rfc_time).accepted());
}

TEST_F(VerifierTest, TimestampsOutsideFifteenMinutesAreRefused) {
  const std::string header(rfc_header);
  // Old: a signature made long ago and sent again.
  EXPECT_EQ(verify(header, rfc_time + seconds(15 * 60 + 1)).refusal, Refusal::replayed_nonce);
  // From the future: a broken clock, not a replay.
  EXPECT_EQ(verify(header, rfc_time - seconds(15 * 60 + 1)).refusal, Refusal::bad_signature);
  // At the edge: still accepted.
  EXPECT_TRUE(verify(header, rfc_time + seconds(15 * 60)).accepted());
}

TEST_F(VerifierTest, NoncesAreForgottenOnceTheirTimestampIsTooOld) {
  const auto photo = [](std::string_view nonce, Clock::time_point at) {
    return test::oauth1_header("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original", {},
                               rfc_client, nonce, std::chrono::duration_cast<seconds>(at.time_since_epoch()).count());
  };
  EXPECT_TRUE(verify(photo("first", rfc_time), rfc_time).accepted());
  EXPECT_TRUE(verify(photo("second", rfc_time + seconds(60)), rfc_time + seconds(60)).accepted());
  EXPECT_EQ(verifier.remembered_nonces(), 2u);
  const auto later = rfc_time + seconds(16 * 60);
  EXPECT_TRUE(verify(photo("third", later), later).accepted());
  EXPECT_EQ(verifier.remembered_nonces(), 2u);  // "first" is older than 15 minutes: forgotten
  // and its replay is still refused, for its age.
  EXPECT_EQ(verify(photo("first", rfc_time), later).refusal, Refusal::replayed_nonce);
}

TEST(TwitterOAuth1NonceLog, RemembersPairsAndForgetsByTimestamp) {
  NonceLog log;
  EXPECT_TRUE(log.remember("a", 100));
  EXPECT_FALSE(log.remember("a", 100));
  EXPECT_TRUE(log.remember("a", 101));  // same nonce, other timestamp: another pair
  EXPECT_TRUE(log.remember("b", 200));
  log.forget_before(101);
  EXPECT_EQ(log.size(), 2u);
  EXPECT_TRUE(log.remember("a", 100));  // forgotten
  log.forget_before(1000);
  EXPECT_EQ(log.size(), 0u);
}

}  // namespace
}  // namespace ab::sim::oauth1
