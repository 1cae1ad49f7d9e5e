// A tw.members row made ready to send (API.md §B8): the audience, the
// operation, and the row's operation item as JSON text, identifiers already
// hashed. The raw identifiers stay in the row; nothing of them is kept.
#pragma once

#include "engine/input/columns.hpp"
#include "engine/input/fields.hpp"
#include "engine/run/job_kind.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace ab::tw {

// The endpoint's limits: users per request (counted as users, the stricter
// reading of "operations") and bytes of body.
inline constexpr std::size_t kMaxMembersPerRequest = 2500;
inline constexpr std::size_t kMaxMembersBodyBytes = 5'000'000;

std::span<const Column> member_columns();

// A header without any identifier column would make every row invalid: the
// job is refused instead, naming the columns (and a near miss such as "Email").
std::optional<std::string> member_header_problem(std::span<const std::string> header);

// A valid row's Task: `body` one operation item, e.g.
//   {"operation_type":"Update","params":{"effective_at":"…","users":[{"email":["<sha256>"]}]}}
// which a request merges with its neighbours of the same operation and
// params into one operation of many users (member_requests.hpp);
// batch_key the audience (one audience per request), batch_bytes the item
// and its comma, the most the row can add to a body (as an operation of its
// own), so a batch within BatchPolicy::max_bytes always fits one request; no params (a task is held per row of a 2,500-row batch, so
// it carries nothing more than it sends). A row is invalid when its audience id, operation, a
// timestamp or any identifier is, or when it has no identifier at all.
// `fields`: the row's cells, of member_columns(); the task's row is the caller's to set.
Validation member_task(const Fields& fields);

// Whether the task removes its person (else it adds them).
bool removes(const Task& task);

// The JSON array of items the request sends, and its size before it is written.
std::size_t members_body_size(std::size_t items, std::size_t item_bytes);

}  // namespace ab::tw
