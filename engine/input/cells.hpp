// Typed cells of a job file, as SPEC.md §4 defines them. Decimals are exact
// (digits and a scale), so that a gender split is summed in decimal, never in
// binary floating point where 0.7 + 0.1 + 0.1 + 0.1 != 1.
#pragma once

#include <boost/container/small_vector.hpp>

#include <cstdint>
#include <forward_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ab {

// value = units / 10^scale; "0.07" is {7, 2}, "1" is {1, 0}, "-2.50" is {-250, 2}.
struct Decimal {
  std::int64_t units = 0;
  unsigned scale = 0;
  double to_double() const;
  std::string to_string() const;  // as typed, minus redundant zeros: "0.07", "1"
};

// All parsers take the cell as typed (surrounding blanks are not trimmed) and
// return nullopt with a reason in `error` when the cell is not of the type.
std::optional<std::int64_t> parse_integer(std::string_view cell, std::string* error = nullptr);
// [-]digits[.digits] or [-].digits; at most 18 significant digits; no exponent.
std::optional<Decimal> parse_decimal(std::string_view cell, std::string* error = nullptr);
// true/false, 1/0, yes/no in any case.
std::optional<bool> parse_boolean(std::string_view cell, std::string* error = nullptr);
// "a|b|c" (items trimmed, empty items an error) or a JSON array of strings.
// An empty cell is the empty list.
std::optional<std::vector<std::string>> parse_list(std::string_view cell, std::string* error = nullptr);
// The same items as views, without a string each: into the cell for a|b|c,
// into `storage` for a JSON array (whose strings are unescaped). Valid while
// the cell and this object live.
struct ListItems {
  // Inline room for a row's usual few items: a list cell costs no allocation.
  boost::container::small_vector<std::string_view, 16> items;
  // A list that never moves its strings: the views stay valid as more are added.
  std::forward_list<std::string> storage;
};
bool parse_list_items(std::string_view cell, ListItems& out, std::string* error = nullptr);
// parse_list_items without clearing `out` first: the cell's items are added
// after those already there (a row's list cells, one after the other).
bool append_list_items(std::string_view cell, ListItems& out, std::string* error = nullptr);
// parse_list's checks, without building the list.
bool is_list(std::string_view cell, std::string* error = nullptr);
// One absolute http:// or https:// URL with a host.
bool is_http_url(std::string_view cell, std::string* error = nullptr);
// One or more such URLs separated by blanks.
std::optional<std::vector<std::string>> parse_url_list(std::string_view cell, std::string* error = nullptr);
// The same URLs as views into the cell, added after the items already in `out`.
bool append_url_list(std::string_view cell, ListItems& out, std::string* error = nullptr);

// The exact decimal sum of `values`, e.g. to check that a split sums to 1.
Decimal decimal_sum(std::span<const Decimal> values);
bool is_exactly_one(const Decimal& d);
// is_exactly_one(decimal_sum(values)), without building the sum: the row's
// usual check, at a tenth of the cost (no division).
bool sums_to_one(std::span<const Decimal> values);

}  // namespace ab
