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

// A tw.* kind's declaration (one file each, listed in jobs/kinds.def), with
// a factory on a context of the caller's (tests: a fake clock, seeded nonces).
struct Declaration {
  KindDeclaration kind;
  std::unique_ptr<JobKind> (*make)(Context context) = nullptr;
};

// The declaration of `Kind`, made from a context: `kind`, whose factory
// takes the context of the run's endpoints, and the factory for tests.
template <class Kind>
Declaration declare(KindDeclaration kind) {
  kind.make = [](const JobConfig& config) -> std::unique_ptr<JobKind> {
    return std::make_unique<Kind>(make_context(config.tw));
  };
  return {kind, [](Context context) -> std::unique_ptr<JobKind> { return std::make_unique<Kind>(std::move(context)); }};
}

}  // namespace ab::tw
