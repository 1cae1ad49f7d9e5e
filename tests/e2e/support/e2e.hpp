// What end-to-end tests share: a scratch directory, job files, reading a
// results file back, the simulator's referee, and the CLI as a child process.
#pragma once

#include "audience_batch/run.hpp"
#include "audience_batch/simulator.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ab::e2e {

// A fresh directory under the system temp dir, removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

void write_file(const std::filesystem::path& file, const std::string& text);
std::string read_file(const std::filesystem::path& file);

struct ResultLine {
  std::string status;
  unsigned http_status = 0;
  std::string id;
  unsigned attempts = 0;
  std::string error;
  std::vector<std::string> echo;  // the --echo columns' cells, in the header's order
};

// The results file by row. Fails the current test (ADD_FAILURE) when a row
// has more than one line, the header is wrong, or a line has not the
// header's number of fields (--echo columns follow `error`).
std::map<std::size_t, ResultLine> read_results(const std::filesystem::path& file);
std::size_t count_status(const std::map<std::size_t, ResultLine>& results, const std::string& status);

// /__stats of a simulator, parsed.
boost::json::object stats(const Simulator& sim);
std::uint64_t violations(const Simulator& sim);
std::uint64_t store_count(const Simulator& sim, const char* key);  // stats["store"][key]
// Requests the simulator answered with `status`, all endpoints together (0: every status).
std::uint64_t answers(const Simulator& sim, unsigned status = 0);
// The requests the server's rate window `budget` ("nf", "tw.total_count") let
// through, by the epoch second its window ended (the referee's "windows").
std::map<std::int64_t, std::uint64_t> window_counts(const Simulator& sim, const char* budget);

// Options for run_job pointed at `sim`, quiet, with the results beside the job.
RunOptions options_for(const SimEndpoints& sim, const std::filesystem::path& job, const std::string& kind);

// The CLI as a child process.
struct ChildResult {
  int exit_code = -1;       // -1 when killed
  bool killed = false;
  std::string err;          // stderr
  std::string out;          // stdout
};
struct ChildOptions {
  std::vector<std::string> args;
  std::map<std::string, std::string> env;          // added to a clean environment (PATH kept)
  std::optional<std::chrono::milliseconds> kill_after;  // SIGKILL this long after the fork (but see below)
  // term_signal this long after the child catches it (its run has begun), not after the fork.
  std::optional<std::chrono::milliseconds> term_after;
  int term_signal = 15;                                 // what term_after sends (SIGTERM; SIGHUP, SIGINT)
  std::optional<std::chrono::milliseconds> second_term_after{};  // the same signal again, this long after the first
  // kill_after counted instead from when this file grew past its size at the
  // fork (a results file: the run has written its header or a result), so
  // that a slow start (a sanitized binary, a loaded machine) does not move the
  // kill to before the run has begun. Waits 10 s at most.
  std::optional<std::filesystem::path> kill_counted_from_growth_of{};
};
// `stdin_text`, when given, is the child's standard input; else it inherits ours.
ChildResult run_cli(const ChildOptions& options, const std::optional<std::string>& stdin_text = std::nullopt);
// `child` run again and again, each run killed with SIGKILL at a moment drawn
// from [shortest, longest] (seeded: the same moments each time), until a run
// ends by itself or `tries` were made. Returns the SIGKILL count; fails the
// test when it is under two (the job ended too fast to be killed).
int kill_at_random_moments(ChildOptions child, int tries, std::chrono::milliseconds shortest,
                           std::chrono::milliseconds longest, unsigned seed);
// The CLI with `args` and `env`, neither killed nor stopped.
ChildOptions cli(std::vector<std::string> args, std::map<std::string, std::string> env);
// An nf.create job of `rows` rows named `prefix` and the row's number, every
// `invalid_every`th invalid (0: none).
std::string nf_create_rows(std::size_t rows, std::size_t invalid_every = 0, const std::string& prefix = "Audience");
// A self-signed certificate for 127.0.0.1 and its key, for the simulator's --tls.
void make_loopback_certificate(const std::filesystem::path& cert, const std::filesystem::path& key);

// A child's clean environment: PATH, the directory this test process keeps
// sent marks in (support/test_main.cpp), then `env`, as KEY=VALUE strings.
std::vector<std::string> child_environment(const std::map<std::string, std::string>& env);

// The environment the CLI needs to reach `sim` with its credentials.
std::map<std::string, std::string> sim_environment(const SimEndpoints& sim);

}  // namespace ab::e2e
