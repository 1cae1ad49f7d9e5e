// Every job kind, by its --job name: the one table of declarations
// (jobs/kind_declaration.hpp) that the CLI, `check` and `run` read.
#pragma once

#include "engine/run/job_kind.hpp"
#include "engine/run/run_options.hpp"
#include "jobs/kind_declaration.hpp"

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ab {

// Every kind, in the order --help lists them.
std::span<const KindDeclaration* const> job_kinds();

// The APIs the kinds talk to, each once, in the table's order.
std::vector<const ApiDeclaration*> job_apis();

// The kind named `name` ("nf.create", "tw.count", ...), or null when unknown.
const KindDeclaration* find_job_kind(std::string_view name);
std::unique_ptr<JobKind> make_job_kind(std::string_view name, const JobConfig& config);

// All names, in the order --help lists them.
std::span<const std::string_view> job_kind_names();
// "nf.url-import, nf.create, ...": the names for a message.
std::string job_kind_list();

// The --rate specs `given` plus the kind's declared defaults for the budgets not given.
std::vector<RateSpec> with_rate_defaults(const std::vector<RateSpec>& given, const KindDeclaration& kind);

// Every budget some kind declares, each once, in the table's order.
std::vector<std::string_view> budget_names();
// The kinds whose requests are charged to `budget`.
std::vector<const KindDeclaration*> kinds_charging(std::string_view budget);

}  // namespace ab
