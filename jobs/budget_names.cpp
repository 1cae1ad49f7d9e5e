#include "jobs/budget_names.hpp"

#include "jobs/neuroflash/session.hpp"
#include "jobs/twitter/context.hpp"

#include <array>

namespace ab {

std::span<const BudgetName> budget_names() {
  static constexpr std::array<BudgetName, 4> names{{
      {nf::api_budget, "nf."},
      {"nf.token", "nf."},  // jobs/neuroflash/oauth2.cpp: token requests
      {tw::kBudget, "tw."},
      {tw::kTotalCountBudget, "tw."},
  }};
  return names;
}

}  // namespace ab
