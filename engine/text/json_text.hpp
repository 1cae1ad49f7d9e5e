// Writes JSON text straight into a string, for a request body built from a
// row, without a DOM built only to be serialized (bench/README.md). The caller gives a well-formed sequence of calls
// (keys inside objects, every begin ended); commas are put in here. Strings
// are escaped as RFC 8259 requires (quote, backslash, control characters);
// other bytes, UTF-8 included, are written as they are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ab {

// A key of our own as `,"name":`, made once (at compile time for a constexpr
// one): it is written in one append, with no scan for bytes to escape. A name
// that would need escaping is refused (in a constant expression: it does
// not compile).
class QuotedKey {
 public:
  constexpr QuotedKey() = default;
  constexpr explicit QuotedKey(std::string_view name) {
    if (name.size() + 4 > sizeof text_) throw std::length_error("QuotedKey: name too long");
    text_[size_++] = ',';
    text_[size_++] = '"';
    for (char c : name) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\')
        throw std::invalid_argument("QuotedKey: the name needs escaping");
      text_[size_++] = c;
    }
    text_[size_++] = '"';
    text_[size_++] = ':';
  }
  std::string_view with_comma() const { return {text_, size_}; }
  std::string_view without_comma() const { return {text_ + 1, size_ - 1}; }

 private:
  friend class JsonText;  // copies text_ whole: a fixed size, no call
  char text_[48] = {};
  std::size_t size_ = 0;
};

class JsonText {
 public:
  explicit JsonText(std::string& out) : out_(out) {}

  JsonText& begin_object() { return open('{'); }
  JsonText& end_object() { return close('}'); }
  JsonText& begin_array() { return open('['); }
  JsonText& end_array() { return close(']'); }
  JsonText& key(std::string_view name);
  JsonText& key(const QuotedKey& name);
  JsonText& string(std::string_view value);
  JsonText& number(std::int64_t value);
  // The shortest text that reads back as the same double (std::to_chars),
  // with ".0" after a whole number; finite values only.
  JsonText& number(double value);
  // units / 10^scale exactly as decimal digits ("0.07"), with at least one
  // fractional digit so that it reads back as a double.
  JsonText& decimal(std::int64_t units, unsigned scale);
  JsonText& boolean(bool value);
  JsonText& number(std::uint64_t value);
  JsonText& null();

  // A member, `name` and its value, as key(name) and then string(),
  // number(), boolean(), decimal(), or an array of string()s would write it,
  // in one append where it fits a few hundred bytes and no string needs
  // escaping (a request body's usual member): each append costs as much as
  // writing the bytes.
  JsonText& member_string(const QuotedKey& name, std::string_view value);
  JsonText& member_number(const QuotedKey& name, std::int64_t value);
  JsonText& member_boolean(const QuotedKey& name, bool value);
  JsonText& member_decimal(const QuotedKey& name, std::int64_t units, unsigned scale);
  JsonText& member_strings(const QuotedKey& name, std::span<const std::string_view> values);
  // `name` and an object of decimal members, keys[i]: units[i] / 10^scales[i]
  // (the three of one size).
  JsonText& member_decimals(const QuotedKey& name, std::span<const QuotedKey> keys,
                            std::span<const std::int64_t> units, std::span<const unsigned> scales);

 private:
  class Staged;
  void value_starts();
  JsonText& open(char bracket);
  JsonText& close(char bracket);
  bool quoted_in_one_append(std::string_view value, char suffix);

  std::string& out_;
  bool after_value_ = false;  // the next value or key needs a comma first
};

}  // namespace ab
