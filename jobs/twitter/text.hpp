// Small text helpers the tw.* code shares: ASCII case, UTF-8 lengths.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ab::tw {

std::string ascii_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);  // ASCII case-insensitive

// Code points in UTF-8 text.
std::size_t utf8_length(std::string_view text);
// The longest prefix of `text` of at most `max_chars` code points.
std::string_view utf8_prefix(std::string_view text, std::size_t max_chars);

}  // namespace ab::tw
