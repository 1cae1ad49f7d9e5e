// The figures of a run (SPEC.md §7), kept in one place so that progress
// lines, the summary and --metrics FILE (Prometheus text) say the same thing.
#pragma once

#include "engine/run/job_kind.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace ab {

// What monitoring alerts on between runs: when the last run ended, how, and
// when one last succeeded. Carried from the previous --metrics file while a
// run is under way, so that a scrape in the middle of a run still sees them.
struct LastRun {
  std::optional<double> end_time;      // Unix seconds
  std::optional<int> exit_code;
  std::optional<double> success_time;  // Unix seconds of the last run that exited 0
};

// The run-level facts the counters do not hold.
struct MetricsContext {
  std::string_view kind;
  double seconds = 0;          // wall time of the run so far
  std::uint64_t skipped = 0;   // rows already final in the results file
  bool running = true;
  LastRun last;
};

class Metrics {
 public:
  // Upper bounds of the request latency histogram, in seconds.
  static constexpr std::array<double, 12> latency_buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                         0.5,   1,    2.5,   5,    10,  30};

  void row_finished(RowStatus status);
  void request_sent() { ++requests_; }
  void retried() { ++retries_; }
  void answered(unsigned status, std::chrono::nanoseconds latency);
  void connection_failed() { ++connection_failures_; }
  // A request held back by a client-side budget (or a time the server named).
  void budget_waited(std::chrono::nanoseconds wait);

  std::uint64_t rows(RowStatus status) const { return rows_[static_cast<std::size_t>(status)]; }
  std::uint64_t rows_done() const;  // final in this run
  std::uint64_t requests() const { return requests_; }
  std::uint64_t retries() const { return retries_; }
  std::uint64_t throttled() const { return throttled_; }
  std::uint64_t budget_waits() const { return budget_waits_; }

  // Prometheus text exposition format, node_exporter textfile conventions:
  // names prefixed audience_batch_, counters _total, durations _seconds, the
  // job kind in a `kind` label (Prometheus keeps `job` for its own), no timestamps.
  std::string prometheus(const MetricsContext& context) const;

 private:
  std::array<std::uint64_t, 4> rows_{};
  std::uint64_t requests_ = 0;
  std::uint64_t retries_ = 0;
  std::uint64_t throttled_ = 0;
  std::uint64_t connection_failures_ = 0;
  std::uint64_t budget_waits_ = 0;
  double budget_wait_seconds_ = 0;
  std::array<std::uint64_t, 5> answers_by_class_{};  // 1xx .. 5xx
  std::array<std::uint64_t, latency_buckets.size()> latency_counts_{};
  std::uint64_t latency_count_ = 0;
  double latency_sum_ = 0;
};

}  // namespace ab
