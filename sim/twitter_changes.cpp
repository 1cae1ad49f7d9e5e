#include "sim/twitter_changes.hpp"

namespace ab::sim::tw {

std::optional<ChangeRefusal> refuse_change(const Audience* audience, std::string_view id, Change change) {
  if (!audience || audience->deleted)
    return ChangeRefusal{404, {code::not_found, "no tailored audience " + std::string(id), "tailored_audience_id"}};
  if (audience->permission_level != "READ_WRITE")
    return ChangeRefusal{
        403,
        {code::action_not_allowed, "tailored audience " + audience->id + " is shared with this account, read-only",
         "tailored_audience_id"}};
  if (change == Change::update && audience->flexible())
    return ChangeRefusal{
        403, {code::action_not_allowed, "a flexible audience cannot be changed once created", "tailored_audience_id"}};
  return std::nullopt;
}

}  // namespace ab::sim::tw
