// Runs one job kind over one job file: the whole pipeline of DESIGN.md, from
// the CSV reader to the results file, with the limits, retries, progress,
// stopping and resume of SPEC.md §5-§7. Choosing the kind and the endpoints
// is the caller's (library/run_job.cpp).
#pragma once

#include "engine/run/run_options.hpp"
#include "engine/run/summary.hpp"
#include "engine/report/event_log.hpp"
#include "engine/run/job_kind.hpp"

#include <filesystem>
#include <iosfwd>

namespace ab {

// JOB.csv -> JOB.results.csv, beside the job file.
std::filesystem::path default_results_path(const std::filesystem::path& job_file);
// JOB.csv as shard K of N -> JOB.shard-K-of-N.results.csv (shards 0: as above).
std::filesystem::path default_results_path(const std::filesystem::path& job_file, unsigned shard, unsigned shards);

// `options.rates` are the run's budgets, the kind's defaults already among
// them (with_rate_defaults, jobs/registry.hpp).
Summary run_with_kind(JobKind& kind, const RunSettings& options, std::ostream& log);

// Rows a run holds in its workers at once (read, not yet ended), whatever a
// batch's size. Each worker holds one batch; at a row or ten a batch the
// workers bound memory by themselves, but a tw.members batch is 2,500 rows:
// 128 workers held 320,000 rows (and as many batches were read ahead during
// the login) for an endpoint whose budget lets 25 requests a second leave.
// Batches are gathered from what is read (Batcher: up to 4 batches' worth
// across audiences, on top of this), so requests still go out full; the bound
// also caps what a kill -9 leaves to be sent again.
inline constexpr std::size_t max_rows_held = 40'000;
// The row workers of a run at --concurrency `concurrency`, for batches of
// `batching.max_rows`: as many as the requests in flight need (see
// runner.cpp), at most max_rows_held / max_rows, at least one.
unsigned row_workers(unsigned concurrency, const BatchPolicy& batching);

// The log of a run as -q, -v and --log-format ask.
EventLog event_log_for(const RunSettings& options, std::ostream& log);

// The summary as an event: its text is format_summary's, its fields the figures.
void log_summary(EventLog& events, const Summary& summary);

// The summary of SPEC.md §7 as printed at the end of a run.
std::string format_summary(const Summary& summary);

}  // namespace ab
