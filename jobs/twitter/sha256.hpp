// SHA-256 as the X Ads API wants identifiers (API.md §B8): the digest of the
// normalized value's UTF-8 bytes, no salt, 64 lower-case hex digits.
#pragma once

#include <string>
#include <string_view>

namespace ab::tw {

inline constexpr std::size_t kSha256HexLength = 64;

// sha256_hex("adsapi") == "49e0be2aeccfb51a8dee4c945c8a70a9ac500cf6f5cb08112575f74db9b1470d".
std::string sha256_hex(std::string_view bytes);

// 64 hex digits in any case: a value that is already a hash.
bool is_sha256_hex(std::string_view text);

}  // namespace ab::tw
