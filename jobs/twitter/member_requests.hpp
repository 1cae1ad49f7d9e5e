// tw.members' requests and answers as plain decisions (API.md §B8): which
// items go together in one request (at most 2,500 users and 5,000,000 bytes
// of body, counted as written), how they are grouped into operations, and
// what an answer means for each user.
//
// An item is one row's single-user operation (member_task.hpp):
//   {"operation_type":"Update","params":{"effective_at":"…","users":[USER]}}
// Its head, everything up to and with `"users":[`, holds the operation and
// its params. A request writes consecutive items with the same head as one
// operation carrying all their users, in the rows' order: an add and a later
// remove of one person stay in that order, in one request (operations are
// applied in the request's order) or in the next.
#pragma once

#include "engine/send/api.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ab::tw {

struct MemberItem {
  std::string_view text;  // the row's single-user operation item
  bool alone = false;     // sent as an operation of its own (see MembersVerdict::alone)
};

// An item's head (the operation and its params, up to and with `"users":[`)
// and its user object.
struct MemberItemParts {
  std::string_view head;
  std::string_view user;
};
MemberItemParts member_item_parts(std::string_view item);

// The first request's worth of `items`, in order.
struct MembersRequest {
  std::size_t items = 0;                      // how many of the items, from the first
  std::vector<std::size_t> operation_users;   // users per operation, in order; they sum to `items`
  std::size_t body_bytes = 0;                 // the body's size as members_request_body writes it
};

// At most `max_users` items and `max_body_bytes` of body; at least one item
// (a row larger than a request on its own is invalid before this).
MembersRequest plan_members_request(std::span<const MemberItem> items, std::size_t max_users,
                                    std::size_t max_body_bytes);

// The plan's body: a JSON array of operations, each with its users.
std::string members_request_body(std::span<const MemberItem> items, const MembersRequest& plan);

struct MembersVerdict {
  enum class Kind {
    applied,  // success_count == total_count == users sent: every user is in
    resend,   // the counts disagree (or are missing): send the same users again
    refused,  // operation_errors: the users they name fail, the others go again
    failed,   // refused as a whole, or retries ran out: every user failed with `error`
    stopped,  // the run is stopping: the users stay for the next run
  };
  Kind kind = Kind::failed;
  std::string error;                     // resend, failed: why
  // refused, one per user sent: the user's errors ("" for users to send again)
  std::vector<std::string> item_errors;
  // refused, one per user sent: an error named the user's operation but not
  // which of its users: they go again each as an operation of its own, so
  // that the next answer names the one at fault by its index.
  std::vector<bool> alone;
};

// `operation_users`: the users of each operation sent, in order. An error of
// operation_errors names its operation by "index" and, for an error of one
// user, the user by "user_index" (its place in that operation's users).
MembersVerdict read_members_answer(const ApiAnswer& answer, std::span<const std::size_t> operation_users);
// Every item its own operation of one user.
MembersVerdict read_members_answer(const ApiAnswer& answer, std::size_t items);

}  // namespace ab::tw
