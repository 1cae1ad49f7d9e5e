#include "engine/send/server_clock.hpp"

#include <algorithm>

namespace ab {

namespace {

// "https://host:port" of "https://host:port/path?query".
std::string_view origin_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  const auto start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  return url.substr(0, url.find('/', start));
}

}  // namespace

void ServerClockLag::past(SystemTime sent, std::int64_t before_ms) {
  using std::chrono::microseconds;
  const auto sent_ms = std::chrono::floor<std::chrono::milliseconds>(sent.time_since_epoch()).count();
  // Compared in milliseconds first: a value that is garbage stays out of the arithmetic.
  const auto most_ms = std::chrono::duration_cast<std::chrono::milliseconds>(max_server_lag).count();
  if (before_ms > sent_ms || before_ms < sent_ms - most_ms) return;
  const auto behind =
      std::chrono::duration_cast<microseconds>(sent - SystemTime(std::chrono::milliseconds(before_ms)));
  if (behind > microseconds::zero() && behind <= max_server_lag) lag_ = std::max(lag_, behind);
}

void ServerClockLag::on_answer(SystemTime sent, const RateFeedback& feedback, std::optional<std::int64_t> date_ms,
                               std::optional<SystemTime> received) {
  for (const RateFamily* family : {&feedback.account, &feedback.user})
    if (family->reset_epoch && *family->reset_epoch < max_epoch_seconds) past(sent, *family->reset_epoch * 1000);
  if (!date_ms) return;
  past(sent, *date_ms + 1000);
  if (!received) return;
  const auto received_ms = std::chrono::floor<std::chrono::milliseconds>(received->time_since_epoch()).count();
  if (*date_ms < received_ms - 2 * max_server_lag / std::chrono::milliseconds(1) || *date_ms > received_ms) return;
  const SystemTime date{std::chrono::milliseconds(*date_ms)};
  const auto most = std::chrono::duration_cast<std::chrono::microseconds>(*received - date);
  most_ = most_ ? std::min(*most_, most) : most;
}

std::chrono::microseconds ServerClockLag::uncertainty() const {
  if (lag_ <= std::chrono::microseconds::zero() || !most_ || *most_ <= lag_) return {};
  return *most_ - lag_;
}

ServerClockLag& ServerClocks::of(std::string_view url) {
  const auto origin = origin_of(url);
  for (auto& [name, lag] : servers_)
    if (name == origin) return lag;
  return servers_.emplace_back(std::string(origin), ServerClockLag{}).second;
}

}  // namespace ab
