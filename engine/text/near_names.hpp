// What a user may have meant by a name that is not one: a misspelt column, a
// flag typed short, a budget name with a slip. Said in the refusal, so that
// the fix is on the screen.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ab {

// The candidates `typed` is close to, closest first: those it starts (a
// flag typed short: "retry" for "retry-after-share"), and those within two
// edits of it with case ignored ("tw.totalcount", "Gender"). At most `most`.
std::vector<std::string> near_names(std::string_view typed, std::span<const std::string_view> candidates,
                                    std::size_t most = 3);

// "'a', 'b' or 'c'" with `quote` around each name ("" for none).
std::string name_list(std::span<const std::string> names, std::string_view quote = "'");

}  // namespace ab
