#include "engine/progress.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>

namespace ab {

std::string format_eta(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<std::uint64_t>(seconds + 0.5);
  char text[32];
  if (s < 60)
    std::snprintf(text, sizeof text, "%llus", static_cast<unsigned long long>(s));
  else if (s < 3600)
    std::snprintf(text, sizeof text, "%llum%02llus", static_cast<unsigned long long>(s / 60),
                  static_cast<unsigned long long>(s % 60));
  else
    std::snprintf(text, sizeof text, "%lluh%02llum", static_cast<unsigned long long>(s / 3600),
                  static_cast<unsigned long long>(s / 60 % 60));
  return text;
}

std::string progress_line(const ProgressSnapshot& s) {
  const auto& m = s.metrics;
  const double rate = s.seconds > 0 ? static_cast<double>(m.rows_done()) / s.seconds : 0;
  char text[256];
  int n = std::snprintf(text, sizeof text, "%llu rows done (%llu ok, %llu invalid, %llu failed, %llu unknown), %.0f rows/s",
                        static_cast<unsigned long long>(m.rows_done()),
                        static_cast<unsigned long long>(m.rows(RowStatus::ok)),
                        static_cast<unsigned long long>(m.rows(RowStatus::invalid)),
                        static_cast<unsigned long long>(m.rows(RowStatus::failed)),
                        static_cast<unsigned long long>(m.rows(RowStatus::unknown)), rate);
  std::string line(text, static_cast<std::size_t>(n));
  if (s.file_size > 0) {
    // Rows are read only as workers take them, so the share of the file read
    // tracks the share of the work done, whatever paces it (a budget included).
    const double share = static_cast<double>(s.bytes_read) / static_cast<double>(s.file_size);
    const double eta = share > 0 ? s.seconds * (1 - share) / share : NAN;
    n = std::snprintf(text, sizeof text, ", %.0f%% of the file, ETA %s", share * 100, format_eta(eta).c_str());
    line.append(text, static_cast<std::size_t>(n));
  }
  n = std::snprintf(text, sizeof text, ", %llu requests, %llu retries, %llu throttled",
                    static_cast<unsigned long long>(m.requests()), static_cast<unsigned long long>(m.retries()),
                    static_cast<unsigned long long>(m.throttled()));
  line.append(text, static_cast<std::size_t>(n));
  return line;
}

void ProgressDisplay::show(const ProgressSnapshot& s) {
  if (bar_) {
    const double share = s.file_size ? static_cast<double>(s.bytes_read) / static_cast<double>(s.file_size) : 0;
    constexpr int width = 24;
    const int filled = static_cast<int>(share * width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    out_ << "\r\033[K[" << bar << "] " << progress_line(s) << std::flush;
    drawn_ = true;
  } else {
    out_ << "progress: " << progress_line(s) << "\n" << std::flush;
  }
}

void ProgressDisplay::done() {
  if (drawn_) out_ << "\n";
  drawn_ = false;
}

}  // namespace ab
