// The frame of every nf.* kind: one row per call, the session started once,
// every row finished exactly once (a row the stopping run cut short as
// `stopped`, left for the next run). A kind says only what its row needs.
#pragma once

#include "engine/run/job_kind.hpp"
#include "jobs/neuroflash/session.hpp"

#include <memory>
#include <span>

namespace ab::nf {

class NeuroflashKind : public JobKind {
 public:
  NeuroflashKind(const JobConfig& config, Clock clock) : session_(config, std::move(clock)) {}

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

// The kinds (one file each), with the real steady clock unless told otherwise.
std::unique_ptr<JobKind> make_url_import_kind(const JobConfig& config, Clock clock);
std::unique_ptr<JobKind> make_create_kind(const JobConfig& config, Clock clock);
std::unique_ptr<JobKind> make_update_kind(const JobConfig& config, Clock clock);
std::unique_ptr<JobKind> make_delete_kind(const JobConfig& config, Clock clock);
std::unique_ptr<JobKind> make_get_kind(const JobConfig& config, Clock clock);

}  // namespace ab::nf
