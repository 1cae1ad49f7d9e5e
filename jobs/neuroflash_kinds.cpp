// The neuroflash job kinds by their --job name (SPEC.md §4); each lives in
// jobs/neuroflash/<kind>.cpp.
#include "jobs/neuroflash/neuroflash_kind.hpp"
#include "jobs/registry.hpp"

#include <chrono>

namespace ab {

std::unique_ptr<JobKind> make_neuroflash_kind(std::string_view name, const JobConfig& config) {
  using Factory = std::unique_ptr<JobKind> (*)(const JobConfig&, nf::Clock);
  static constexpr std::pair<std::string_view, Factory> kinds[] = {
      {"nf.url-import", nf::make_url_import_kind}, {"nf.create", nf::make_create_kind},
      {"nf.update", nf::make_update_kind},         {"nf.delete", nf::make_delete_kind},
      {"nf.get", nf::make_get_kind},
  };
  for (const auto& [kind_name, make] : kinds)
    if (kind_name == name) return make(config, [] { return std::chrono::steady_clock::now(); });
  return nullptr;
}

}  // namespace ab
