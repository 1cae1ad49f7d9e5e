#include "jobs/budget_names.hpp"

#include "jobs/neuroflash/session.hpp"
#include "jobs/twitter/context.hpp"

#include <array>

namespace ab {

std::span<const BudgetName> budget_names() {
  static constexpr std::array<BudgetName, 5> names{{
      {nf::api_budget, "nf."},
      {"nf.token", "nf."},  // jobs/neuroflash/oauth2.cpp: token requests
      {tw::kBudget, "tw."},
      {tw::kTotalCountBudget, "tw."},
      {"tw.members", "tw.members"},  // jobs/twitter/members_kind.cpp: the membership endpoint
  }};
  return names;
}

}  // namespace ab
