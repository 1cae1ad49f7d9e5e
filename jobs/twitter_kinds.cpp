// The X Ads API job kinds (tw.*), v8 and v9 or later alike: see jobs/twitter/.
#include "jobs/registry.hpp"
#include "jobs/twitter/context.hpp"
#include "jobs/twitter/kinds.hpp"

namespace ab {

std::unique_ptr<JobKind> make_twitter_kind(std::string_view name, const JobConfig& config) {
  return tw::make_kind(name, tw::make_context(config.tw));
}

}  // namespace ab
