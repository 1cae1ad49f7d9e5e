#include "engine/text/json_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>

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

JsonText& JsonText::decimal(std::int64_t units, unsigned scale) {
  while (scale > 0 && units % 10 == 0) {
    units /= 10;
    --scale;
  }
  value_starts();
  // Through unsigned, so that the most negative value has a magnitude too.
  const std::uint64_t magnitude = units < 0 ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, magnitude).ptr;
  const auto count = static_cast<std::size_t>(end - digits);
  if (units < 0) out_ += '-';
  if (scale == 0) {
    out_.append(digits, count);
    out_ += ".0";
  } else if (count > scale) {
    out_.append(digits, count - scale);
    out_ += '.';
    out_.append(digits + count - scale, scale);
  } else {
    out_ += "0.";
    out_.append(scale - count, '0');
    out_.append(digits, count);
  }
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
