// Progress on stderr (SPEC.md §7). On a terminal: one line redrawn in place
// that fits the terminal's width, dropping fields in a fixed order when it
// must; its last frame shows the summary's figures. Otherwise: one
// timestamped line every --progress-interval, for logs.
#pragma once

#include "engine/report/metrics.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <iosfwd>
#include <string>

namespace ab {

struct ProgressSnapshot {
  const Metrics& metrics;
  std::uint64_t bytes_read = 0;
  std::uint64_t file_size = 0;  // 0: unknown
  double seconds = 0;
  unsigned in_flight = 0;
};

// "1m20s", "45s", "2h05m": coarse on purpose.
std::string format_eta(double seconds);

// Rows per second over the last few seconds, so that a run that slows down
// (a budget, a failing server) shows it at once, not diluted by its start.
class RecentRate {
 public:
  explicit RecentRate(double window_seconds = 5) : window_(window_seconds) {}
  void add(double seconds, std::uint64_t rows_done);
  double per_second() const;

 private:
  struct Sample {
    double seconds;
    std::uint64_t rows;
  };
  double window_;
  std::deque<Sample> samples_;
};

// Everything at once, for a log line: rows by status, rate, share, ETA, in flight, retries.
std::string progress_line(const ProgressSnapshot& s, double rate);

// The bar's line, at most `width` columns; colour codes (not counted) when asked.
// `final` shows the average rate and no ETA, as the summary does.
std::string fitted_line(const ProgressSnapshot& s, double rate, std::size_t width, bool colour, bool final);

class EventLog;

struct ProgressStyle {
  bool off = false;                              // -q
  EventLog* events = nullptr;                    // --log-format json: progress events instead of lines
  bool bar = false;
  bool colour = false;
  std::chrono::milliseconds interval{10'000};   // between lines when not a bar
  std::function<std::size_t()> columns = [] { return std::size_t{80}; };
  std::function<std::string()> timestamp;        // a line's prefix when not a bar
};

class ProgressDisplay {
 public:
  ProgressDisplay(std::ostream& out, ProgressStyle style) : out_(out), style_(std::move(style)) {}
  bool bar() const { return style_.bar; }
  std::chrono::milliseconds period() const {
    return style_.bar ? std::chrono::milliseconds(250) : style_.interval;
  }
  void show(const ProgressSnapshot& s);
  // The bar's last frame, with the run's final figures, and its line end.
  void finish(const ProgressSnapshot& s);

 private:
  void draw(const std::string& line);

  std::ostream& out_;
  ProgressStyle style_;
  RecentRate rate_;
  bool drawn_ = false;
};

// ISO 8601 UTC to the second, the prefix of a progress line in a log.
std::string utc_timestamp();

}  // namespace ab
