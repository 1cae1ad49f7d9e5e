// The frame of every nf.* kind: one row per call, the session started once,
// every row finished exactly once (a row the stopping run cut short as
// `stopped`, left for the next run). A kind says only what its row needs.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/run/job_kind.hpp"
#include "jobs/kind_declaration.hpp"
#include "jobs/neuroflash/session.hpp"

#include <array>
#include <memory>
#include <span>

namespace ab::nf {

class NeuroflashKind : public DeclaredKind {
 public:
  NeuroflashKind(const KindDeclaration& declaration, const JobConfig& config, Clock clock)
      : DeclaredKind(declaration), session_(config, std::move(clock)) {}

  std::string rows_server() const final { return config().nf.api; }
  Awaitable<StartResult> start(Api& api) final { return session_.start(api); }
  Awaitable<void> run(std::vector<Task> tasks, Api& api, RowSink& sink) final;

  Session& session() { return session_; }

 protected:
  // One row, from its task to its result (`stopped` when the run stopped first).
  virtual Awaitable<RowResult> perform(Task task, Api& api, RowSink& sink) = 0;

  const JobConfig& config() const { return session_.config(); }

 private:
  Session session_;
};

// Kinds whose row names one audience (nf.get, nf.delete): the id column
// (nf.update's first), and the task {"id": ...}.
std::span<const Column> id_columns();
Validation id_task(const Row& row, const Fields& fields);

// What every nf.* kind declares alike (jobs/neuroflash/api_declaration.cpp):
// the API, and the budgets "nf" and "nf.token" (no default: the API
// publishes its limits, x-rate-limit-*, and those pace them).
extern const ApiDeclaration api_declaration;
inline constexpr std::array<BudgetDeclaration, 2> budgets = {{{api_budget}, {"nf.token"}}};

// An nf.* kind's declaration (one file each, listed in jobs/kinds.def), with
// a factory on a clock of the caller's (tests).
struct Declaration {
  KindDeclaration kind;
  std::unique_ptr<JobKind> (*make)(const JobConfig& config, Clock clock) = nullptr;
};

// The declaration of `Kind`, made from a config and a clock: `kind`, whose
// factory takes the steady clock, and the factory for tests.
Clock steady_clock();
template <class Kind>
Declaration declare(KindDeclaration kind) {
  kind.make = [](const JobConfig& config) -> std::unique_ptr<JobKind> {
    return std::make_unique<Kind>(config, steady_clock());
  };
  return {kind, [](const JobConfig& config, Clock clock) -> std::unique_ptr<JobKind> {
            return std::make_unique<Kind>(config, std::move(clock));
          }};
}

}  // namespace ab::nf
