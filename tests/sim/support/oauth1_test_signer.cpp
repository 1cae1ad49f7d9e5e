#include "sim/support/oauth1_test_signer.hpp"

#include "sim/http/http_target.hpp"

#include <boost/beast/http/field.hpp>

namespace ab::sim::test {

std::string oauth1_header(std::string_view method, std::string_view url, const oauth1::Params& form,
                          const oauth1::Credentials& credentials, std::string_view nonce, std::int64_t timestamp) {
  const oauth1::Params protocol{{"oauth_consumer_key", credentials.consumer_key},
                                {"oauth_nonce", std::string(nonce)},
                                {"oauth_signature_method", "HMAC-SHA1"},
                                {"oauth_timestamp", std::to_string(timestamp)},
                                {"oauth_token", credentials.token},
                                {"oauth_version", "1.0"}};
  oauth1::Params all = oauth1::decode_form(query_of(url)).value();
  all.insert(all.end(), form.begin(), form.end());
  all.insert(all.end(), protocol.begin(), protocol.end());
  const std::string base = oauth1::signature_base_string(method, oauth1::normalise_base_url(path_of(url)).value(), all);
  const std::string signature =
      oauth1::hmac_sha1_signature(base, credentials.consumer_secret, credentials.token_secret);
  std::string header = "OAuth ";
  for (const auto& [name, value] : protocol) header += name + "=\"" + oauth1::percent_encode(value) + "\", ";
  return header + "oauth_signature=\"" + oauth1::percent_encode(signature) + "\"";
}

void TestSigner::sign(Request& request, std::string_view api_base, std::string_view public_base_url, SystemTime now) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  sign(request, api_base, public_base_url, "test-nonce-" + std::to_string(++nonces_), seconds);
}

void TestSigner::sign(Request& request, std::string_view api_base, std::string_view public_base_url,
                      std::string_view nonce, std::int64_t timestamp) {
  std::string_view target = request.target();
  if (target.starts_with(api_base)) target.remove_prefix(api_base.size());
  oauth1::Params form;
  if (request[boost::beast::http::field::content_type] == "application/x-www-form-urlencoded")
    form = oauth1::decode_form(request.body()).value();
  const std::string url = std::string(public_base_url) + std::string(target);
  request.set(boost::beast::http::field::authorization,
              oauth1_header(request.method_string(), url, form, credentials_, nonce, timestamp));
}

}  // namespace ab::sim::test
