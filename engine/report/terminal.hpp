// What the progress display asks of stderr: is it a terminal, how wide, and
// may it have colour (https://no-color.org: NO_COLOR set and not empty: none).
#pragma once

#include <cstddef>

namespace ab {

bool is_terminal(int fd);
// The terminal's columns now (it may have been resized), else $COLUMNS, else 80.
std::size_t terminal_columns(int fd);
bool colour_allowed(int fd);

}  // namespace ab
