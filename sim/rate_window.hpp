// A server-side rate window as the real services count: N requests per fixed
// window that resets at a known epoch second, reported in x-rate-limit-*
// headers. Plain class: the time is passed in.
#pragma once

#include "sim/http/api_handler.hpp"

#include <chrono>
#include <cstdint>
#include <string_view>

namespace ab::sim {

struct WindowDecision {
  bool allowed = true;
  std::uint64_t limit = 0;
  std::uint64_t remaining = 0;
  std::int64_t reset_epoch = 0;            // seconds: when the window starts afresh
  std::chrono::seconds retry_after{0};     // for a refused request (>= 1 s)
};

class RateWindow {
 public:
  RateWindow(std::uint64_t limit, std::chrono::milliseconds window);
  // Counts one request at `now` (refused ones are not counted against the window).
  WindowDecision take(SystemTime now);
  // Whether a request at `now` comes before the reset named by the last refusal.
  bool before_named_reset(SystemTime now) const;
  std::uint64_t limit() const { return limit_; }

 private:
  std::uint64_t limit_;
  std::chrono::milliseconds window_;
  SystemTime window_start_{};
  std::uint64_t used_ = 0;
  SystemTime refused_until_{};
};

// Sets x-rate-limit-limit/-remaining/-reset (prefix "x-rate-limit" or
// "x-account-rate-limit"), and Retry-After when refused.
void set_rate_headers(Response& response, const WindowDecision& decision,
                      std::string_view prefix = "x-rate-limit");

}  // namespace ab::sim
