#include "engine/text/json_text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ab {

void JsonText::value_starts() {
  if (after_value_) out_ += ',';
  after_value_ = true;
}

JsonText& JsonText::open(char bracket) {
  value_starts();
  out_ += bracket;
  after_value_ = false;
  return *this;
}

JsonText& JsonText::close(char bracket) {
  out_ += bracket;
  after_value_ = true;
  return *this;
}


namespace {

// The bytes a JSON string cannot hold as they are.
constexpr auto escaped = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[static_cast<std::size_t>(c)] = true;
  table['"'] = table['\\'] = true;
  return table;
}();

// Whether any of the 8 bytes of `w` must be escaped: one below 0x20, a
// quote or a backslash (the classic has-zero-byte tests, exact for "any").
bool word_needs_escape(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  constexpr std::uint64_t highs = 0x8080808080808080ull;
  auto has_zero = [](std::uint64_t x) { return ((x - ones) & ~x & highs) != 0; };
  const bool below_space = ((w - ones * 0x20) & ~w & highs) != 0;
  return below_space || has_zero(w ^ (ones * '"')) || has_zero(w ^ (ones * '\\'));
}

// The index of the first byte at or after `i` that must be escaped, or the size.
std::size_t next_escaped(std::string_view value, std::size_t i) {
  for (std::uint64_t w; i + 8 <= value.size(); i += 8) {
    std::memcpy(&w, value.data() + i, 8);
    if (word_needs_escape(w)) break;
  }
  while (i < value.size() && !escaped[static_cast<unsigned char>(value[i])]) ++i;
  return i;
}

}  // namespace

JsonText& JsonText::key(std::string_view name) {
  if (!quoted_in_one_append(name, ':')) {
    string(name);
    out_ += ':';
  }
  after_value_ = false;
  return *this;
}

JsonText& JsonText::key(const QuotedKey& name) {
  out_.append(after_value_ ? name.with_comma() : name.without_comma());
  after_value_ = false;
  return *this;
}

// A short string that needs no escaping (keys, most values) goes out in one
// append: [,]"value"[suffix]. Separate appends of each piece cost as much as
// the scan.
bool JsonText::quoted_in_one_append(std::string_view value, char suffix) {
  constexpr std::size_t most = 64;
  if (value.size() > most || next_escaped(value, 0) != value.size()) return false;
  char buffer[most + 4];
  std::size_t n = 0;
  if (after_value_) buffer[n++] = ',';
  buffer[n++] = '"';
  std::memcpy(buffer + n, value.data(), value.size());
  n += value.size();
  buffer[n++] = '"';
  if (suffix) buffer[n++] = suffix;
  out_.append(buffer, n);
  after_value_ = true;
  return true;
}

JsonText& JsonText::string(std::string_view value) {
  static constexpr char hex[] = "0123456789abcdef";
  if (quoted_in_one_append(value, '\0')) return *this;
  value_starts();
  out_ += '"';
  std::size_t plain = 0;  // start of the run of bytes written as they are
  for (std::size_t i = next_escaped(value, 0); i < value.size(); i = next_escaped(value, i + 1)) {
    const auto c = static_cast<unsigned char>(value[i]);
    out_.append(value.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      default:
        out_ += "\\u00";
        out_ += hex[c >> 4];
        out_ += hex[c & 0xf];
    }
  }
  out_.append(value.data() + plain, value.size() - plain);
  out_ += '"';
  return *this;
}

JsonText& JsonText::number(std::int64_t value) {
  value_starts();
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out_.append(digits, end);
  return *this;
}

JsonText& JsonText::number(double value) {
  if (!std::isfinite(value)) throw std::invalid_argument("JSON has no text for NaN or infinity");
  value_starts();
  char digits[32];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out_.append(digits, end);
  // A whole number keeps a fraction, so that it reads back as a double: a
  // share of 0 is sent as 0.0, as Boost.JSON's serializer sent it (0E0).
  if (std::string_view(digits, static_cast<std::size_t>(end - digits)).find_first_of(".eE") == std::string_view::npos)
    out_ += ".0";
  return *this;
}

namespace {

// Room for decimal()'s text besides the zeros its scale asks for: a sign, 20
// digits, "0." or ".0".
constexpr std::size_t kDecimalRoom = 24;

// Writes units / 10^scale at `at` (which has room for scale + kDecimalRoom
// bytes) as decimal() has it; returns the end.
char* put_decimal(char* at, std::int64_t units, unsigned scale) {
  while (scale > 0 && units % 10 == 0) {
    units /= 10;
    --scale;
  }
  // Through unsigned, so that the most negative value has a magnitude too.
  const std::uint64_t magnitude = units < 0 ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, magnitude).ptr;
  const auto count = static_cast<std::size_t>(end - digits);
  if (units < 0) *at++ = '-';
  if (scale == 0) {
    at = std::copy(digits, end, at);
    *at++ = '.';
    *at++ = '0';
  } else if (count > scale) {
    at = std::copy(digits, end - scale, at);
    *at++ = '.';
    at = std::copy(end - scale, end, at);
  } else {
    *at++ = '0';
    *at++ = '.';
    at = std::fill_n(at, scale - count, '0');
    at = std::copy(digits, end, at);
  }
  return at;
}

}  // namespace

JsonText& JsonText::decimal(std::int64_t units, unsigned scale) {
  value_starts();
  char small[64 + kDecimalRoom];
  std::string large;
  char* at = small;
  if (scale > 64) {
    large.resize(scale + kDecimalRoom);
    at = large.data();
  }
  out_.append(at, static_cast<std::size_t>(put_decimal(at, units, scale) - at));
  return *this;
}

// What needs_escape() may read past the end of the bytes it checks.
constexpr std::size_t kBlock = 16;

// Whether any of the `size` bytes at `p` must be escaped; reads up to kBlock
// bytes past them (the bytes there do not count).
bool needs_escape(const char* p, std::size_t size) {
#if defined(__SSE2__)
  const __m128i below_space = _mm_set1_epi8(0x1f), quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  for (std::size_t i = 0; i < size; i += kBlock) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i hits = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, below_space), v),
                                      _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (size - i < kBlock) mask &= (1u << (size - i)) - 1;
    if (mask != 0) return true;
  }
  return false;
#else
  return next_escaped(std::string_view(p, size), 0) != size;
#endif
}

// A member put together on the stack, then appended at once. Where a piece
// does not fit (or a string needs escaping), ok() turns false and the caller
// writes the member piece by piece instead.
class JsonText::Staged {
 public:
  static constexpr std::size_t kRoom = 320;

  Staged(const JsonText& json, const QuotedKey& name) { put_key(name, json.after_value_); }
  // [,]"name": : the key's text is copied whole, all 48 bytes from the comma or
  // 47 from the quote (a fixed-size copy is a few moves, a sized one a call).
  void put_key(const QuotedKey& name, bool comma) {
    if (room() < sizeof name.text_) ok_ = false;
    if (!ok_) return;
    if (comma)
      std::memcpy(at_, name.text_, sizeof name.text_);
    else
      std::memcpy(at_, name.text_ + 1, sizeof name.text_ - 1);
    at_ += name.size_ - (comma ? 0 : 1);
  }
  bool ok() const { return ok_; }
  void put(char c) {
    if (room() < 1) ok_ = false;
    if (ok_) *at_++ = c;
  }
  // The value is copied, then checked for bytes to escape where it landed:
  // the room kept after it lets the check read whole blocks.
  void put_string(std::string_view value) {
    if (value.size() + 2 + kBlock > room()) ok_ = false;
    if (!ok_) return;
    at_[0] = '"';
    std::memcpy(at_ + 1, value.data(), value.size());
    if (needs_escape(at_ + 1, value.size())) {
      ok_ = false;
      return;
    }
    at_ += value.size() + 1;
    *at_++ = '"';
  }
  void put_integer(std::int64_t value) {
    if (room() < 24) ok_ = false;
    if (ok_) at_ = std::to_chars(at_, at_ + 24, value).ptr;
  }
  void put_decimal(std::int64_t units, unsigned scale) {
    if (scale > 64 || room() < scale + kDecimalRoom) ok_ = false;
    if (ok_) at_ = ab::put_decimal(at_, units, scale);
  }
  void put_text(std::string_view text) {
    if (text.size() > room()) ok_ = false;
    if (!ok_) return;
    std::memcpy(at_, text.data(), text.size());
    at_ += text.size();
  }
  // Appends what was staged: the member is written, followed by a value.
  void write_to(JsonText& json) {
    json.out_.append(buffer_, static_cast<std::size_t>(at_ - buffer_));
    json.after_value_ = true;
  }

 private:
  std::size_t room() const { return static_cast<std::size_t>(buffer_ + sizeof buffer_ - at_); }
  char buffer_[kRoom];
  char* at_ = buffer_;
  bool ok_ = true;
};

JsonText& JsonText::member_string(const QuotedKey& name, std::string_view value) {
  Staged staged(*this, name);
  staged.put_string(value);
  if (!staged.ok()) return key(name).string(value);
  staged.write_to(*this);
  return *this;
}

JsonText& JsonText::member_number(const QuotedKey& name, std::int64_t value) {
  Staged staged(*this, name);
  staged.put_integer(value);
  staged.write_to(*this);
  return *this;
}

JsonText& JsonText::member_boolean(const QuotedKey& name, bool value) {
  Staged staged(*this, name);
  staged.put_text(value ? "true" : "false");
  staged.write_to(*this);
  return *this;
}

JsonText& JsonText::member_decimal(const QuotedKey& name, std::int64_t units, unsigned scale) {
  Staged staged(*this, name);
  staged.put_decimal(units, scale);
  if (!staged.ok()) return key(name).decimal(units, scale);
  staged.write_to(*this);
  return *this;
}

JsonText& JsonText::member_decimals(const QuotedKey& name, std::span<const QuotedKey> keys,
                                    std::span<const std::int64_t> units, std::span<const unsigned> scales) {
  Staged staged(*this, name);
  staged.put('{');
  for (std::size_t i = 0; i < keys.size() && staged.ok(); ++i) {
    staged.put_key(keys[i], i != 0);
    staged.put_decimal(units[i], scales[i]);
  }
  staged.put('}');
  if (!staged.ok()) {
    key(name).begin_object();
    for (std::size_t i = 0; i < keys.size(); ++i) member_decimal(keys[i], units[i], scales[i]);
    return end_object();
  }
  staged.write_to(*this);
  return *this;
}

JsonText& JsonText::member_strings(const QuotedKey& name, std::span<const std::string_view> values) {
  Staged staged(*this, name);
  staged.put('[');
  for (std::size_t i = 0; i < values.size() && staged.ok(); ++i) {
    if (i != 0) staged.put(',');
    staged.put_string(values[i]);
  }
  staged.put(']');
  if (!staged.ok()) {
    key(name).begin_array();
    for (const std::string_view value : values) string(value);
    return end_array();
  }
  staged.write_to(*this);
  return *this;
}

JsonText& JsonText::number(std::uint64_t value) {
  value_starts();
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out_.append(digits, end);
  return *this;
}

JsonText& JsonText::null() {
  value_starts();
  out_ += "null";
  return *this;
}

JsonText& JsonText::boolean(bool value) {
  value_starts();
  out_ += value ? "true" : "false";
  return *this;
}

}  // namespace ab
