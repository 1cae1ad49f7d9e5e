// tw.members' requests and answers as plain decisions (API.md §B8): which
// items go together in one request (at most 2,500 users and 5,000,000 bytes
// of body, counted as written), and what an answer means for its items.
#pragma once

#include "engine/send/api.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ab::tw {

// Splits items, in order, into requests within the limits; item i is
// `item_bytes[i]` bytes of JSON. Returns the items' indexes per request.
std::vector<std::vector<std::size_t>> plan_member_requests(const std::vector<std::size_t>& item_bytes,
                                                           std::size_t max_items, std::size_t max_body_bytes);

// The request body: the items as one JSON array.
std::string members_body(const std::vector<std::string_view>& items);

struct MembersVerdict {
  enum class Kind {
    applied,  // success_count == total_count == items sent: every item is in
    resend,   // the counts disagree (or are missing): send the same items again
    refused,  // operation_errors: item_errors names the refused items; the others were not applied
    failed,   // refused as a whole, or retries ran out: every item failed with `error`
    stopped,  // the run is stopping: the items stay for the next run
  };
  Kind kind = Kind::failed;
  std::string error;                     // resend, failed: why
  std::vector<std::string> item_errors;  // refused: one per item, "" for the items to send again
};

MembersVerdict read_members_answer(const ApiAnswer& answer, std::size_t items);

}  // namespace ab::tw
