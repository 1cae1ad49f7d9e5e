// OAuth 1.0a nonces: a new one for every attempt, so that no signed request is
// ever replayed (the official SDKs sign once and resend the same nonce).
#pragma once

#include "engine/run/clock.hpp"

#include <cstdint>
#include <string>

namespace ab::tw {

inline constexpr std::size_t kNonceLength = 32;

// kNonceLength alphanumerics from OpenSSL's CSPRNG. Throws std::runtime_error
// when the CSPRNG cannot deliver (it never should on Linux).
std::string crypto_nonce();

// kNonceLength alphanumerics drawn from a seeded generator: deterministic, for tests.
class SeededNonces {
 public:
  explicit SeededNonces(std::uint64_t seed) : random_(seed) {}
  std::string operator()();

 private:
  Random random_;
};

}  // namespace ab::tw
