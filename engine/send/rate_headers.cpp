#include "engine/send/rate_headers.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <initializer_list>
#include <span>

namespace ab {

namespace {

using std::chrono::duration_cast;

constexpr std::int64_t max_wait_ms = max_named_wait.count();

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

// A non-negative decimal integer and nothing else; nullopt otherwise (or on overflow).
std::optional<std::int64_t> parse_count(std::string_view s) {
  s = trim(s);
  if (!all_digits(s)) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::int64_t epoch_ms(SystemTime t) {
  return duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Millis clamp_wait(std::int64_t ms) { return Millis(std::clamp<std::int64_t>(ms, 0, max_wait_ms)); }

Millis wait_until_epoch_ms(std::int64_t target_ms, SystemTime wall_now) {
  return clamp_wait(target_ms - epoch_ms(wall_now));
}

// Fixed-width digits at s[pos, pos + n).
std::optional<int> digits_at(std::string_view s, std::size_t pos, std::size_t n) {
  const auto part = s.substr(pos, n);
  if (part.size() != n || !all_digits(part)) return std::nullopt;
  int value = 0;
  std::from_chars(part.data(), part.data() + part.size(), value);
  return value;
}

std::optional<unsigned> index_of(std::string_view name, std::span<const std::string_view> names) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<unsigned>(i);
  return std::nullopt;
}

// IMF-fixdate, exactly: "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<std::int64_t> parse_imf_fixdate_ms(std::string_view s) {
  static constexpr std::array<std::string_view, 7> days{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  if (!index_of(s.substr(0, 3), days)) return std::nullopt;
  const auto month = index_of(s.substr(8, 3), months);
  const auto day = digits_at(s, 5, 2);
  const auto year = digits_at(s, 12, 4);
  const auto hour = digits_at(s, 17, 2);
  const auto minute = digits_at(s, 20, 2);
  const auto second = digits_at(s, 23, 2);
  if (!month || !day || !year || !hour || !minute || !second) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{*year}, std::chrono::month{*month + 1},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  const auto midnight = std::chrono::sys_days{date}.time_since_epoch();
  const auto seconds = duration_cast<std::chrono::seconds>(midnight).count() + *hour * 3600 + *minute * 60 + *second;
  return seconds * 1000;
}

std::optional<Millis> parse_retry_after(std::string_view value, SystemTime wall_now) {
  value = trim(value);
  if (all_digits(value)) {
    // Longer than 9 digits is more than a day anyway; no need to parse it.
    if (value.size() > 9) return max_named_wait;
    return clamp_wait(*parse_count(value) * 1000);
  }
  if (const auto date_ms = parse_imf_fixdate_ms(value)) return wait_until_epoch_ms(*date_ms, wall_now);
  return std::nullopt;
}

// Sets `field` when `value` parses; a garbage value leaves the earlier one.
void take_count(std::optional<std::int64_t>& field, std::string_view value) {
  if (auto parsed = parse_count(value)) field = parsed;
}

void take_family_header(RateFamily& family, std::string_view suffix, std::string_view value) {
  if (iequals(suffix, "limit")) take_count(family.limit, value);
  else if (iequals(suffix, "remaining")) take_count(family.remaining, value);
  else if (iequals(suffix, "reset")) take_count(family.reset_epoch, value);
}

}  // namespace

std::optional<SteadyTime> RateFeedback::resume_at(SteadyTime steady_now, SystemTime wall_now,
                                                  std::chrono::microseconds server_lag) const {
  wall_now -= server_lag;
  if (retry_after_date_ms) return steady_now + wait_until_epoch_ms(*retry_after_date_ms, wall_now);
  if (retry_after) return steady_now + *retry_after;
  std::optional<Millis> wait;
  for (const RateFamily* family : {&account, &user}) {
    if (!family->exhausted() || !family->reset_epoch) continue;
    const auto reset_ms = std::min(*family->reset_epoch, max_epoch_seconds) * 1000;
    const Millis until_reset = wait_until_epoch_ms(reset_ms, wall_now);
    wait = wait ? std::max(*wait, until_reset) : until_reset;
  }
  if (!wait) return std::nullopt;
  return steady_now + *wait;
}

std::optional<RateStanding> RateFeedback::standing(SteadyTime steady_now, SystemTime wall_now,
                                                   std::chrono::microseconds server_lag) const {
  std::optional<RateStanding> tightest;
  wall_now -= server_lag;
  for (const RateFamily* family : {&account, &user}) {
    if (!family->remaining || !family->reset_epoch) continue;
    if (tightest && tightest->remaining <= *family->remaining) continue;
    const auto reset_ms = std::min(*family->reset_epoch, max_epoch_seconds) * 1000;
    tightest = RateStanding{*family->remaining, steady_now + wait_until_epoch_ms(reset_ms, wall_now), family->limit,
                            std::min(*family->reset_epoch, max_epoch_seconds)};
    tightest->server_lag = server_lag;
  }
  return tightest;
}

bool RateFeedback::exhausted() const { return user.exhausted() || account.exhausted(); }

RateFeedback parse_rate_feedback(const AnswerFields& headers, SystemTime wall_now) {
  static constexpr std::string_view user_prefix = "x-rate-limit-";
  static constexpr std::string_view account_prefix = "x-account-rate-limit-";
  RateFeedback feedback;
  for (const auto [name, value] : headers) {
    if (name.size() > user_prefix.size() && iequals(name.substr(0, user_prefix.size()), user_prefix)) {
      take_family_header(feedback.user, name.substr(user_prefix.size()), value);
    } else if (name.size() > account_prefix.size() &&
               iequals(name.substr(0, account_prefix.size()), account_prefix)) {
      take_family_header(feedback.account, name.substr(account_prefix.size()), value);
    } else if (iequals(name, "retry-after")) {
      if (auto wait = parse_retry_after(value, wall_now)) {
        feedback.retry_after = wait;
        feedback.retry_after_date_ms = parse_imf_fixdate_ms(trim(value));
      }
    }
  }
  return feedback;
}

std::optional<std::int64_t> answer_date_ms(const AnswerFields& headers) {
  for (const auto [name, value] : headers)
    if (iequals(name, "date")) return parse_imf_fixdate_ms(trim(value));
  return std::nullopt;
}

}  // namespace ab
