#include "sim/rate_window.hpp"

#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <string>

namespace ab::sim {

namespace {

using std::chrono::ceil;
using std::chrono::seconds;

// A window ends on a whole epoch second, so that x-rate-limit-reset names its
// end exactly and a client obeying it is never early by a rounding.
SystemTime end_on_whole_second(SystemTime t) { return SystemTime(ceil<seconds>(t.time_since_epoch())); }

// Clients turn an epoch second into their own clock; a request up to this much
// before the named reset is taken as obedient, not as a broken rule.
constexpr std::chrono::milliseconds reset_grace{200};

}  // namespace

RateWindow::RateWindow(std::uint64_t limit, std::chrono::milliseconds window) : limit_(limit), window_(window) {}

WindowDecision RateWindow::take(SystemTime now) {
  // A window opens with the first request after the previous one ended (as
  // X counts its 15-minute windows), not on a fixed grid. It opens at that
  // request's whole second, so that it lasts exactly its length and still
  // ends on a whole second: opening at the request itself would stretch every
  // window by up to a second for a client that obeys the reset to the letter.
  SystemTime window_end = end_on_whole_second(window_start_ + window_);
  if (now >= window_end) {
    window_start_ = std::chrono::floor<seconds>(now);
    used_ = 0;
    window_end = end_on_whole_second(window_start_ + window_);
  }
  WindowDecision decision;
  decision.limit = limit_;
  decision.reset_epoch = std::chrono::duration_cast<seconds>(window_end.time_since_epoch()).count();
  if (used_ < limit_) {
    ++used_;
    decision.remaining = limit_ - used_;
    return decision;
  }
  decision.allowed = false;
  decision.remaining = 0;
  decision.retry_after = std::max(seconds{1}, ceil<seconds>(window_end - now));
  refused_until_ = window_end;
  return decision;
}

bool RateWindow::before_named_reset(SystemTime now) const { return now + reset_grace < refused_until_; }

void set_rate_headers(Response& response, const WindowDecision& decision, std::string_view prefix) {
  std::string name(prefix);
  const auto base = name.size();
  name.append("-limit");
  response.set(name, std::to_string(decision.limit));
  name.resize(base);
  name.append("-remaining");
  response.set(name, std::to_string(decision.remaining));
  name.resize(base);
  name.append("-reset");
  response.set(name, std::to_string(decision.reset_epoch));
  if (!decision.allowed) response.set(boost::beast::http::field::retry_after, std::to_string(decision.retry_after.count()));
}

}  // namespace ab::sim
