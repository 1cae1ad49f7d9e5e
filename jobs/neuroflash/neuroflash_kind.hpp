// The frame of every nf.* kind: one row per call, the session started once,
// every row finished exactly once (a row the stopping run cut short as
// `stopped`, left for the next run). A kind says only what its row needs.
#pragma once

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
  boost::asio::awaitable<StartResult> start(Api& api) final { return session_.start(api); }
  boost::asio::awaitable<void> run(std::vector<Task> tasks, Api& api, RowSink& sink) final;

  Session& session() { return session_; }

 protected:
  // One row, from its task to its result (`stopped` when the run stopped first).
  virtual boost::asio::awaitable<RowResult> perform(Task task, Api& api, RowSink& sink) = 0;

  const JobConfig& config() const { return session_.config(); }

 private:
  Session session_;
};

// Kinds whose row names one audience (nf.get, nf.delete): the id column, and
// the task {"id": ...}.
std::span<const Column> id_columns();
Validation id_task(const Row& row);

// What every nf.* kind declares alike (jobs/neuroflash/api_declaration.cpp):
// the API, and the budgets "nf" and "nf.token" (no default: the API
// publishes its limits, x-rate-limit-*, and those pace them).
extern const ApiDeclaration api_declaration;
inline constexpr std::array<BudgetDeclaration, 2> budgets = {{{api_budget}, {"nf.token"}}};

// The kinds (one file each): their declarations, listed in jobs/registry.cpp,
// and their factories with a clock of the caller's (tests).
extern const KindDeclaration url_import_declaration;
extern const KindDeclaration create_declaration;
extern const KindDeclaration update_declaration;
extern const KindDeclaration delete_declaration;
extern const KindDeclaration get_declaration;
std::unique_ptr<JobKind> make_url_import_kind(const JobConfig& config, Clock clock);
std::unique_ptr<JobKind> make_create_kind(const JobConfig& config, Clock clock);
std::unique_ptr<JobKind> make_update_kind(const JobConfig& config, Clock clock);
std::unique_ptr<JobKind> make_delete_kind(const JobConfig& config, Clock clock);
std::unique_ptr<JobKind> make_get_kind(const JobConfig& config, Clock clock);

// A declaration's factory: `Make` with the steady clock.
Clock steady_clock();
template <std::unique_ptr<JobKind> (*Make)(const JobConfig&, Clock)>
std::unique_ptr<JobKind> with_steady_clock(const JobConfig& config) {
  return Make(config, steady_clock());
}

}  // namespace ab::nf
