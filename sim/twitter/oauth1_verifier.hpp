// Checks that a request carries a valid OAuth 1.0a HMAC-SHA1 Authorization
// header (RFC 5849 §3.2) for the one client the simulator knows, and that it
// is not a replay: a (nonce, timestamp) pair is accepted once, and a
// timestamp older than `max_age` not at all.
#pragma once

#include "sim/twitter/oauth1_nonce_log.hpp"
#include "sim/twitter/oauth1_signature.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ab::sim::oauth1 {

struct Credentials {
  std::string consumer_key;
  std::string consumer_secret;
  std::string token;
  std::string token_secret;
};

struct SignedRequest {
  std::string_view method;
  std::string_view base_url;       // the URL the client signed, without its query
  const Params& params;            // query and form-body parameters, decoded
  std::string_view authorization;  // the Authorization header, empty if absent
};

enum class Refusal {
  none,
  bad_signature,   // missing, malformed, wrong credentials, wrong signature, timestamp in the future
  replayed_nonce,  // a (nonce, timestamp) pair seen before, or a timestamp older than max_age
};

struct Verdict {
  Refusal refusal = Refusal::none;
  std::string reason;  // for the 401's message; never names a secret
  bool accepted() const { return refusal == Refusal::none; }
};

// The oauth_* (and realm) parameters of an "OAuth ..." header, decoded;
// nullopt if the header is not of that scheme or not well formed (§3.5.1).
std::optional<Params> parse_authorization(std::string_view header);

class Verifier {
 public:
  explicit Verifier(Credentials credentials, std::chrono::seconds max_age = std::chrono::minutes(15));
  Verdict verify(const SignedRequest& request, std::chrono::system_clock::time_point now);
  std::size_t remembered_nonces() const { return nonces_.size(); }

 private:
  Credentials credentials_;
  std::chrono::seconds max_age_;
  NonceLog nonces_;
};

}  // namespace ab::sim::oauth1
