// The identifiers of one person in tw.members (API.md §B8): each column's
// normalization, and what is sent for it: the SHA-256 of the normalized value
// (lower-case hex), a cell that already is a SHA-256 lower-cased, and a
// partner_user_id exactly as given. An error says why a value cannot be
// used and never repeats the value: job files hold customers' data.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace ab::tw {

enum class IdentifierType { email, handle, twitter_id, device_id, phone_number, partner_user_id };

// The column names, which are also the user object's keys, in the order a user object lists them.
inline constexpr std::array<std::pair<std::string_view, IdentifierType>, 6> kIdentifierColumns = {{
    {"email", IdentifierType::email},
    {"handle", IdentifierType::handle},
    {"twitter_id", IdentifierType::twitter_id},
    {"device_id", IdentifierType::device_id},
    {"phone_number", IdentifierType::phone_number},
    {"partner_user_id", IdentifierType::partner_user_id},
}};

struct Identifier {
  std::string value;        // normalized text, or a hash (see prehashed)
  bool prehashed = false;   // the cell was 64 hex digits: `value` is that hash, lower-cased
  std::string error;        // not empty: the cell cannot be used, and why
  bool ok() const { return error.empty(); }
};

// The value before hashing:
//   email        trimmed, lower-cased, a local part, an @ and a domain, no space inside;
//   handle       trimmed, one leading @ dropped, lower-cased, letters, digits and _ only;
//   twitter_id   trimmed, digits only, leading zeros dropped, at most 2^64 - 1;
//   device_id    an advertising id (IDFA, AdID: 32 hex digits, dashes optional) as
//                8-4-4-4-12 lower-case with dashes, or an Android id (16 hex digits)
//                lower-case without dashes or spaces;
//   phone_number E.164: "+" (or "00") and the country code, then digits; spaces,
//                dashes, dots and parentheses dropped; 7 to 15 digits;
//   partner_user_id as given, untouched.
// "Trimmed" removes ASCII and Unicode white space (no-break and ideographic
// spaces, zero-width space, byte-order mark) at both ends; "lower-cased" maps
// ASCII, Latin-1, Latin Extended-A and Additional, Greek, Cyrillic, Armenian
// and full-width Latin capitals (other scripts have no case to fold).
// A cell of any hashed type that is 64 hex digits after trimming is taken as
// a hash: lower-cased, not normalized, not hashed again.
Identifier normalize_identifier(IdentifierType type, std::string_view cell);

// What the request carries for the cell: the hash of normalize_identifier's
// value (or the pre-hashed cell, or a partner_user_id as given).
Identifier identifier_to_send(IdentifierType type, std::string_view cell);

// Unicode-aware helpers, exposed for their tests.
std::string_view trim_unicode_space(std::string_view text);
std::string lower_case(std::string_view utf8);

}  // namespace ab::tw
