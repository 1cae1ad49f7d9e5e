#include "engine/report/progress.hpp"

#include "engine/report/event_log.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <ostream>
#include <vector>

namespace ab {

namespace {

// A piece of a line and its colour (an SGR code, "" for none).
struct Segment {
  std::string text;
  const char* colour = "";
};
using Form = std::vector<Segment>;

// A field's forms, longest first; the last may be empty (dropped).
struct Field {
  std::vector<Form> forms;
  std::size_t current = 0;
  const Form& form() const { return forms[current]; }
};

std::string number(std::uint64_t n) { return std::to_string(n); }

std::string fixed(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", std::isfinite(value) ? value : 0.0);
  return text;
}

double file_share(const ProgressSnapshot& s) {
  return s.file_size ? std::min(1.0, static_cast<double>(s.bytes_read) / static_cast<double>(s.file_size)) : NAN;
}

enum FieldName : std::size_t { f_share, f_rows, f_statuses, f_rate, f_eta, f_elapsed, f_in_flight, f_retries, field_count };

// The fields in display order. Rows are read only as workers take them, so
// the share of the file read tracks the share of the work done, whatever
// paces it (a budget included): it gives the ETA.
std::array<Field, field_count> fields(const ProgressSnapshot& s, double per_second, bool final) {
  const auto& m = s.metrics;
  const double part = file_share(s);
  std::array<Field, field_count> f;
  f[f_share].forms = {std::isfinite(part) ? Form{{fixed(part * 100) + "%"}} : Form{}, Form{}};
  f[f_rows].forms = {Form{{number(m.rows_done()) + " rows:"}}};
  const auto ok = number(m.rows(RowStatus::ok)), invalid = number(m.rows(RowStatus::invalid)),
             failed = number(m.rows(RowStatus::failed)), unknown = number(m.rows(RowStatus::unknown));
  constexpr const char* green = "32";
  constexpr const char* magenta = "35";
  constexpr const char* red = "31";
  constexpr const char* yellow = "33";
  Form nonzero{{ok + " ok", green}};
  if (m.rows(RowStatus::invalid)) nonzero.push_back({" " + invalid + " inv", magenta});
  if (m.rows(RowStatus::failed)) nonzero.push_back({" " + failed + " fail", red});
  if (m.rows(RowStatus::unknown)) nonzero.push_back({" " + unknown + " unk", yellow});
  f[f_statuses].forms = {
      Form{{ok + " ok", green}, {", "}, {invalid + " invalid", magenta}, {", "}, {failed + " failed", red},
           {", "}, {unknown + " unknown", yellow}},
      Form{{ok + " ok", green}, {" " + invalid + " inv", magenta}, {" " + failed + " fail", red},
           {" " + unknown + " unk", yellow}},
      nonzero, Form{}};
  f[f_rate].forms = {Form{{fixed(per_second) + " rows/s"}}, Form{{fixed(per_second) + "/s"}}, Form{}};
  const double left = std::isfinite(part) && part > 0 ? s.seconds * (1 - part) / part : NAN;
  f[f_eta].forms = {final ? Form{} : Form{{"ETA " + format_eta(left)}}, Form{}};
  f[f_elapsed].forms = {Form{{"elapsed " + format_eta(s.seconds)}}, Form{}};
  f[f_in_flight].forms = {final ? Form{} : Form{{number(s.in_flight) + " in flight"}}, Form{}};
  f[f_retries].forms = {
      Form{{number(m.retries()) + " retries, " + number(m.throttled()) + " throttled"}}, Form{}};
  return f;
}

// The fixed order in which fields shrink until the line fits: each step
// takes the named field to its next, shorter form.
constexpr std::array shrink_steps{f_retries, f_elapsed, f_in_flight, f_statuses, f_rate, f_share, f_eta, f_statuses, f_statuses};

constexpr std::size_t separator = 2;

// Two spaces between fields, one after a label ("12 rows: 10 ok").
std::string_view separator_after(const std::string& line) {
  if (line.empty()) return "";
  return line.back() == ':' ? " " : "  ";
}

std::size_t width_of(const std::array<Field, field_count>& f) {
  std::string plain;
  for (const auto& field : f) {
    if (field.form().empty()) continue;
    plain += separator_after(plain);
    for (const auto& segment : field.form()) plain += segment.text;
  }
  return plain.size();
}

std::string render(const std::array<Field, field_count>& f, bool colour) {
  std::string line;
  for (const auto& field : f) {
    if (field.form().empty()) continue;
    line += separator_after(line);
    for (const auto& segment : field.form()) {
      if (colour && *segment.colour) line += std::string("\033[") + segment.colour + "m" + segment.text + "\033[0m";
      else line += segment.text;
    }
  }
  return line;
}

}  // namespace

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

void RecentRate::add(double seconds, std::uint64_t rows_done) {
  samples_.push_back({seconds, rows_done});
  // Keep one sample at or before the window's start, to measure from it.
  while (samples_.size() > 2 && samples_[1].seconds <= seconds - window_) samples_.pop_front();
}

double RecentRate::per_second() const {
  if (samples_.size() < 2) return samples_.empty() || samples_.back().seconds <= 0
                                        ? 0
                                        : static_cast<double>(samples_.back().rows) / samples_.back().seconds;
  const auto& first = samples_.front();
  const auto& last = samples_.back();
  const double span = last.seconds - first.seconds;
  return span > 0 ? static_cast<double>(last.rows - first.rows) / span : 0;
}

std::string progress_line(const ProgressSnapshot& s, double rate) { return render(fields(s, rate, false), false); }

std::string fitted_line(const ProgressSnapshot& s, double rate, std::size_t width, bool colour, bool final) {
  auto f = fields(s, rate, final);
  for (auto step : shrink_steps) {
    if (width_of(f) <= width) break;
    auto& field = f[step];
    if (field.current + 1 < field.forms.size()) ++field.current;
  }
  std::string line = render(f, colour);
  const std::size_t used = width_of(f);
  if (used > width) return render(f, false).substr(0, width);  // only the row count is left: cut it
  // A bar in what is left over, when there is room for a useful one.
  const double part = file_share(s);
  const std::size_t room = width - used;
  if (std::isfinite(part) && room >= 12 + separator) {
    const std::size_t inside = std::min<std::size_t>(room - separator - 2, 30);
    std::string bar(static_cast<std::size_t>(part * static_cast<double>(inside)), '#');
    bar.resize(inside, '.');
    line = "[" + bar + "]  " + line;
  }
  return line;
}

void ProgressDisplay::draw(const std::string& line) {
  out_ << "\r\033[K" << line << std::flush;
  drawn_ = true;
}

void ProgressDisplay::show(const ProgressSnapshot& s) {
  rate_.add(s.seconds, s.metrics.rows_done());
  if (style_.off) return;
  if (style_.events) {
    const auto& m = s.metrics;
    auto n = [](std::uint64_t v) { return static_cast<std::int64_t>(v); };
    const double part = file_share(s);
    style_.events->write(LogLevel::info, "progress", "progress: " + progress_line(s, rate_.per_second()),
                         {{"rows_done", n(m.rows_done())},
                          {"rows_ok", n(m.rows(RowStatus::ok))},
                          {"rows_invalid", n(m.rows(RowStatus::invalid))},
                          {"rows_failed", n(m.rows(RowStatus::failed))},
                          {"rows_unknown", n(m.rows(RowStatus::unknown))},
                          {"rows_per_second", rate_.per_second()},
                          {"file_share", std::isfinite(part) ? part : 0.0},
                          {"in_flight", n(s.in_flight)},
                          {"requests", n(m.requests())},
                          {"retries", n(m.retries())},
                          {"throttled", n(m.throttled())},
                          {"elapsed_seconds", s.seconds}});
  } else if (style_.bar) {
    // One column spare: a line that fills the last column wraps on some terminals.
    const auto columns = style_.columns();
    draw(fitted_line(s, rate_.per_second(), columns > 1 ? columns - 1 : 1, style_.colour, false));
  } else {
    out_ << (style_.timestamp ? style_.timestamp() + " " : "") << "progress: " << progress_line(s, rate_.per_second())
         << "\n"
         << std::flush;
  }
}

void ProgressDisplay::finish(const ProgressSnapshot& s) {
  if (style_.off || !style_.bar) return;
  const double average = s.seconds > 0 ? static_cast<double>(s.metrics.rows_done()) / s.seconds : 0;
  const auto columns = style_.columns();
  draw(fitted_line(s, average, columns > 1 ? columns - 1 : 1, style_.colour, true));
  out_ << "\n" << std::flush;
  drawn_ = false;
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace ab
