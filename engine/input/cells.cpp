#include "engine/input/cells.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

namespace ab {

namespace {

// GCC and Clang both have it; `__extension__` keeps -Wpedantic quiet.
__extension__ typedef __int128 Wide;

constexpr unsigned kMaxDigits = 18;  // any 18-digit number fits in int64

bool fail(std::string* error, std::string reason) {
  if (error) *error = std::move(reason);
  return false;
}

// The cell as the user typed it, shortened so that a runaway cell cannot flood a report.
std::string quoted(std::string_view cell) {
  constexpr std::size_t kShown = 60;
  if (cell.size() <= kShown) return "'" + std::string(cell) + "'";
  return "'" + std::string(cell.substr(0, kShown)) + "...' (" + std::to_string(cell.size()) + " bytes)";
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

Wide power_of_ten(unsigned exponent) {
  Wide p = 1;
  for (unsigned i = 0; i < exponent; ++i) p *= 10;
  return p;
}

// Trailing fraction zeros carry no value: {250, 2} -> {25, 1}.
Decimal without_trailing_zeros(Decimal d) {
  while (d.scale > 0 && d.units % 10 == 0) {
    d.units /= 10;
    --d.scale;
  }
  return d;
}

// Rounds toward zero to at most `places` decimal places.
Decimal truncated(Decimal d, unsigned places) {
  while (d.scale > places) {
    d.units /= 10;
    --d.scale;
  }
  return d;
}

// The list parsers fill `items` when it is given; is_list only asks whether
// the cell is a list, and need not build it.
bool parse_json_list(std::string_view cell, ListItems* out, std::string* error) {
  boost::system::error_code ec;
  const boost::json::value json = boost::json::parse(cell, ec);
  if (ec || !json.is_array())
    return fail(error, "not a JSON array of strings (a list that starts with '[' is read as JSON): " + quoted(cell));
  std::size_t position = 0;
  for (const boost::json::value& item : json.get_array()) {
    ++position;
    if (!item.is_string())
      return fail(error, "item " + std::to_string(position) + " of the JSON list is not a string: " + quoted(cell));
    if (item.get_string().empty())
      return fail(error, "item " + std::to_string(position) + " of the JSON list is empty: " + quoted(cell));
    if (out) out->items.emplace_back(out->storage.emplace_front(item.get_string()));
  }
  return true;
}

bool parse_pipe_list(std::string_view cell, ListItems* out, std::string* error) {
  std::size_t begin = 0;
  for (std::size_t position = 1;; ++position) {
    const std::size_t bar = cell.find('|', begin);
    const std::string_view item = trimmed(cell.substr(begin, bar == std::string_view::npos ? bar : bar - begin));
    if (item.empty())
      return fail(error, "item " + std::to_string(position) + " of the list is empty: " + quoted(cell));
    if (out) out->items.push_back(item);
    if (bar == std::string_view::npos) return true;
    begin = bar + 1;
  }
}

bool parse_list_into(std::string_view cell, ListItems* out, std::string* error) {
  // A cell of blanks is as empty as an empty one: an empty list.
  const std::string_view content = trimmed(cell);
  if (content.empty()) return true;
  if (content.front() == '[') return parse_json_list(content, out, error);
  return parse_pipe_list(cell, out, error);
}

}  // namespace

double Decimal::to_double() const {
  double divisor = 1;
  for (unsigned i = 0; i < scale; ++i) divisor *= 10;
  return static_cast<double>(units) / divisor;
}

std::string Decimal::to_string() const {
  const Decimal d = without_trailing_zeros(*this);
  // Through unsigned, so that the most negative value has a magnitude too.
  const std::uint64_t magnitude = d.units < 0 ? 0 - static_cast<std::uint64_t>(d.units) : static_cast<std::uint64_t>(d.units);
  std::string digits = std::to_string(magnitude);
  if (d.scale > 0) {
    if (digits.size() <= d.scale) digits.insert(0, d.scale + 1 - digits.size(), '0');
    digits.insert(digits.size() - d.scale, 1, '.');
  }
  return d.units < 0 ? "-" + digits : digits;
}

std::optional<std::int64_t> parse_integer(std::string_view cell, std::string* error) {
  std::int64_t value = 0;
  const char* end = cell.data() + cell.size();
  const auto [stop, ec] = std::from_chars(cell.data(), end, value);
  if (cell.empty() || stop != end) {
    fail(error, "not an integer: " + quoted(cell));
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range) {
    fail(error, "integer out of range: " + quoted(cell));
    return std::nullopt;
  }
  return value;
}

namespace {

// A cell of at most 18 bytes holds at most 18 digits, so neither limit can be
// passed: one loop reads it (a quarter of the general parse's cost). nullopt:
// not a decimal, for the general parse to say why.
std::optional<Decimal> parse_short_decimal(std::string_view cell) {
  const char* p = cell.data();
  const char* const end = p + cell.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  std::int64_t units = 0;
  unsigned digits = 0, scale = 0;
  bool point = false;
  for (; p != end; ++p) {
    const unsigned digit = static_cast<unsigned char>(*p) - unsigned{'0'};
    if (digit < 10) {
      units = units * 10 + digit;
      ++digits;
      scale += point;
    } else if (*p == '.' && !point) {
      point = true;
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0 || (point && scale == 0)) return std::nullopt;
  return Decimal{negative ? -units : units, scale};
}

}  // namespace

std::optional<Decimal> parse_decimal(std::string_view cell, std::string* error) {
  if (cell.size() <= kMaxDigits)
    if (auto d = parse_short_decimal(cell)) return d;
  std::size_t i = 0;
  const bool negative = !cell.empty() && cell[0] == '-';
  if (negative) ++i;
  const auto digits_from = [&](std::size_t from) {
    std::size_t to = from;
    while (to < cell.size() && cell[to] >= '0' && cell[to] <= '9') ++to;
    return to;
  };
  const std::size_t int_end = digits_from(i);
  std::size_t frac_begin = int_end, frac_end = int_end;
  if (int_end < cell.size() && cell[int_end] == '.') {
    frac_begin = int_end + 1;
    frac_end = digits_from(frac_begin);
  }
  const bool has_int = int_end > i;
  const bool has_point = frac_begin > int_end;
  const bool has_frac = frac_end > frac_begin;
  // [-]digits[.digits] or [-].digits
  if (frac_end != cell.size() || !(has_int || has_frac) || (has_point && !has_frac)) {
    fail(error, "not a decimal: " + quoted(cell));
    return std::nullopt;
  }
  const unsigned scale = static_cast<unsigned>(frac_end - frac_begin);
  if (scale > kMaxDigits) {
    fail(error, "more than " + std::to_string(kMaxDigits) + " decimal places: " + quoted(cell));
    return std::nullopt;
  }
  std::int64_t units = 0;
  unsigned significant = 0;
  for (std::size_t k = i; k < frac_end; ++k) {
    if (k == int_end) continue;  // the point
    const int digit = cell[k] - '0';
    if (significant == 0 && digit == 0) continue;
    if (++significant > kMaxDigits) {
      fail(error, "more than " + std::to_string(kMaxDigits) + " significant digits: " + quoted(cell));
      return std::nullopt;
    }
    units = units * 10 + digit;
  }
  return Decimal{negative ? -units : units, scale};
}

namespace {

// ASCII only: the words are ASCII, and a locale-aware comparison looked up
// the locale's facet for every character (a twentieth of a row's work).
bool ascii_iequals(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

std::optional<bool> parse_boolean(std::string_view cell, std::string* error) {
  // The usual spelling first: a comparison the compiler makes of two loads.
  if (cell == "true") return true;
  if (cell == "false") return false;
  for (std::string_view yes : {"true", "1", "yes"})
    if (ascii_iequals(cell, yes)) return true;
  for (std::string_view no : {"false", "0", "no"})
    if (ascii_iequals(cell, no)) return false;
  fail(error, "not a boolean: " + quoted(cell) + " (true/false, 1/0 or yes/no)");
  return std::nullopt;
}

std::optional<std::vector<std::string>> parse_list(std::string_view cell, std::string* error) {
  ListItems list;
  if (!parse_list_into(cell, &list, error)) return std::nullopt;
  return std::vector<std::string>(list.items.begin(), list.items.end());
}

bool parse_list_items(std::string_view cell, ListItems& out, std::string* error) {
  out.items.clear();
  out.storage.clear();
  return parse_list_into(cell, &out, error);
}

bool append_list_items(std::string_view cell, ListItems& out, std::string* error) {
  return parse_list_into(cell, &out, error);
}

bool is_list(std::string_view cell, std::string* error) { return parse_list_into(cell, nullptr, error); }

bool is_http_url(std::string_view cell, std::string* error) {
  const auto parsed = boost::urls::parse_uri(cell);
  if (!parsed) return fail(error, "not an absolute URL: " + quoted(cell));
  const boost::urls::url_view& url = *parsed;
  if (url.scheme_id() != boost::urls::scheme::http && url.scheme_id() != boost::urls::scheme::https)
    return fail(error, "not an http:// or https:// URL: " + quoted(cell));
  if (!url.has_authority() || url.encoded_host().empty()) return fail(error, "URL without a host: " + quoted(cell));
  return true;
}

std::optional<std::vector<std::string>> parse_url_list(std::string_view cell, std::string* error) {
  ListItems urls;
  if (!append_url_list(cell, urls, error)) return std::nullopt;
  return std::vector<std::string>(urls.items.begin(), urls.items.end());
}

bool append_url_list(std::string_view cell, ListItems& out, std::string* error) {
  const std::size_t before = out.items.size();
  std::size_t i = 0;
  while (i < cell.size()) {
    if (is_blank(cell[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < cell.size() && !is_blank(cell[end])) ++end;
    const std::string_view url = cell.substr(i, end - i);
    if (!is_http_url(url, error)) return false;
    out.items.push_back(url);
    i = end;
  }
  if (out.items.size() == before) return fail(error, "no URL in " + quoted(cell));
  return true;
}

// Exact for values of at most 18 decimal places (every parsed value): they are
// aligned to a common scale in 128 bits, where up to a hundred 18-digit terms
// cannot overflow. A sum too large for 18 digits loses its last places; one
// beyond int64 whole units saturates.
Decimal decimal_sum(std::span<const Decimal> values) {
  unsigned scale = 0;
  for (const Decimal& v : values) scale = std::max(scale, truncated(without_trailing_zeros(v), kMaxDigits).scale);
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  Wide total = 0;
  for (const Decimal& v : values) {
    const Decimal d = truncated(without_trailing_zeros(v), kMaxDigits);
    const Wide term = static_cast<Wide>(d.units) * power_of_ten(scale - d.scale);
    if (__builtin_add_overflow(total, term, &total)) return Decimal{term < 0 ? kMin : kMax, 0};
  }
  while (scale > 0 && (total % 10 == 0 || total > kMax || total < kMin)) {
    total /= 10;
    --scale;
  }
  if (total > kMax || total < kMin) return Decimal{total < 0 ? kMin : kMax, 0};
  return Decimal{static_cast<std::int64_t>(total), scale};
}

// Exact: every term aligned to the largest scale (at most 18) in 128 bits,
// where 16 terms of |units| < 2^63 times 10^18 cannot overflow; then the sum
// is 1 only when it is 10^scale. Anything else goes the long way.
bool sums_to_one(std::span<const Decimal> values) {
  static constexpr auto powers = [] {
    std::array<std::int64_t, kMaxDigits + 1> p{};
    p[0] = 1;
    for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
    return p;
  }();
  unsigned scale = 0;
  for (const Decimal& v : values) scale = std::max(scale, v.scale);
  if (scale > kMaxDigits || values.size() > 16) return is_exactly_one(decimal_sum(values));
  Wide total = 0;
  for (const Decimal& v : values) total += static_cast<Wide>(v.units) * powers[scale - v.scale];
  return total == powers[scale];
}

bool is_exactly_one(const Decimal& d) {
  const Decimal n = without_trailing_zeros(d);
  return n.units == 1 && n.scale == 0;
}

}  // namespace ab
