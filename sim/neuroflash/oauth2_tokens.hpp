// An OAuth2 client-credentials token endpoint (API.md §A1): access tokens are
// random, valid for a fixed lifetime, then refused. Time is passed in.
#pragma once

#include "sim/http/api_handler.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ab::sim {

enum class TokenState { valid, expired, unknown };

class TokenIssuer {
 public:
  TokenIssuer(std::chrono::seconds ttl, std::uint64_t seed);
  std::string issue(SystemTime now);
  TokenState check(std::string_view token, SystemTime now) const;
  std::chrono::seconds ttl() const { return ttl_; }

 private:
  void forget_long_expired(SystemTime now);

  std::chrono::seconds ttl_;
  std::mt19937_64 random_;
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, SystemTime, TextHash, std::equal_to<>> expiry_;
};

struct ClientCredentials {
  std::string client_id;
  std::string client_secret;
};

// Answers POST token_path: a form-encoded body with grant_type=client_credentials,
// client_id, client_secret and scope=openid. Errors in RFC 6749's shape
// ({"error": "invalid_client"}, ...): 401 for wrong credentials, 400 for a bad
// request, 405 for another method.
Response answer_token_request(const Request& request, const ClientCredentials& expected, TokenIssuer& tokens,
                              SystemTime now);

}  // namespace ab::sim
