#include "jobs/registry.hpp"

#include <array>

namespace ab {

namespace {
constexpr std::array<std::string_view, 13> kNames = {
    "nf.url-import", "nf.create", "nf.update", "nf.delete", "nf.get",
    "tw.create",     "tw.update", "tw.delete", "tw.get",    "tw.count",
    "tw.list",       "tw.flexible", "tw.members",
};
}  // namespace

std::span<const std::string_view> job_kind_names() { return kNames; }

std::unique_ptr<JobKind> make_job_kind(std::string_view name, const JobConfig& config) {
  if (name.starts_with("nf.")) return make_neuroflash_kind(name, config);
  if (name.starts_with("tw.")) return make_twitter_kind(name, config);
  return nullptr;
}

}  // namespace ab
