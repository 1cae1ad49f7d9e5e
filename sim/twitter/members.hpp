// B8 POST accounts/:account_id/tailored_audiences/:id/users (API.md §B8):
// people added to ("Update") or removed from ("Delete") one audience. The
// body is a JSON array of operations {"operation_type", "params": {"users":
// [...], "effective_at"?, "expires_at"?}}, each carrying one or many users,
// applied in the request's order, all or none.
//   - its own window, 1,500 requests a minute by default, shown as
//     x-rate-limit-* on every answer; over it: 429 (rule members_over_budget);
//   - over 5,000,000 bytes of body: 413 (rule members_body_over_limit);
//     over 2,500 users, counted across operations (the stricter reading):
//     400 TOO_MANY_OPERATIONS (rule members_over_2500);
//   - errors under "operation_errors", one list per operation, each error
//     with its operation's "index" and, when it is about one user, that
//     user's place in the operation's users as "user_index" (X's error
//     object otherwise: code, message, parameter); nothing changed. A value of a hashed type that is not
//     64 lower-case hex digits is such an error and counts rule raw_pii_sent
//     (per value). A partner_user_id over 255 characters is refused (assumed);
//   - success: "data": {"success_count": n, "total_count": n}. With a short
//     answer rate, some answers apply only the first users and say so
//     (success_count < total_count): the client must send the batch again.
// The member set of an audience is every (type, value) pair added and not
// removed since: tests compare it with their job file.
#pragma once

#include "sim/rate_window.hpp"
#include "sim/twitter/call.hpp"
#include "sim/twitter/store.hpp"

#include <boost/json/object.hpp>

#include <map>
#include <random>
#include <set>
#include <string>

namespace ab::sim::tw {

struct MembersRules {
  std::size_t max_users = 2500;
  std::size_t max_body_bytes = 5'000'000;
  std::size_t max_partner_user_id = 255;  // assumed: X does not publish it
  double short_answer_rate = 0;           // answers applying only some items
};

class MemberSets {
 public:
  void add(const std::string& audience, const std::string& type, const std::string& value);
  void remove(const std::string& audience, const std::string& type, const std::string& value);
  // {"email": [values, sorted], ...}; {} for an audience without members.
  boost::json::object members(const std::string& audience) const;
  // {"audience id": members, ...}
  boost::json::object sizes() const;

 private:
  std::map<std::string, std::map<std::string, std::set<std::string>>> sets_;
};

Answer audience_users(const Call& call, Store& store, MemberSets& members, RateWindow& window,
                      const MembersRules& rules, std::mt19937_64& rng);

}  // namespace ab::sim::tw
