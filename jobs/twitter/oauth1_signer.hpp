// OAuth 1.0a request signing (RFC 5849, HMAC-SHA1) as the X Ads API requires
// it. The pure functions build the signature base string, the signature and
// the Authorization header from explicit inputs; OAuth1Authenticator gives the
// engine a fresh nonce and timestamp for every attempt.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/send/api.hpp"
#include "engine/run/clock.hpp"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ab::tw {

struct OAuth1Credentials {
  std::string consumer_key;
  std::string consumer_secret;
  std::string token;
  std::string token_secret;
};

// What makes one signature unique: never reuse a nonce.
struct OAuth1Stamp {
  std::string nonce;
  std::int64_t timestamp = 0;  // seconds since the epoch
};

using Params = std::vector<std::pair<std::string, std::string>>;

// RFC 5849 §3.4.1.2: scheme and host in lower case, default port dropped, no
// query or fragment. Throws std::invalid_argument for a URL that is not absolute.
std::string base_string_uri(std::string_view url);

// RFC 5849 §3.4.1: METHOD&enc(base URI)&enc(normalised parameters), where the
// parameters are the URL's query, `params` (oauth_* and form-body ones),
// each encoded, sorted by name then value.
std::string signature_base_string(std::string_view method, std::string_view url, const Params& params);

// base64(HMAC-SHA1(key = enc(consumer_secret)&enc(token_secret), base_string)).
std::string hmac_sha1_signature(std::string_view base_string, std::string_view consumer_secret,
                                std::string_view token_secret);

// The Authorization header value for one request. `form_body` is the body of
// an application/x-www-form-urlencoded request (its parameters are signed);
// pass "" for any other body (a JSON body is never signed).
std::string oauth1_authorization(const OAuth1Credentials& credentials, std::string_view method,
                                 std::string_view url, std::string_view form_body, const OAuth1Stamp& stamp);

class OAuth1Authenticator final : public Authenticator {
 public:
  using WallClock = std::function<SystemTime()>;
  using NonceSource = std::function<std::string()>;
  OAuth1Authenticator(OAuth1Credentials credentials, WallClock clock, NonceSource nonces);

  // Signs this attempt with a new nonce and the current time.
  Awaitable<std::string> authorization(const ApiRequest& request) override;
  // Signing never waits: always the header value.
  std::optional<std::string> authorization_now(const ApiRequest& request) override;
  // OAuth 1.0a tokens do not expire: a 401 is final.
  Awaitable<bool> renew() override;

 private:
  OAuth1Credentials credentials_;
  WallClock clock_;
  NonceSource nonces_;
};

}  // namespace ab::tw
