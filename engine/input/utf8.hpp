// UTF-8 checks for text read from job files: every cell must be UTF-8 before
// it goes into a JSON request.
#pragma once

#include <cstddef>
#include <string_view>

namespace ab {

// True when every byte is below 0x80 (the common case, checked eight bytes at a time).
bool is_ascii(std::string_view s);

// The offset of the first byte that does not belong to well-formed UTF-8 (no
// overlong forms, no surrogates, nothing above U+10FFFF), or npos when `s` is
// well-formed throughout.
std::size_t invalid_utf8_offset(std::string_view s);

}  // namespace ab
