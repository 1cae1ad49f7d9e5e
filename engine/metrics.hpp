// The figures of a run (SPEC.md §7), kept in one place so that progress
// lines, the summary and --metrics FILE (Prometheus text) say the same thing.
#pragma once

#include "engine/job_kind.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace ab {

class Metrics {
 public:
  // Upper bounds of the request latency histogram, in seconds.
  static constexpr std::array<double, 12> latency_buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                         0.5,   1,    2.5,   5,    10,  30};

  void row_finished(RowStatus status);
  void row_skipped() { ++skipped_; }
  void request_sent() { ++requests_; }
  void retried() { ++retries_; }
  void answered(unsigned status, std::chrono::nanoseconds latency);
  void connection_failed() { ++connection_failures_; }

  std::uint64_t rows(RowStatus status) const { return rows_[static_cast<std::size_t>(status)]; }
  std::uint64_t rows_done() const;  // final in this run
  std::uint64_t skipped() const { return skipped_; }
  std::uint64_t requests() const { return requests_; }
  std::uint64_t retries() const { return retries_; }
  std::uint64_t throttled() const { return throttled_; }

  // Prometheus text exposition format, metric names prefixed audience_batch_.
  std::string prometheus(std::string_view job_kind, double seconds) const;

 private:
  std::array<std::uint64_t, 4> rows_{};
  std::uint64_t skipped_ = 0;
  std::uint64_t requests_ = 0;
  std::uint64_t retries_ = 0;
  std::uint64_t throttled_ = 0;
  std::uint64_t connection_failures_ = 0;
  std::map<unsigned, std::uint64_t> answers_;  // by HTTP status
  std::array<std::uint64_t, latency_buckets.size()> latency_counts_{};
  std::uint64_t latency_count_ = 0;
  double latency_sum_ = 0;
};

}  // namespace ab
