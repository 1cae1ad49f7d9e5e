// Placeholder until the X Ads job kinds land (issue 6): knows no kind yet.
#include "jobs/registry.hpp"

namespace ab {
std::unique_ptr<JobKind> make_twitter_kind(std::string_view, const JobConfig&) { return nullptr; }
}  // namespace ab
