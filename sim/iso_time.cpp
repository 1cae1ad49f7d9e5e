#include "sim/iso_time.hpp"

#include <ctime>

namespace ab::sim {

namespace {

void append_digits(std::string& out, std::int64_t value, int width) {
  char digits[20];
  for (int i = width; i-- > 0; value /= 10) digits[i] = static_cast<char>('0' + value % 10);
  out.append(digits, static_cast<std::size_t>(width));
}

// "08:49:37".
void append_time_of_day(std::string& out, const std::tm& utc) {
  append_digits(out, utc.tm_hour, 2);
  out.push_back(':');
  append_digits(out, utc.tm_min, 2);
  out.push_back(':');
  append_digits(out, utc.tm_sec, 2);
}

}  // namespace

std::int64_t seconds_since_epoch(SystemTime t) { return static_cast<std::int64_t>(std::chrono::system_clock::to_time_t(t)); }

void append_iso8601(std::string& out, std::int64_t seconds) {
  const auto when = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&when, &utc);
  if (utc.tm_year < -1900 || utc.tm_year > 9999 - 1900) {  // beyond four digits: as strftime writes it
    char text[48];
    out.append(text, std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc));
    return;
  }
  append_digits(out, utc.tm_year + 1900, 4);
  out.push_back('-');
  append_digits(out, utc.tm_mon + 1, 2);
  out.push_back('-');
  append_digits(out, utc.tm_mday, 2);
  out.push_back('T');
  append_time_of_day(out, utc);
  out.push_back('Z');
}

std::string iso8601(SystemTime t) {
  std::string out;
  append_iso8601(out, seconds_since_epoch(t));
  return out;
}

std::string imf_fixdate(std::int64_t seconds) {
  const auto when = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&when, &utc);
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string out;
  out.reserve(29);
  out.append(days[utc.tm_wday]).append(", ");
  append_digits(out, utc.tm_mday, 2);
  out.append(" ").append(months[utc.tm_mon]).append(" ");
  append_digits(out, utc.tm_year + 1900, 4);
  out.push_back(' ');
  append_time_of_day(out, utc);
  out.append(" GMT");
  return out;
}

}  // namespace ab::sim
