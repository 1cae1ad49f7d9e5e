// The tw.* job kinds (SPEC.md §4), each built on a Context so that tests can
// give them a fake clock and seeded nonces.
#pragma once

#include "engine/run/job_kind.hpp"
#include "jobs/kind_declaration.hpp"
#include "jobs/twitter/context.hpp"

#include <array>
#include <memory>
#include <string_view>

namespace ab::tw {

// What every tw.* kind declares alike (jobs/twitter/api_declaration.cpp): the
// API, and the budget "tw" every request is charged to (no default: X's
// published x-rate-limit-* headers pace it).
extern const ApiDeclaration api_declaration;
inline constexpr std::array<BudgetDeclaration, 1> budgets = {{{kBudget}}};

// The kinds (one file each): their declarations, listed in jobs/registry.cpp,
// and their factories with a context of the caller's (tests).
extern const KindDeclaration create_declaration;
extern const KindDeclaration update_declaration;
extern const KindDeclaration delete_declaration;
extern const KindDeclaration get_declaration;
extern const KindDeclaration count_declaration;
extern const KindDeclaration list_declaration;
extern const KindDeclaration flexible_declaration;
extern const KindDeclaration members_declaration;
std::unique_ptr<JobKind> make_create_kind(Context context);
std::unique_ptr<JobKind> make_update_kind(Context context);
std::unique_ptr<JobKind> make_delete_kind(Context context);
std::unique_ptr<JobKind> make_get_kind(Context context);
std::unique_ptr<JobKind> make_count_kind(Context context);
std::unique_ptr<JobKind> make_list_kind(Context context);
std::unique_ptr<JobKind> make_flexible_kind(Context context);
std::unique_ptr<JobKind> make_members_kind(Context context);

// A declaration's factory: `Make` with the context of the run's endpoints.
template <std::unique_ptr<JobKind> (*Make)(Context)>
std::unique_ptr<JobKind> with_endpoints(const JobConfig& config) {
  return Make(make_context(config.tw));
}

}  // namespace ab::tw
