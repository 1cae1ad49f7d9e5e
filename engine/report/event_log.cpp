#include "engine/report/event_log.hpp"

#include <cstdio>
#include <ostream>

namespace ab {

namespace {

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::error: return "error";
    case LogLevel::warning: return "warning";
    case LogLevel::notice: return "notice";
    case LogLevel::info: return "info";
    case LogLevel::debug: return "debug";
  }
  return "info";
}

void append_quoted(std::string& out, std::string_view text) {
  out += '"';
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

}  // namespace

EventLog::EventLog(std::ostream& out, LogLevel shown, bool json, std::function<std::string()> timestamp)
    : out_(out), shown_(shown), json_(json), timestamp_(std::move(timestamp)) {}

void EventLog::write(LogLevel level, std::string_view event, std::string_view text,
                     const std::vector<LogField>& fields) {
  if (!shows(level)) return;
  if (!json_) {
    out_ << text;
    if (!text.ends_with('\n')) out_ << '\n';
    out_ << std::flush;
    return;
  }
  std::string line = "{\"time\":";
  append_quoted(line, timestamp_ ? timestamp_() : "");
  line += ",\"level\":";
  append_quoted(line, level_name(level));
  line += ",\"event\":";
  append_quoted(line, event);
  for (const auto& field : fields) {
    line += ',';
    append_quoted(line, field.name);
    line += ':';
    if (const auto* s = std::get_if<std::string>(&field.value)) {
      append_quoted(line, *s);
    } else if (const auto* i = std::get_if<std::int64_t>(&field.value)) {
      line += std::to_string(*i);
    } else {
      char number[32];
      std::snprintf(number, sizeof number, "%.3f", std::get<double>(field.value));
      line += number;
    }
  }
  line += "}\n";
  out_ << line << std::flush;
}

}  // namespace ab
