// Progress on stderr (SPEC.md §7): a live bar on a terminal, a plain line
// every 10 s otherwise, and the summary at the end.
#pragma once

#include "engine/metrics.hpp"

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace ab {

struct ProgressSnapshot {
  const Metrics& metrics;
  std::uint64_t bytes_read = 0;
  std::uint64_t file_size = 0;  // 0: unknown
  double seconds = 0;
};

// "1m20s", "45s", "2h05m": coarse on purpose.
std::string format_eta(double seconds);

// One line without a line end: rows done, rate, share of the file, ETA, retries, 429s.
std::string progress_line(const ProgressSnapshot& s);

class ProgressDisplay {
 public:
  ProgressDisplay(std::ostream& out, bool bar) : out_(out), bar_(bar) {}
  bool bar() const { return bar_; }
  std::chrono::milliseconds period() const { return bar_ ? std::chrono::milliseconds(250) : std::chrono::seconds(10); }
  void show(const ProgressSnapshot& s);
  void done();  // ends the bar's line

 private:
  std::ostream& out_;
  bool bar_;
  bool drawn_ = false;
};

}  // namespace ab
