// Where a run's figures go besides the summary: --metrics FILE (every
// --metrics-interval and at the end) and --pushgateway URL (at the end).
#pragma once

#include "engine/run/run_options.hpp"
#include "engine/report/metrics_file.hpp"

#include <string>
#include <vector>

namespace ab {

class MetricsOutput {
 public:
  // Reads the last-run gauges of an existing --metrics file, to carry them.
  MetricsOutput(const RunSettings& options, std::string_view kind);

  // During the run: rewrites the file when the interval has passed.
  void tick(const Metrics& metrics, double seconds, std::uint64_t skipped);
  // At the end: the file and the push. Returns warnings, one a line, for the log.
  std::vector<std::string> finish(const Metrics& metrics, double seconds, std::uint64_t skipped, int exit_code);

 private:
  MetricsContext context(double seconds, std::uint64_t skipped, bool running) const;
  static std::chrono::milliseconds steady_now();

  const RunSettings& options_;
  std::string kind_;
  LastRun before_;
  MetricsSchedule schedule_;
  std::string warning_;  // the first failed periodic write, reported once at the end
};

}  // namespace ab
