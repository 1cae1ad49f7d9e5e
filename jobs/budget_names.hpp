// The budgets the job kinds charge their requests to: what --rate may name.
#pragma once

#include <span>
#include <string_view>

namespace ab {

struct BudgetName {
  std::string_view name;    // "tw.total_count"
  std::string_view kinds;   // the prefix of the job kinds that charge it: "nf." or "tw."
};

std::span<const BudgetName> budget_names();

}  // namespace ab
