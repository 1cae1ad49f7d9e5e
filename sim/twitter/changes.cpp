#include "sim/twitter/changes.hpp"

namespace ab::sim::tw {

std::optional<ChangeRefusal> refuse_change(const Audience* audience, std::string_view id, Change change,
                                           const Dialect& dialect, std::string_view parameter) {
  const std::string param(parameter);
  if (!audience || audience->deleted)
    return ChangeRefusal{404, {code::not_found, "no " + std::string(dialect.noun) + " " + std::string(id), param}};
  if (audience->permission_level != "READ_WRITE")
    return ChangeRefusal{403,
                         {code::action_not_allowed,
                          std::string(dialect.noun) + " " + audience->id + " is shared with this account, read-only",
                          param}};
  if (change == Change::update && audience->flexible())
    return ChangeRefusal{403, {code::action_not_allowed, "a flexible audience cannot be changed once created", param}};
  return std::nullopt;
}

}  // namespace ab::sim::tw
