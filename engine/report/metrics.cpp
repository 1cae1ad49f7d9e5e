#include "engine/report/metrics.hpp"

#include <cstdio>
#include <sstream>

namespace ab {

namespace {

// Shortest text that reads back as the same double ("0.005", "12.5", "1e+21").
std::string number(double value) {
  char text[32];
  double back = 0;
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, value);
    if (std::sscanf(text, "%lf", &back) == 1 && back == value) break;
  }
  return text;
}

class Exposition {
 public:
  explicit Exposition(std::string_view kind) : kind_label_("kind=\"" + escaped(kind) + "\"") {}

  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ << "# HELP audience_batch_" << name << " " << help << "\n# TYPE audience_batch_" << name << " " << type
         << "\n";
  }
  // `extra` is further labels, already formatted: status="ok"
  void sample(std::string_view name, std::string_view extra, const std::string& value) {
    out_ << "audience_batch_" << name << "{" << kind_label_;
    if (!extra.empty()) out_ << "," << extra;
    out_ << "} " << value << "\n";
  }
  void single(std::string_view name, std::string_view type, std::string_view help, const std::string& value) {
    family(name, type, help);
    sample(name, "", value);
  }
  std::string text() const { return out_.str(); }

 private:
  static std::string escaped(std::string_view value) {
    std::string out;
    for (char c : value) {
      if (c == '\\' || c == '"') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    return out;
  }

  std::string kind_label_;
  std::ostringstream out_;
};

std::string count(std::uint64_t n) { return std::to_string(n); }

}  // namespace

void Metrics::row_finished(RowStatus status) { ++rows_[static_cast<std::size_t>(status)]; }

std::uint64_t Metrics::rows_done() const { return rows_[0] + rows_[1] + rows_[2] + rows_[3]; }

void Metrics::answered(unsigned status, std::chrono::nanoseconds latency) {
  if (status >= 100 && status < 600) ++answers_by_class_[status / 100 - 1];
  if (status == 429) ++throttled_;
  const double seconds = std::chrono::duration<double>(latency).count();
  for (std::size_t i = 0; i < latency_buckets.size(); ++i)
    if (seconds <= latency_buckets[i]) ++latency_counts_[i];
  ++latency_count_;
  latency_sum_ += seconds;
}

void Metrics::budget_waited(std::chrono::nanoseconds wait) {
  ++budget_waits_;
  budget_wait_seconds_ += std::chrono::duration<double>(wait).count();
}

std::string Metrics::prometheus(const MetricsContext& c) const {
  Exposition e(c.kind);
  e.family("rows_total", "counter", "Rows that ended in this run, by status.");
  constexpr std::array<std::string_view, 4> statuses{"ok", "invalid", "failed", "unknown"};
  for (std::size_t i = 0; i < statuses.size(); ++i)
    e.sample("rows_total", "status=\"" + std::string(statuses[i]) + "\"", count(rows_[i]));
  e.single("rows_skipped_total", "counter", "Rows already final in the results file, not sent again.",
           count(c.skipped));
  e.single("requests_total", "counter", "HTTP requests sent, retries included.", count(requests_));
  e.family("responses_total", "counter", "HTTP answers by status class.");
  for (std::size_t i = 0; i < answers_by_class_.size(); ++i)
    e.sample("responses_total", "code=\"" + std::to_string(i + 1) + "xx\"", count(answers_by_class_[i]));
  e.single("connection_failures_total", "counter", "Attempts that got no HTTP answer.", count(connection_failures_));
  e.single("retries_total", "counter", "Requests sent again after a retryable failure.", count(retries_));
  e.single("throttled_total", "counter", "Answers with status 429.", count(throttled_));
  e.single("budget_waits_total", "counter", "Times a request waited for a rate budget or a time the server named.",
           count(budget_waits_));
  e.single("budget_wait_seconds_total", "counter", "Time requests spent waiting for a rate budget.",
           number(budget_wait_seconds_));
  e.family("request_duration_seconds", "histogram", "Time from sending a request to its answer.");
  for (std::size_t i = 0; i < latency_buckets.size(); ++i)
    e.sample("request_duration_seconds_bucket", "le=\"" + number(latency_buckets[i]) + "\"",
             count(latency_counts_[i]));
  e.sample("request_duration_seconds_bucket", "le=\"+Inf\"", count(latency_count_));
  e.sample("request_duration_seconds_sum", "", number(latency_sum_));
  e.sample("request_duration_seconds_count", "", count(latency_count_));
  e.single("run_duration_seconds", "gauge", "Wall time of the current or last run.", number(c.seconds));
  e.single("running", "gauge", "1 while a run is under way, 0 once it ended.", c.running ? "1" : "0");
  if (c.last.end_time)
    e.single("last_run_end_timestamp_seconds", "gauge", "When the last run ended, in Unix time.",
             number(*c.last.end_time));
  if (c.last.exit_code)
    e.single("last_exit_code", "gauge", "Exit code of the last run: 0 all ok, 1 some rows not ok, 2 nothing sent, "
             "3 stopped early.", std::to_string(*c.last.exit_code));
  if (c.last.success_time)
    e.single("last_success_timestamp_seconds", "gauge", "When a run last ended with exit code 0, in Unix time.",
             number(*c.last.success_time));
  return e.text();
}

}  // namespace ab
