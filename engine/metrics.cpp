#include "engine/metrics.hpp"

#include <sstream>

namespace ab {

void Metrics::row_finished(RowStatus status) { ++rows_[static_cast<std::size_t>(status)]; }

std::uint64_t Metrics::rows_done() const { return rows_[0] + rows_[1] + rows_[2] + rows_[3]; }

void Metrics::answered(unsigned status, std::chrono::nanoseconds latency) {
  ++answers_[status];
  if (status == 429) ++throttled_;
  const double seconds = std::chrono::duration<double>(latency).count();
  for (std::size_t i = 0; i < latency_buckets.size(); ++i)
    if (seconds <= latency_buckets[i]) ++latency_counts_[i];
  ++latency_count_;
  latency_sum_ += seconds;
}

std::string Metrics::prometheus(std::string_view job_kind, double seconds) const {
  std::ostringstream out;
  const std::string kind = "job=\"" + std::string(job_kind) + "\"";
  auto counter = [&](std::string_view name, std::string_view help, std::uint64_t value) {
    out << "# HELP audience_batch_" << name << " " << help << "\n# TYPE audience_batch_" << name
        << " counter\naudience_batch_" << name << "{" << kind << "} " << value << "\n";
  };
  out << "# HELP audience_batch_rows_total Rows that ended in this run, by status.\n"
         "# TYPE audience_batch_rows_total counter\n";
  constexpr std::array<std::string_view, 4> names{"ok", "invalid", "failed", "unknown"};
  for (std::size_t i = 0; i < names.size(); ++i)
    out << "audience_batch_rows_total{" << kind << ",status=\"" << names[i] << "\"} " << rows_[i] << "\n";
  counter("rows_skipped_total", "Rows already final in the results file.", skipped_);
  counter("requests_total", "HTTP requests sent, retries included.", requests_);
  counter("retries_total", "Requests sent again after a retryable failure.", retries_);
  counter("throttled_total", "Answers with status 429.", throttled_);
  counter("connection_failures_total", "Attempts that got no HTTP answer.", connection_failures_);
  out << "# HELP audience_batch_answers_total HTTP answers by status.\n"
         "# TYPE audience_batch_answers_total counter\n";
  for (const auto& [status, n] : answers_)
    out << "audience_batch_answers_total{" << kind << ",code=\"" << status << "\"} " << n << "\n";
  out << "# HELP audience_batch_request_duration_seconds Time from sending a request to its answer.\n"
         "# TYPE audience_batch_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < latency_buckets.size(); ++i)
    out << "audience_batch_request_duration_seconds_bucket{" << kind << ",le=\"" << latency_buckets[i] << "\"} "
        << latency_counts_[i] << "\n";
  out << "audience_batch_request_duration_seconds_bucket{" << kind << ",le=\"+Inf\"} " << latency_count_ << "\n"
      << "audience_batch_request_duration_seconds_sum{" << kind << "} " << latency_sum_ << "\n"
      << "audience_batch_request_duration_seconds_count{" << kind << "} " << latency_count_ << "\n";
  out << "# HELP audience_batch_run_seconds Wall time of the run.\n# TYPE audience_batch_run_seconds gauge\n"
      << "audience_batch_run_seconds{" << kind << "} " << seconds << "\n";
  return out.str();
}

}  // namespace ab
