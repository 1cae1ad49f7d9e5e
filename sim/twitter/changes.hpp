// Which audiences the simulated account may change: its own live ones, and
// of those a flexible one only by deleting it ("cannot be changed once
// created", API.md §B6). Audiences shared with it are read-only (assumed: 403).
#pragma once

#include "sim/twitter/audience.hpp"
#include "sim/twitter/call.hpp"

#include <optional>

namespace ab::sim::tw {

enum class Change { update, remove };

struct ChangeRefusal {
  unsigned status;  // 404 unknown or deleted, 403 read-only or flexible
  XError error;
};

// nullopt when the change is allowed; `audience` may be null (no such id).
// Errors name `parameter`, the one that gave the id, and the audience in the version's words.
std::optional<ChangeRefusal> refuse_change(const Audience* audience, std::string_view id, Change change,
                                           const Dialect& dialect, std::string_view parameter);

}  // namespace ab::sim::tw
