// RFC 5849 signatures, pinned down by the published vectors: X's "creating a
// signature" example and the RFC's own §1.2 and §3.4.1.1 examples.
#include "sim/twitter/oauth1_signature.hpp"

#include <gtest/gtest.h>

namespace ab::sim::oauth1 {
namespace {

// X's documentation example (POST statuses/update).
const Params x_example_params{
    {"include_entities", "true"},
    {"status", "Hello Ladies + Gentlemen, a signed OAuth request!"},
    {"oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"},
    {"oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"},
    {"oauth_signature_method", "HMAC-SHA1"},
    {"oauth_timestamp", "1318622958"},
    {"oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"},
    {"oauth_version", "1.0"},
};
constexpr std::string_view x_consumer_secret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
constexpr std::string_view x_token_secret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";

TEST(TwitterOAuth1Signature, XExampleBaseStringMatchesTheDocs) {
  EXPECT_EQ(signature_base_string("POST", "https://api.twitter.com/1.1/statuses/update.json", x_example_params),
            "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26"
            "oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26"
            "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-"
            "GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520"
            "Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521");
}

TEST(TwitterOAuth1Signature, XExampleSignatureForApi11) {
  const auto base = signature_base_string("POST", "https://api.twitter.com/1.1/statuses/update.json", x_example_params);
  EXPECT_EQ(hmac_sha1_signature(base, x_consumer_secret, x_token_secret), "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
}

TEST(TwitterOAuth1Signature, XExampleSignatureForApi1) {
  const auto base = signature_base_string("POST", "https://api.twitter.com/1/statuses/update.json", x_example_params);
  EXPECT_EQ(hmac_sha1_signature(base, x_consumer_secret, x_token_secret), "tnnArxj06cWHq44gCs1OSKk/jLY=");
}

TEST(TwitterOAuth1Signature, Rfc5849Section1_2Example) {
  Params params = decode_form("file=vacation.jpg&size=original").value();
  params.insert(params.end(), {{"oauth_consumer_key", "dpf43f3p2l4k3l03"},
                               {"oauth_token", "nnch734d00sl2jdk"},
                               {"oauth_signature_method", "HMAC-SHA1"},
                               {"oauth_timestamp", "137131202"},
                               {"oauth_nonce", "chapoH"}});
  const auto base = signature_base_string("GET", "http://photos.example.net/photos", params);
  EXPECT_EQ(
      base,
      "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26"
      "oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26"
      "oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal");
  EXPECT_EQ(hmac_sha1_signature(base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"), "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
}

// §3.4.1.1's example: repeated names, an empty value, a name without "=",
// "+" as a space in the form body, escapes inside escapes.
TEST(TwitterOAuth1Signature, Rfc5849Section3_4_1_1NormalisesEveryParameterKind) {
  Params params = decode_form("b5=%3D%253D&a3=a&c%40=&a2=r%20b").value();
  const Params form = decode_form("c2&a3=2+q").value();
  params.insert(params.end(), form.begin(), form.end());
  params.insert(params.end(), {{"oauth_consumer_key", "9djdj82h48djs9d2"},
                               {"oauth_token", "kkk9d7dh3k39sjv7"},
                               {"oauth_signature_method", "HMAC-SHA1"},
                               {"oauth_timestamp", "137131201"},
                               {"oauth_nonce", "7d8f3e4a"}});
  EXPECT_EQ(signature_base_string("post", *normalise_base_url("http://EXAMPLE.COM:80/request"), params),
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26"
            "c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26"
            "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7");
}

TEST(TwitterOAuth1Signature, PercentEncodesAllButUnreservedInUpperCaseHex) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode("a b+c/d=e&f*"), "a%20b%2Bc%2Fd%3De%26f%2A");
  EXPECT_EQ(percent_encode("\xE2\x98\x83"), "%E2%98%83");  // U+2603, byte by byte
  EXPECT_EQ(percent_encode(""), "");
}

TEST(TwitterOAuth1Signature, DecodesFormsAndRefusesBrokenEscapes) {
  const Params decoded = decode_form("name=a+b%2Bc&empty=&flag").value();
  ASSERT_EQ(decoded.size(), 3u);
  EXPECT_EQ(decoded[0], (Param{"name", "a b+c"}));
  EXPECT_EQ(decoded[1], (Param{"empty", ""}));
  EXPECT_EQ(decoded[2], (Param{"flag", ""}));
  EXPECT_TRUE(decode_form("").value().empty());
  EXPECT_FALSE(decode_form("name=%4").has_value());
  EXPECT_FALSE(decode_form("name=%zz").has_value());
}

TEST(TwitterOAuth1Signature, NormalisesTheBaseUrl) {
  EXPECT_EQ(normalise_base_url("HTTP://Example.COM:80/Path/x"), "http://example.com/Path/x");
  EXPECT_EQ(normalise_base_url("https://example.com:443"), "https://example.com/");
  EXPECT_EQ(normalise_base_url("https://example.com:8443/a"), "https://example.com:8443/a");
  EXPECT_EQ(normalise_base_url("http://127.0.0.1:8181/tw/8/accounts"), "http://127.0.0.1:8181/tw/8/accounts");
  EXPECT_FALSE(normalise_base_url("/relative/path").has_value());
  EXPECT_FALSE(normalise_base_url("ftp://example.com/").has_value());
}

TEST(TwitterOAuth1Signature, ConstantTimeEqualComparesWholeStrings) {
  EXPECT_TRUE(constant_time_equal("abc=", "abc="));
  EXPECT_FALSE(constant_time_equal("abc=", "abd="));
  EXPECT_FALSE(constant_time_equal("abc", "abc="));
  EXPECT_TRUE(constant_time_equal("", ""));
}

}  // namespace
}  // namespace ab::sim::oauth1
