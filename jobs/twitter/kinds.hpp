// The tw.* job kinds (SPEC.md §4), each built on a Context so that tests can
// give them a fake clock and seeded nonces.
#pragma once

#include "engine/run/job_kind.hpp"
#include "jobs/twitter/context.hpp"

#include <memory>
#include <string_view>

namespace ab::tw {

std::unique_ptr<JobKind> make_create_kind(Context context);
std::unique_ptr<JobKind> make_update_kind(Context context);
std::unique_ptr<JobKind> make_delete_kind(Context context);
std::unique_ptr<JobKind> make_get_kind(Context context);
std::unique_ptr<JobKind> make_count_kind(Context context);
std::unique_ptr<JobKind> make_list_kind(Context context);
std::unique_ptr<JobKind> make_flexible_kind(Context context);
std::unique_ptr<JobKind> make_members_kind(Context context);

// The kind called `name` ("tw.create", ...), or null when there is none.
std::unique_ptr<JobKind> make_kind(std::string_view name, Context context);

}  // namespace ab::tw
