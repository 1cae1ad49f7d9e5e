#include "jobs/twitter/member_identifiers.hpp"

#include "jobs/twitter/sha256.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace ab::tw {

namespace {

// The white space a CRM export carries around values: ASCII, and the Unicode
// spaces spreadsheets and web forms paste (UTF-8 encoded).
constexpr std::array<std::string_view, 20> kUnicodeSpaces = {
    "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82", "\xE2\x80\x83", "\xE2\x80\x84",
    "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\x8B",
    "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80", "\xEF\xBB\xBF",
};

bool is_ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// The length of the white space `text` starts (front) or ends (back) with; 0 when none.
std::size_t space_at(std::string_view text, bool front) {
  if (text.empty()) return 0;
  const char edge = front ? text.front() : text.back();
  if (is_ascii_space(edge)) return 1;
  // Every Unicode space is two or more bytes of 0x80 and up: an ASCII edge is none.
  if (static_cast<unsigned char>(edge) < 0x80) return 0;
  for (auto space : kUnicodeSpaces)
    if (front ? text.starts_with(space) : text.ends_with(space)) return space.size();
  return 0;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_handle_char(char c) { return is_digit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower_ascii(c);
  return out;
}

// Unicode simple lower-case mappings of the scripts CRM data mostly holds.
char32_t lower_code_point(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
  if (c == 0x130) return U'i';
  if (c == 0x178) return 0xFF;
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return (c % 2 == 0) ? c + 1 : c;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c % 2 == 1) ? c + 1 : c;
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 37;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 63;
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x531 && c <= 0x556) return c + 48;
  if ((c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF)) return (c % 2 == 0) ? c + 1 : c;
  if (c >= 0xFF21 && c <= 0xFF3A) return c + 32;
  return c;
}

// The code point at `at` of well-formed UTF-8 (the CSV reader checked it) and its length.
std::pair<char32_t, std::size_t> decode(std::string_view s, std::size_t at) {
  const auto b = static_cast<unsigned char>(s[at]);
  const std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  if (at + n > s.size()) return {b, 1};
  char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
  for (std::size_t i = 1; i < n; ++i) c = (c << 6) | (static_cast<unsigned char>(s[at + i]) & 0x3F);
  return {c, n};
}

void encode(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool has_inner_space(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    // Only a byte of 0x80 and up can start a Unicode space.
    const bool ascii = static_cast<unsigned char>(text[i]) < 0x80;
    if (ascii ? is_ascii_space(text[i]) : space_at(text.substr(i), true) != 0) return true;
  }
  return false;
}

Identifier invalid(std::string why) { return Identifier{{}, false, std::move(why)}; }
// Swapped in, not moved: GCC 12 misreports moving a string whose size it can see as out of bounds (-Warray-bounds).
Identifier normalized(std::string&& value) {
  Identifier id;
  id.value.swap(value);
  return id;
}

Identifier email(std::string_view text) {
  std::string value = lower_case(text);
  const auto at = value.rfind('@');
  if (at == std::string::npos) return invalid("not an email address: no @");
  if (at == 0) return invalid("not an email address: nothing before the @");
  if (at + 1 == value.size()) return invalid("not an email address: no domain after the @");
  if (has_inner_space(value)) return invalid("not an email address: white space inside");
  return normalized(std::move(value));
}

Identifier handle(std::string_view text) {
  if (text.starts_with('@')) text.remove_prefix(1);
  if (text.empty()) return invalid("no handle after the @");
  if (!std::all_of(text.begin(), text.end(), is_handle_char))
    return invalid("not an X handle: only letters a-z, digits and _ may follow the @");
  return normalized(lower_ascii(text));
}

Identifier twitter_id(std::string_view text) {
  if (!std::all_of(text.begin(), text.end(), is_digit)) return invalid("not an X user id: digits 0-9 only");
  while (text.size() > 1 && text.front() == '0') text.remove_prefix(1);
  // 18446744073709551615 is the largest 64-bit id.
  if (text.size() > 20 || (text.size() == 20 && text > "18446744073709551615"))
    return invalid("not an X user id: larger than any 64-bit id");
  return normalized(std::string(text));
}

Identifier device_id(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (is_hex(c))
      digits += lower_ascii(c);
    else if (c != '-' && c != ' ')
      return invalid("not a device id: hex digits, dashes and spaces only");
  }
  // An advertising id (IDFA, AdID) is a UUID: written lower-case with its dashes.
  const bool uuid_shape = text.size() == 36 && text[8] == '-' && text[13] == '-' && text[18] == '-' && text[23] == '-';
  if (digits.size() == 32 && (uuid_shape || text.size() == 32)) {
    std::string uuid;
    uuid.reserve(36);
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i == 8 || i == 12 || i == 16 || i == 20) uuid.push_back('-');
      uuid.push_back(digits[i]);
    }
    return normalized(std::move(uuid));
  }
  if (digits.size() == 16) return normalized(std::move(digits));  // an Android id, without dashes or spaces
  return invalid("not a device id: neither an advertising id (8-4-4-4-12 hex digits) nor an Android id (16 hex digits)");
}

Identifier phone_number(std::string_view text) {
  std::string digits;
  bool international = false;
  if (text.starts_with('+')) {
    international = true;
    text.remove_prefix(1);
  }
  for (char c : text) {
    if (is_digit(c))
      digits += c;
    else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')')
      return invalid("not a phone number: digits, +, spaces, dashes, dots and parentheses only");
  }
  if (!international && digits.starts_with("00")) {
    international = true;
    digits.erase(0, 2);
  }
  if (!international) return invalid("no country code: write it as +<country code><number> (E.164)");
  if (digits.size() < 7 || digits.size() > 15) return invalid("not an E.164 number: 7 to 15 digits after the +");
  digits.insert(digits.begin(), '+');
  return normalized(std::move(digits));
}

}  // namespace

std::string_view trim_unicode_space(std::string_view text) {
  while (const std::size_t n = space_at(text, true)) text.remove_prefix(n);
  while (const std::size_t n = space_at(text, false)) text.remove_suffix(n);
  return text;
}

std::string lower_case(std::string_view utf8) {
  // Most cells are ASCII: lower-cased in place, without decoding.
  if (std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
    return lower_ascii(utf8);
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t at = 0; at < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[at]);
    if (b < 0x80) {
      out += lower_ascii(utf8[at++]);
      continue;
    }
    const auto [c, n] = decode(utf8, at);
    encode(lower_code_point(c), out);
    at += n;
  }
  return out;
}

Identifier normalize_identifier(IdentifierType type, std::string_view cell) {
  if (type == IdentifierType::partner_user_id) return normalized(std::string(cell));
  const std::string_view text = trim_unicode_space(cell);
  if (text.empty()) return invalid("only white space");
  if (is_sha256_hex(text)) return Identifier{lower_ascii(text), true, {}};
  switch (type) {
    case IdentifierType::email:
      return email(text);
    case IdentifierType::handle:
      return handle(text);
    case IdentifierType::twitter_id:
      return twitter_id(text);
    case IdentifierType::device_id:
      return device_id(text);
    case IdentifierType::phone_number:
      return phone_number(text);
    case IdentifierType::partner_user_id:
      break;
  }
  return normalized(std::string(text));
}

Identifier identifier_to_send(IdentifierType type, std::string_view cell) {
  Identifier id = normalize_identifier(type, cell);
  if (id.ok() && !id.prehashed && type != IdentifierType::partner_user_id) id.value = sha256_hex(id.value);
  return id;
}

}  // namespace ab::tw
