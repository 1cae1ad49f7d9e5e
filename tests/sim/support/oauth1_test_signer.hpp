// A client's side of OAuth 1.0a for the simulator's tests: signs a request
// for the URL a client sees, with a fresh nonce per request (or a given one,
// to replay). Built on the simulator's base-string and HMAC functions, which
// the published test vectors pin down independently.
#pragma once

#include "sim/http/api_handler.hpp"
#include "sim/twitter/oauth1_verifier.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace ab::sim::test {

// The Authorization header value for a request to `url` (absolute, with its
// query) whose form-body parameters are `form`.
std::string oauth1_header(std::string_view method, std::string_view url, const oauth1::Params& form,
                          const oauth1::Credentials& credentials, std::string_view nonce, std::int64_t timestamp);

class TestSigner {
 public:
  explicit TestSigner(oauth1::Credentials credentials) : credentials_(std::move(credentials)) {}

  // Sets request's Authorization header as a client that reaches the server
  // at `public_base_url` + (target without `api_base`) would.
  void sign(Request& request, std::string_view api_base, std::string_view public_base_url, SystemTime now);
  // The same with a chosen nonce and timestamp (for replays and stale requests).
  void sign(Request& request, std::string_view api_base, std::string_view public_base_url, std::string_view nonce,
            std::int64_t timestamp);

  oauth1::Credentials& credentials() { return credentials_; }

 private:
  oauth1::Credentials credentials_;
  std::uint64_t nonces_ = 0;
};

}  // namespace ab::sim::test
