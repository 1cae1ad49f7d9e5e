#include "jobs/registry.hpp"

#include "jobs/kind_list.hpp"

#include <algorithm>
#include <array>

namespace ab {

namespace {

// The table: a kind is declared in its own file (jobs/<api>/<kind>.cpp) and
// listed in jobs/kinds.def, one line, in the order --help shows.
constexpr const KindDeclaration* kKinds[] = {
#define AB_KIND(api, name) &api::name##_declaration.kind,
#include "jobs/kinds.def"
#undef AB_KIND
};

}  // namespace

std::span<const KindDeclaration* const> job_kinds() { return kKinds; }

std::vector<const ApiDeclaration*> job_apis() {
  std::vector<const ApiDeclaration*> apis;
  for (const KindDeclaration* kind : kKinds)
    if (std::find(apis.begin(), apis.end(), kind->api) == apis.end()) apis.push_back(kind->api);
  return apis;
}

const KindDeclaration* find_job_kind(std::string_view name) {
  const auto at = std::find_if(std::begin(kKinds), std::end(kKinds), [&](const KindDeclaration* k) { return k->name == name; });
  return at == std::end(kKinds) ? nullptr : *at;
}

std::unique_ptr<JobKind> make_job_kind(std::string_view name, const JobConfig& config) {
  const KindDeclaration* kind = find_job_kind(name);
  return kind ? kind->make(config) : nullptr;
}

std::span<const std::string_view> job_kind_names() {
  static const auto names = [] {
    std::array<std::string_view, std::size(kKinds)> out{};
    std::transform(std::begin(kKinds), std::end(kKinds), out.begin(), [](const KindDeclaration* k) { return k->name; });
    return out;
  }();
  return names;
}

std::string job_kind_list() {
  std::string list;
  for (std::string_view name : job_kind_names()) list += (list.empty() ? "" : ", ") + std::string(name);
  return list;
}

std::vector<RateSpec> with_rate_defaults(const std::vector<RateSpec>& given, const KindDeclaration& kind) {
  std::vector<RateSpec> rates = given;
  for (const BudgetDeclaration& budget : kind.budgets) {
    const bool set = std::any_of(given.begin(), given.end(), [&](const RateSpec& r) { return r.name == budget.name; });
    if (!set && budget.limit > 0) rates.push_back(RateSpec{std::string(budget.name), budget.limit, budget.window});
  }
  return rates;
}

std::vector<std::string_view> budget_names() {
  std::vector<std::string_view> names;
  for (const KindDeclaration* kind : kKinds)
    for (const BudgetDeclaration& budget : kind->budgets)
      if (std::find(names.begin(), names.end(), budget.name) == names.end()) names.push_back(budget.name);
  return names;
}

std::vector<const KindDeclaration*> kinds_charging(std::string_view budget) {
  std::vector<const KindDeclaration*> kinds;
  for (const KindDeclaration* kind : kKinds)
    if (std::any_of(kind->budgets.begin(), kind->budgets.end(), [&](const auto& b) { return b.name == budget; }))
      kinds.push_back(kind);
  return kinds;
}

}  // namespace ab
