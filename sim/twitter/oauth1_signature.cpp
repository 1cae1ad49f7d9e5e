#include "sim/twitter/oauth1_signature.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>

namespace ab::sim::oauth1 {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string base64(const unsigned char* bytes, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

}  // namespace

std::string percent_encode(std::string_view text) {
  // Boost.URL writes upper-case hex digits and leaves a space as %20, as §3.6 requires.
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::optional<Params> decode_form(std::string_view encoded) {
  // Split by hand: Boost 1.81's parse_query measures its input with strlen,
  // reading past a target or body that is not NUL-terminated.
  boost::urls::encoding_opts plus_is_space;
  plus_is_space.space_as_plus = true;
  const auto decode = [&](std::string_view text) -> std::optional<std::string> {
    auto checked = boost::urls::make_pct_string_view(text);
    if (!checked) return std::nullopt;
    return checked->decode(plus_is_space);
  };
  Params params;
  while (!encoded.empty()) {
    const auto amp = encoded.find('&');
    const std::string_view pair = encoded.substr(0, amp);
    encoded.remove_prefix(amp == std::string_view::npos ? encoded.size() : amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2"
    const auto equals = pair.find('=');
    auto name = decode(pair.substr(0, equals));
    auto value = decode(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
    if (!name || !value) return std::nullopt;
    params.emplace_back(std::move(*name), std::move(*value));
  }
  return params;
}

std::optional<std::string> normalise_base_url(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || !parsed->has_authority()) return std::nullopt;
  const std::string scheme = lower(parsed->scheme());
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string out = scheme + "://" + lower(parsed->encoded_host());
  if (parsed->has_port()) {
    const std::string_view port = parsed->port();
    const bool default_port = (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
    if (!default_port) out.append(":").append(port);
  }
  const std::string_view path = parsed->encoded_path();
  out.append(path.empty() ? std::string_view("/") : path);
  return out;
}

std::string signature_base_string(std::string_view method, std::string_view base_url, const Params& params) {
  // §3.4.1.3.2: encode each name and value, sort by name then value, join.
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto& [name, value] : params) encoded.emplace_back(percent_encode(name), percent_encode(value));
  std::sort(encoded.begin(), encoded.end());
  std::string normalised;
  for (const auto& [name, value] : encoded) {
    if (!normalised.empty()) normalised += '&';
    normalised.append(name).append("=").append(value);
  }
  std::string base;
  base.reserve(method.size() + base_url.size() + normalised.size() * 3 / 2 + 2);
  std::transform(method.begin(), method.end(), std::back_inserter(base),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  base.append("&").append(percent_encode(base_url)).append("&").append(percent_encode(normalised));
  return base;
}

std::string hmac_sha1_signature(std::string_view base_string, std::string_view consumer_secret,
                                std::string_view token_secret) {
  const std::string key = percent_encode(consumer_secret) + "&" + percent_encode(token_secret);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(base_string.data()),
       base_string.size(), digest, &digest_size);
  return base64(digest, digest_size);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace ab::sim::oauth1
