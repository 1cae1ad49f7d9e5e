#include "jobs/twitter/sha256.hpp"

#include <openssl/evp.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace ab::tw {

namespace {

// One context and one fetched digest per thread: a context made per value
// costs two allocations and a method look-up for 30-odd bytes of input.
// After the first value the context is only reset (EVP_DigestInit_ex2 with
// no digest keeps the one it has): about a tenth less a value than setting
// the digest again.
struct Hasher {
  std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md{EVP_MD_fetch(nullptr, "SHA256", nullptr), EVP_MD_free};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  bool ready = false;
  bool init() {
    if (!md || !ctx) return false;
    ready = EVP_DigestInit_ex2(ctx.get(), ready ? nullptr : md.get(), nullptr) == 1;
    return ready;
  }
};

bool is_hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  thread_local Hasher hasher;
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  if (!hasher.init() || EVP_DigestUpdate(hasher.ctx.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(hasher.ctx.get(), digest.data(), &length) != 1 || length != digest.size())
    throw std::runtime_error("OpenSSL could not compute SHA-256");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(kSha256HexLength, '0');
  for (std::size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return out;
}

bool is_sha256_hex(std::string_view text) {
  if (text.size() != kSha256HexLength) return false;
  for (char c : text)
    if (!is_hex_digit(c)) return false;
  return true;
}

}  // namespace ab::tw
