// --metrics FILE for node_exporter's textfile collector: the whole file is
// replaced at once (a temporary file beside it, then rename), so that a
// scrape never reads half of it, every --metrics-interval and at the end.
#pragma once

#include "engine/report/metrics.hpp"

#include <chrono>
#include <filesystem>
#include <string>

namespace ab {

// The last-run gauges found in a metrics file's text (absent ones stay empty).
LastRun parse_last_run(std::string_view text);

// This run's end folded into what was known before it.
LastRun after_run(const LastRun& before, double end_time, int exit_code);

// Writes `text` to `file` atomically. Empty on success, else why not.
std::string write_atomically(const std::filesystem::path& file, const std::string& text);

// When the next periodic write is due: a plain decision on a given clock.
class MetricsSchedule {
 public:
  MetricsSchedule(std::chrono::milliseconds interval, std::chrono::milliseconds start)
      : interval_(interval), next_(start + interval) {}
  bool due(std::chrono::milliseconds now) {
    if (interval_.count() <= 0 || now < next_) return false;
    next_ = now + interval_;
    return true;
  }

 private:
  std::chrono::milliseconds interval_;
  std::chrono::milliseconds next_;
};

}  // namespace ab
