#include "sim/twitter/oauth1_verifier.hpp"

#include <boost/url/pct_string_view.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

namespace ab::sim::oauth1 {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

void skip_spaces(std::string_view& text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
}

std::optional<std::string> percent_decode(std::string_view text) {
  auto checked = boost::urls::make_pct_string_view(text);
  if (!checked) return std::nullopt;
  return checked->decode();
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

Verdict refuse(Refusal refusal, std::string reason) { return {refusal, std::move(reason)}; }

}  // namespace

std::optional<Params> parse_authorization(std::string_view header) {
  skip_spaces(header);
  constexpr std::string_view scheme = "OAuth";
  if (header.size() <= scheme.size() || !iequals(header.substr(0, scheme.size()), scheme) ||
      (header[scheme.size()] != ' ' && header[scheme.size()] != '\t'))
    return std::nullopt;
  header.remove_prefix(scheme.size());
  Params params;
  for (;;) {
    skip_spaces(header);
    if (header.empty()) break;
    const auto equals = header.find('=');
    if (equals == std::string_view::npos || equals == 0) return std::nullopt;
    auto name = percent_decode(header.substr(0, equals));
    header.remove_prefix(equals + 1);
    if (header.empty() || header.front() != '"') return std::nullopt;
    header.remove_prefix(1);
    const auto quote = header.find('"');
    if (quote == std::string_view::npos) return std::nullopt;
    auto value = percent_decode(header.substr(0, quote));
    if (!name || !value) return std::nullopt;
    params.emplace_back(std::move(*name), std::move(*value));
    header.remove_prefix(quote + 1);
    skip_spaces(header);
    if (header.empty()) break;
    if (header.front() != ',') return std::nullopt;
    header.remove_prefix(1);
  }
  if (params.empty()) return std::nullopt;
  return params;
}

Verifier::Verifier(Credentials credentials, std::chrono::seconds max_age)
    : credentials_(std::move(credentials)), max_age_(max_age) {}

Verdict Verifier::verify(const SignedRequest& request, std::chrono::system_clock::time_point now) {
  if (request.authorization.empty()) return refuse(Refusal::bad_signature, "no Authorization header");
  auto header = parse_authorization(request.authorization);
  if (!header) return refuse(Refusal::bad_signature, "the Authorization header is not a well-formed OAuth header");

  // The protocol parameters, each at most once (§3.1); realm is not signed (§3.4.1.3.1).
  std::map<std::string, std::string, std::less<>> protocol;
  Params signed_params = request.params;
  for (auto& [name, value] : *header) {
    if (name == "realm") continue;
    if (!name.starts_with("oauth_")) return refuse(Refusal::bad_signature, "unknown parameter in the OAuth header");
    if (!protocol.emplace(name, value).second) return refuse(Refusal::bad_signature, "repeated parameter " + name);
    if (name != "oauth_signature") signed_params.emplace_back(name, value);
  }
  const auto field = [&](std::string_view name) -> std::string_view {
    auto it = protocol.find(name);
    return it == protocol.end() ? std::string_view() : std::string_view(it->second);
  };
  for (std::string_view required : {"oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_timestamp",
                                    "oauth_nonce", "oauth_signature"}) {
    if (field(required).empty()) return refuse(Refusal::bad_signature, "missing " + std::string(required));
  }
  if (field("oauth_signature_method") != "HMAC-SHA1")
    return refuse(Refusal::bad_signature, "signature method must be HMAC-SHA1");
  if (protocol.contains("oauth_version") && field("oauth_version") != "1.0")
    return refuse(Refusal::bad_signature, "oauth_version must be 1.0");
  if (field("oauth_consumer_key") != credentials_.consumer_key)
    return refuse(Refusal::bad_signature, "unknown consumer key");
  if (field("oauth_token") != credentials_.token) return refuse(Refusal::bad_signature, "unknown token");

  const auto timestamp = parse_timestamp(field("oauth_timestamp"));
  if (!timestamp) return refuse(Refusal::bad_signature, "oauth_timestamp is not a number of seconds");
  const std::int64_t now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (*timestamp < now_seconds - max_age_.count())
    return refuse(Refusal::replayed_nonce, "oauth_timestamp is too old: a request is signed afresh for every attempt");
  if (*timestamp > now_seconds + max_age_.count())
    return refuse(Refusal::bad_signature, "oauth_timestamp is in the future");

  const auto base_url = normalise_base_url(request.base_url);
  if (!base_url) return refuse(Refusal::bad_signature, "the request's URL cannot be signed");
  const std::string expected = hmac_sha1_signature(signature_base_string(request.method, *base_url, signed_params),
                                                   credentials_.consumer_secret, credentials_.token_secret);
  if (!constant_time_equal(expected, field("oauth_signature")))
    return refuse(Refusal::bad_signature, "the signature does not match");

  // Only a valid request spends its nonce: a forged one must not block the real client.
  nonces_.forget_before(now_seconds - max_age_.count());
  if (!nonces_.remember(field("oauth_nonce"), *timestamp))
    return refuse(Refusal::replayed_nonce, "this oauth_nonce and oauth_timestamp were already used");
  return {};
}

}  // namespace ab::sim::oauth1
