// Reading a B6 batch answer back onto its items. The batch succeeds or fails
// as a whole and keeps the request's order: `data` has one audience per item;
// `operation_errors` names the bad items (either a list parallel to the items,
// each entry the errors of one item, or entries carrying an "index"); request-
// level `errors` concern every item. When some items are bad, the others were
// not created either: they are `not_applied`, to be sent again without them.
#pragma once

#include "engine/send/api.hpp"
#include "jobs/twitter/create_reconciler.hpp"

#include <cstddef>
#include <vector>

namespace ab::tw {

std::vector<CreateAnswer> read_batch_answer(const ApiAnswer& answer, std::size_t items);

}  // namespace ab::tw
