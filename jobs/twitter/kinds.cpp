#include "jobs/twitter/kinds.hpp"

#include <array>
#include <utility>

namespace ab::tw {

std::unique_ptr<JobKind> make_kind(std::string_view name, Context context) {
  using Factory = std::unique_ptr<JobKind> (*)(Context);
  static constexpr std::array<std::pair<std::string_view, Factory>, 8> kKinds = {{
      {"tw.create", make_create_kind},
      {"tw.update", make_update_kind},
      {"tw.delete", make_delete_kind},
      {"tw.get", make_get_kind},
      {"tw.count", make_count_kind},
      {"tw.list", make_list_kind},
      {"tw.flexible", make_flexible_kind},
      {"tw.members", make_members_kind},
  }};
  for (const auto& [kind, factory] : kKinds)
    if (kind == name) return factory(std::move(context));
  return nullptr;
}

}  // namespace ab::tw
