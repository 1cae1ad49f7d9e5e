// B6 POST batch/accounts/:account_id/{tailored|custom}_audiences: a JSON array of at
// most 10 {"operation_type": Create|Update|Delete, "params": {...}} items
// that succeeds or fails as a whole.
//   - request-level errors (not JSON, not an array, over 10 items) under "errors";
//   - item-level errors under "operation_errors": one list per item, in the
//     request's order (entry i belongs to item i; each error also carries
//     "index": i), empty for the items that were fine. Nothing is changed.
//   - success: "data" with one audience per item, in the request's order.
#pragma once

#include "sim/twitter/call.hpp"
#include "sim/twitter/store.hpp"

namespace ab::sim::tw {

inline constexpr std::size_t max_batch_items = 10;

Answer batch_audiences(const Call& call, Store& store);

}  // namespace ab::sim::tw
