#include "jobs/twitter/timestamps.hpp"

#include <charconv>
#include <chrono>
#include <cstdint>

namespace ab::tw {

namespace {

constexpr std::string_view kSentAt = "sent_at=";

std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<SystemTime> parse_utc_timestamp(std::string_view text) {
  const auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  const auto hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
    return std::nullopt;
  std::size_t rest = 19;
  if (rest < text.size() && text[rest] == '.') {
    ++rest;
    while (rest < text.size() && text[rest] >= '0' && text[rest] <= '9') ++rest;
  }
  const std::string_view zone = text.substr(rest);
  if (zone != "Z" && zone != "z" && zone != "+00:00") return std::nullopt;

  using namespace std::chrono;
  const year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                            std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  return SystemTime{sys_days{date}} + hours{*hour} + minutes{*minute} + seconds{*second};
}

std::string send_time_checkpoint(SystemTime sent_at) {
  using namespace std::chrono;
  return std::string(kSentAt) + std::to_string(duration_cast<seconds>(sent_at.time_since_epoch()).count());
}

std::optional<SystemTime> parse_send_time_checkpoint(std::string_view checkpoint) {
  if (!checkpoint.starts_with(kSentAt)) return std::nullopt;
  const std::string_view number = checkpoint.substr(kSentAt.size());
  std::int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), seconds);
  if (ec != std::errc{} || end != number.data() + number.size() || number.empty()) return std::nullopt;
  return SystemTime{std::chrono::seconds{seconds}};
}

}  // namespace ab::tw
