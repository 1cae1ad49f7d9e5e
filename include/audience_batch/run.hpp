// audience-batch as a library: run or check one job file, the way the CLI does.
//
//   ab::RunOptions opts;
//   opts.job_file = "audiences.csv";
//   opts.kind = "nf.create";
//   opts.job.nf.api = "https://app.neuroflash.com/api";   // or opts.use_simulator = true
//   ab::Summary s = ab::run_job(opts, std::cerr);
//   return s.exit_code;
//
// run_job blocks until the job ends (every row final), stops (deadline,
// SIGINT/SIGTERM when install_signal_handlers is set) or cannot start.
#pragma once

#include "audience_batch/simulator.hpp"
#include "engine/run/run_options.hpp"
#include "engine/run/summary.hpp"

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>

namespace ab {

// RateSpec, the endpoints, JobConfig, ProxyOptions and the engine's
// RunSettings are the engine's (engine/run/run_options.hpp), Summary too
// (engine/run/summary.hpp); this header re-exports them.

// A run's options: the engine's settings, plus the embedded simulator's.
struct RunOptions : RunSettings {
  bool use_simulator = false;             // --sim: serve both APIs in-process ...
  bool sim_store_ids = false;             // --sim-store ids: the simulator keeps ids, not profiles
  SimOptions simulator;                   // ... with these faults (--sim-latency, --sim-error-rate, ...)
};

// Runs a job: streams the file, sends what is not final yet, appends results.
// Never throws for a job-level problem: it is in Summary::exit_code/error.
Summary run_job(const RunOptions& options, std::ostream& log);

struct CheckSummary {
  std::uint64_t rows = 0;
  std::uint64_t invalid = 0;
  int exit_code = 0;  // 0 all valid, 1 some invalid, 2 unreadable / unknown kind
  std::string error;
};

// Validates every row without sending anything: one "row N: column: reason"
// line per invalid row on `report`.
CheckSummary check_job(const std::filesystem::path& job_file, const std::string& kind,
                       const JobConfig& config, std::ostream& report);
// The same for `options.job_file` and `options.kind`, also refusing --echo
// columns a run would refuse.
CheckSummary check_job(const RunOptions& options, std::ostream& report);

}  // namespace ab
