#include "jobs/twitter/nonce.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <string_view>

namespace ab::tw {

namespace {
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// The largest multiple of 62 that fits in a byte: bytes at or above it are
// drawn again, so that every letter is equally likely.
constexpr unsigned kUnbiasedLimit = 256 - 256 % kAlphabet.size();
}  // namespace

std::string crypto_nonce() {
  std::string nonce;
  nonce.reserve(kNonceLength);
  std::array<unsigned char, 64> bytes{};
  while (nonce.size() < kNonceLength) {
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
      throw std::runtime_error("OpenSSL RAND_bytes failed: cannot make an OAuth nonce");
    for (const unsigned char b : bytes) {
      if (b >= kUnbiasedLimit) continue;
      nonce += kAlphabet[b % kAlphabet.size()];
      if (nonce.size() == kNonceLength) break;
    }
  }
  return nonce;
}

std::string SeededNonces::operator()() {
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string nonce(kNonceLength, '0');
  for (char& c : nonce) c = kAlphabet[pick(random_)];
  return nonce;
}

}  // namespace ab::tw
