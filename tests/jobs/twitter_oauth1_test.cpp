// OAuth 1.0a against the public vectors (X's "Creating a signature" example,
// RFC 5849 §1.2), and the property the official SDKs lack: every attempt is
// signed anew, with its own nonce and the current time.
#include "jobs/twitter/nonce.hpp"
#include "jobs/twitter/oauth1_signer.hpp"
#include "jobs/twitter/percent_encoding.hpp"
#include "support/scripted_api.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace ab::tw {
namespace {

using ab::testing::run_sync;

const OAuth1Credentials kXDocs{"xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                               "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
                               "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"};
const OAuth1Stamp kXDocsStamp{"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", 1318622958};
constexpr const char* kXDocsBody = "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21";

// The oauth_signature value of an Authorization header, still encoded.
std::string signature_in(const std::string& header) {
  const std::string key = "oauth_signature=\"";
  const auto at = header.find(key);
  if (at == std::string::npos) return {};
  const auto start = at + key.size();
  return header.substr(start, header.find('"', start) - start);
}

std::string value_in(const std::string& header, const std::string& name) {
  const std::string key = name + "=\"";
  const auto at = header.find(key);
  if (at == std::string::npos) return {};
  const auto start = at + key.size();
  return header.substr(start, header.find('"', start) - start);
}

TEST(TwitterOAuth1, XDocsExampleBaseString) {
  Params params = {{"oauth_consumer_key", kXDocs.consumer_key}, {"oauth_nonce", kXDocsStamp.nonce},
                   {"oauth_signature_method", "HMAC-SHA1"},      {"oauth_timestamp", "1318622958"},
                   {"oauth_token", kXDocs.token},                {"oauth_version", "1.0"},
                   {"status", "Hello Ladies + Gentlemen, a signed OAuth request!"}};
  EXPECT_EQ(signature_base_string("POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true", params),
            "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26"
            "oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26"
            "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-"
            "GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520"
            "Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521");
}

TEST(TwitterOAuth1, XDocsSignatureForApi11) {
  const auto header = oauth1_authorization(kXDocs, "POST",
                                           "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
                                           kXDocsBody, kXDocsStamp);
  EXPECT_EQ(percent_decode(signature_in(header), false), "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
}

TEST(TwitterOAuth1, XDocsSignatureAndHeaderForApi1) {
  const auto header = oauth1_authorization(kXDocs, "POST",
                                           "https://api.twitter.com/1/statuses/update.json?include_entities=true",
                                           kXDocsBody, kXDocsStamp);
  EXPECT_EQ(header,
            "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
            "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", "
            "oauth_signature=\"tnnArxj06cWHq44gCs1OSKk%2FjLY%3D\", oauth_signature_method=\"HMAC-SHA1\", "
            "oauth_timestamp=\"1318622958\", oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", "
            "oauth_version=\"1.0\"");
}

TEST(TwitterOAuth1, Rfc5849Section12Example) {
  // The RFC's request carries no oauth_version, so it is signed through the parts.
  Params params = {{"oauth_consumer_key", "dpf43f3p2l4k3l03"}, {"oauth_token", "nnch734d00sl2jdk"},
                   {"oauth_signature_method", "HMAC-SHA1"},    {"oauth_timestamp", "137131202"},
                   {"oauth_nonce", "chapoH"}};
  const auto base = signature_base_string("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original", params);
  EXPECT_EQ(base,
            "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26"
            "oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26"
            "oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal");
  EXPECT_EQ(hmac_sha1_signature(base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"), "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
}

TEST(TwitterOAuth1, BaseUriIsNormalised) {
  EXPECT_EQ(base_string_uri("HTTP://Example.COM:80/r%20v/X?id=123#frag"), "http://example.com/r%20v/X");
  EXPECT_EQ(base_string_uri("https://www.example.net:8080/?q=1"), "https://www.example.net:8080/");
  EXPECT_EQ(base_string_uri("https://ads-api.twitter.com:443/8/accounts"), "https://ads-api.twitter.com/8/accounts");
  EXPECT_EQ(base_string_uri("http://127.0.0.1:8080"), "http://127.0.0.1:8080/");
  EXPECT_THROW(base_string_uri("/relative/path"), std::invalid_argument);
}

TEST(TwitterOAuth1, ParametersSortByEncodedNameThenValue) {
  // RFC 5849 §3.4.1.3.2: duplicates sort by value; names compare after encoding.
  const auto base = signature_base_string("GET", "https://x.test/p?b=2&a=3&a=1&a%20b=z", {{"c", "~"}});
  EXPECT_EQ(base, "GET&https%3A%2F%2Fx.test%2Fp&a%3D1%26a%3D3%26a%2520b%3Dz%26b%3D2%26c%3D~");
}

TEST(TwitterOAuth1, PercentEncodingIsRfc3986) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode("a b+c/d=e&f*"), "a%20b%2Bc%2Fd%3De%26f%2A");
  EXPECT_EQ(percent_encode("\xE2\x98\x83"), "%E2%98%83");
  EXPECT_EQ(percent_decode("a+b%20c%2b", true), "a b c+");
  EXPECT_EQ(percent_decode("a+b%2", false), "a+b%2");
}

TEST(TwitterOAuth1, JsonBodyIsNotSignedButFormBodyIs) {
  auto sign = [](std::string body, std::string content_type) {
    OAuth1Authenticator auth(kXDocs, [] { return SystemTime{std::chrono::seconds{1318622958}}; },
                             [] { return std::string("fixednonce"); });
    ApiRequest r;
    r.method = boost::beast::http::verb::post;
    r.url = "https://ads.test/8/batch/accounts/a/tailored_audiences";
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    return signature_in(run_sync(auth.authorization(r)));
  };
  const auto without_body = sign("", "");
  EXPECT_EQ(sign(R"([{"operation_type":"Create"}])", "application/json"), without_body);
  EXPECT_NE(sign("name=a", "application/x-www-form-urlencoded; charset=utf-8"), without_body);
}

TEST(TwitterOAuth1, EveryAttemptGetsAFreshNonceAndTheCurrentTime) {
  SystemTime now{std::chrono::seconds{1700000000}};
  OAuth1Authenticator auth(kXDocs, [&now] { return now; }, SeededNonces(1));
  ApiRequest r;
  r.url = "https://ads.test/8/accounts/a/tailored_audiences?count=1";

  std::set<std::string> nonces, signatures;
  for (int attempt = 0; attempt < 50; ++attempt) {
    const auto header = run_sync(auth.authorization(r));
    nonces.insert(value_in(header, "oauth_nonce"));
    signatures.insert(signature_in(header));
    EXPECT_EQ(value_in(header, "oauth_timestamp"), std::to_string(1700000000 + attempt));
    now += std::chrono::seconds(1);
  }
  EXPECT_EQ(nonces.size(), 50u);
  EXPECT_EQ(signatures.size(), 50u);
  EXPECT_FALSE(run_sync(auth.renew())) << "OAuth 1.0a has nothing to renew: a 401 is final";
}

TEST(TwitterOAuth1, NoncesAreLongAlphanumericAndDistinct) {
  auto alnum = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c); });
  };
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const auto n = crypto_nonce();
    EXPECT_EQ(n.size(), kNonceLength);
    EXPECT_TRUE(alnum(n)) << n;
    seen.insert(n);
  }
  EXPECT_EQ(seen.size(), 200u);

  SeededNonces a(9), b(9);
  const auto first = a();
  EXPECT_EQ(first, b()) << "a seeded source is reproducible";
  EXPECT_TRUE(alnum(first));
  EXPECT_NE(first, a());
}

}  // namespace
}  // namespace ab::tw
