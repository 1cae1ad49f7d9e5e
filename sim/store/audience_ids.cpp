#include "sim/store/audience_ids.hpp"

#include <array>

namespace ab::sim {

namespace {

// splitmix64's finaliser: a bijection of 64-bit numbers, and its inverse.
constexpr std::uint64_t m1 = 0xbf58476d1ce4e5b9ULL;
constexpr std::uint64_t m2 = 0x94d049bb133111ebULL;

constexpr std::uint64_t inverse_of(std::uint64_t odd) {
  std::uint64_t inverse = odd;  // Newton: each step doubles the correct low bits
  for (int i = 0; i < 6; ++i) inverse *= 2 - odd * inverse;
  return inverse;
}

constexpr std::uint64_t undo_shift_xor(std::uint64_t x, unsigned shift) {
  std::uint64_t y = x;
  for (unsigned done = shift; done < 64; done += shift) y = x ^ (y >> shift);
  return y;
}

constexpr std::uint64_t scramble(std::uint64_t x) {
  x = (x ^ (x >> 30)) * m1;
  x = (x ^ (x >> 27)) * m2;
  return x ^ (x >> 31);
}

constexpr std::uint64_t unscramble(std::uint64_t x) {
  x = undo_shift_xor(x, 31) * inverse_of(m2);
  x = undo_shift_xor(x, 27) * inverse_of(m1);
  return undo_shift_xor(x, 30);
}

static_assert(unscramble(scramble(0x0123456789abcdefULL)) == 0x0123456789abcdefULL);

constexpr std::uint64_t version_bits = 0xf000ULL;        // high word: the version nibble, 4
constexpr std::uint64_t spare_nibble_shift = 58;        // low word: the scramble's bits the version displaced
constexpr std::uint64_t variant_bits = 0x3ULL << 62;    // low word: the variant, binary 10

constexpr std::array<char, 16> hex_digits{'0', '1', '2', '3', '4', '5', '6', '7',
                                          '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

void append_hex(std::string& out, std::uint64_t value, unsigned digits) {
  for (unsigned i = digits; i-- > 0;) out.push_back(hex_digits[(value >> (i * 4)) & 0xf]);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

AudienceIds::Bits AudienceIds::bits(std::uint64_t number) const {
  const std::uint64_t scrambled = scramble(number ^ key_high_);
  const std::uint64_t filler = scramble(scrambled ^ key_low_);
  const std::uint64_t displaced = (scrambled & version_bits) >> 12;
  return {(scrambled & ~version_bits) | 0x4000ULL,
          (0x2ULL << 62) | (displaced << spare_nibble_shift) | (filler & ((1ULL << spare_nibble_shift) - 1))};
}

void AudienceIds::append(std::string& out, std::uint64_t number) const {
  const Bits b = bits(number);
  append_hex(out, b.high >> 32, 8);
  out.push_back('-');
  append_hex(out, b.high >> 16, 4);
  out.push_back('-');
  append_hex(out, b.high, 4);
  out.push_back('-');
  append_hex(out, b.low >> 48, 4);
  out.push_back('-');
  append_hex(out, b.low, 12);
}

std::string AudienceIds::text(std::uint64_t number) const {
  std::string out;
  out.reserve(text_size);
  append(out, number);
  return out;
}

std::optional<std::uint64_t> AudienceIds::number(std::string_view id) const {
  if (id.size() != text_size) return std::nullopt;
  Bits b{0, 0};
  unsigned digits = 0;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (id[i] != '-') return std::nullopt;
      continue;
    }
    const int v = hex_value(id[i]);
    if (v < 0) return std::nullopt;
    std::uint64_t& word = digits < 16 ? b.high : b.low;
    word = (word << 4) | static_cast<std::uint64_t>(v);
    ++digits;
  }
  if ((b.high & version_bits) != 0x4000ULL || (b.low & variant_bits) != (0x2ULL << 62)) return std::nullopt;
  const std::uint64_t displaced = (b.low >> spare_nibble_shift) & 0xf;
  const std::uint64_t scrambled = (b.high & ~version_bits) | (displaced << 12);
  const std::uint64_t number = unscramble(scrambled) ^ key_high_;
  const Bits expected = bits(number);
  if (expected.high != b.high || expected.low != b.low) return std::nullopt;
  return number;
}

}  // namespace ab::sim
