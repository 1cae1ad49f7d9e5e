#include "jobs/twitter/oauth1_signer.hpp"

#include "engine/run/coroutine.hpp"

#include "jobs/twitter/percent_encoding.hpp"
#include "jobs/twitter/text.hpp"

#include <boost/beast/http/verb.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace ab::tw {

namespace {

bool is_default_port(std::string_view scheme, std::string_view port) {
  return port.empty() || (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
}

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool is_form(std::string_view content_type) {
  return ascii_lower(content_type.substr(0, content_type.find(';'))) == "application/x-www-form-urlencoded";
}

}  // namespace

std::string base_string_uri(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || !parsed->has_authority()) throw std::invalid_argument("not an absolute URL");
  const std::string scheme = ascii_lower(parsed->scheme());
  std::string out = scheme + "://" + ascii_lower(parsed->encoded_host());
  if (!is_default_port(scheme, parsed->port())) {
    out += ':';
    out += parsed->port();
  }
  const std::string_view path = parsed->encoded_path();
  out += path.empty() ? std::string_view{"/"} : path;
  return out;
}

std::string signature_base_string(std::string_view method, std::string_view url, const Params& params) {
  std::vector<std::pair<std::string, std::string>> encoded;
  const auto query_start = url.find('?');
  if (query_start != std::string_view::npos) {
    auto query = url.substr(query_start + 1);
    query = query.substr(0, query.find('#'));
    for (const auto& [name, value] : parse_form(query)) encoded.emplace_back(percent_encode(name), percent_encode(value));
  }
  for (const auto& [name, value] : params) encoded.emplace_back(percent_encode(name), percent_encode(value));
  std::sort(encoded.begin(), encoded.end());

  std::string normalized;
  for (const auto& [name, value] : encoded) {
    if (!normalized.empty()) normalized += '&';
    normalized += name;
    normalized += '=';
    normalized += value;
  }
  std::string out(method);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  out += '&';
  out += percent_encode(base_string_uri(url));
  out += '&';
  out += percent_encode(normalized);
  return out;
}

std::string hmac_sha1_signature(std::string_view base_string, std::string_view consumer_secret,
                                std::string_view token_secret) {
  const std::string key = percent_encode(consumer_secret) + '&' + percent_encode(token_secret);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (!HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(base_string.data()), base_string.size(), digest.data(), &size))
    throw std::runtime_error("OpenSSL HMAC-SHA1 failed");
  return base64(digest.data(), size);
}

std::string oauth1_authorization(const OAuth1Credentials& credentials, std::string_view method,
                                 std::string_view url, std::string_view form_body, const OAuth1Stamp& stamp) {
  Params oauth = {
      {"oauth_consumer_key", credentials.consumer_key},
      {"oauth_nonce", stamp.nonce},
      {"oauth_signature_method", "HMAC-SHA1"},
      {"oauth_timestamp", std::to_string(stamp.timestamp)},
      {"oauth_version", "1.0"},
  };
  if (!credentials.token.empty()) oauth.emplace_back("oauth_token", credentials.token);

  Params signed_params = oauth;
  for (auto& param : parse_form(form_body)) signed_params.push_back(std::move(param));
  const std::string base = signature_base_string(method, url, signed_params);
  oauth.emplace_back("oauth_signature", hmac_sha1_signature(base, credentials.consumer_secret, credentials.token_secret));
  std::sort(oauth.begin(), oauth.end());

  std::string header = "OAuth ";
  for (std::size_t i = 0; i < oauth.size(); ++i) {
    if (i) header += ", ";
    header += oauth[i].first;
    header += "=\"";
    header += percent_encode(oauth[i].second);
    header += '"';
  }
  return header;
}

OAuth1Authenticator::OAuth1Authenticator(OAuth1Credentials credentials, WallClock clock, NonceSource nonces)
    : credentials_(std::move(credentials)), clock_(std::move(clock)), nonces_(std::move(nonces)) {}

std::optional<std::string> OAuth1Authenticator::authorization_now(const ApiRequest& request) {
  const OAuth1Stamp stamp{
      nonces_(),
      std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count(),
  };
  const std::string_view form = is_form(request.content_type) ? std::string_view{request.body} : std::string_view{};
  return oauth1_authorization(credentials_, boost::beast::http::to_string(request.method), request.url, form, stamp);
}

Awaitable<std::string> OAuth1Authenticator::authorization(const ApiRequest& request) {
  co_return *authorization_now(request);
}

Awaitable<bool> OAuth1Authenticator::renew() { co_return false; }

}  // namespace ab::tw
