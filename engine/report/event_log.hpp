// What a run says on stderr besides the progress display: errors, warnings,
// the summary and, with -v, each retry and pause with its reason. -q keeps
// errors, warnings and the summary; --log-format json writes one object a
// line ({"time", "level", "event", then the event's fields}) for log
// collectors. No secret is ever given to it: callers pass URLs' paths and
// reasons, never headers or bodies.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ab {

// notice: what -q still shows besides problems (the summary).
enum class LogLevel { error, warning, notice, info, debug };

struct LogField {
  std::string_view name;
  std::variant<std::string, std::int64_t, double> value;
};

class EventLog {
 public:
  // `shown` is the most detailed level written (-q: notice; default: info; -v: debug).
  EventLog(std::ostream& out, LogLevel shown, bool json, std::function<std::string()> timestamp);

  bool shows(LogLevel level) const { return level <= shown_; }
  bool json() const { return json_; }
  // Text: `text` as it is (a line end added); JSON: the event and its fields.
  void write(LogLevel level, std::string_view event, std::string_view text, const std::vector<LogField>& fields = {});

 private:
  std::ostream& out_;
  LogLevel shown_;
  bool json_;
  std::function<std::string()> timestamp_;
};

}  // namespace ab
