// The X Ads API v8 job kinds (tw.*): see jobs/twitter/.
#include "jobs/registry.hpp"
#include "jobs/twitter/context.hpp"
#include "jobs/twitter/kinds.hpp"

namespace ab {

std::unique_ptr<JobKind> make_twitter_kind(std::string_view name, const JobConfig& config) {
  return tw::make_kind(name, tw::make_context(config.tw));
}

}  // namespace ab
