// Placeholder until the neuroflash job kinds land (issue 5): knows no kind yet.
#include "jobs/registry.hpp"

namespace ab {
std::unique_ptr<JobKind> make_neuroflash_kind(std::string_view, const JobConfig&) { return nullptr; }
}  // namespace ab
