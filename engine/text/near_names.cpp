#include "engine/text/near_names.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace ab {

namespace {

char folded(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Edits (insert, delete, replace, swap of neighbours) from a to b, case ignored.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = folded(a[i - 1]) == folded(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && folded(a[i - 1]) == folded(b[j - 2]) && folded(a[i - 2]) == folded(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::vector<std::string> near_names(std::string_view typed, std::span<const std::string_view> candidates,
                                    std::size_t most) {
  std::vector<std::pair<std::size_t, std::string_view>> scored;
  for (std::string_view candidate : candidates) {
    if (candidate == typed) continue;
    if (!typed.empty() && candidate.starts_with(typed)) {
      scored.emplace_back(0, candidate);
      continue;
    }
    // Two edits in a short name would make anything near anything.
    const std::size_t allowed = typed.size() >= 6 ? 2 : typed.size() >= 2 ? 1 : 0;
    if (const std::size_t distance = edit_distance(typed, candidate); distance <= allowed)
      scored.emplace_back(distance, candidate);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> names;
  for (const auto& [distance, name] : scored) {
    if (names.size() == most) break;
    names.emplace_back(name);
  }
  return names;
}

std::string name_list(std::span<const std::string> names, std::string_view quote) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += quote;
    out += names[i];
    out += quote;
  }
  return out;
}

}  // namespace ab
