// RFC 3986 percent-encoding as OAuth 1.0a (RFC 5849 §3.6) and the X Ads API
// expect it: everything but the unreserved set ALPHA / DIGIT / "-" / "." /
// "_" / "~" is encoded, with upper-case hex, and a space is "%20", never "+".
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ab::tw {

std::string percent_encode(std::string_view text);

// Decodes %XX escapes; with `plus_is_space` (application/x-www-form-urlencoded,
// which is how RFC 5849 §3.4.1.3.1 reads query strings and form bodies) "+"
// is a space. A malformed escape is kept as typed.
std::string percent_decode(std::string_view text, bool plus_is_space);

// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}; a name without "=" has an empty value.
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text);

}  // namespace ab::tw
