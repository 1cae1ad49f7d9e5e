#include "engine/send/rate_count.hpp"

#include <algorithm>
#include <stdexcept>

namespace ab {

SlidingWindowLog::SlidingWindowLog(std::uint64_t limit, Millis window, std::chrono::microseconds margin)
    : limit_(limit), window_(window), margin_(margin) {
  if (limit_ == 0) throw std::invalid_argument("a rate limit must allow at least one request");
  if (window_ <= Millis::zero()) throw std::invalid_argument("a rate window must be longer than 0");
}

SteadyTime SlidingWindowLog::next_allowed(SteadyTime now) const {
  if (sends_.size() < limit_) return now;
  // Windows are half-open, [t, t + window): with `limit` sends logged, one
  // more fits once the oldest of them has left every window the new one is in.
  return std::max(now, sends_.front() + window_ + margin_);
}

void SlidingWindowLog::record(SteadyTime sent_at) {
  // Normally in order; an earlier time still lands where it belongs.
  sends_.insert(std::upper_bound(sends_.begin(), sends_.end(), sent_at), sent_at);
  while (sends_.size() > limit_) sends_.pop_front();
}

std::uint64_t SlidingWindowLog::sent_since(SteadyTime from) const {
  return static_cast<std::uint64_t>(sends_.end() - std::lower_bound(sends_.begin(), sends_.end(), from));
}

RateCount::RateCount(std::uint64_t limit, Millis window, std::chrono::microseconds margin)
    : log_(limit, window, margin), margin_(margin), arrival_(window) {}

void RateCount::on_clock_uncertainty(std::chrono::microseconds uncertainty) {
  clock_ = std::min(uncertainty, std::chrono::duration_cast<std::chrono::microseconds>(window()) / 10);
}

void RateCount::on_round_trip(std::chrono::microseconds from_count_to_answer) {
  arrival_.on_round_trip(from_count_to_answer);
  log_.set_margin(margin_ + arrival_.above_floor());
}

// A published reset starts the count once it has passed (and its guard
// band), when it is at least a window after the reset the count started from.
bool RateCount::next_takes_over(SteadyTime now) const {
  if (!next_ || now < *next_ + guard()) return false;
  return !anchor_ || *next_ >= *anchor_ + window() - guard();
}

std::optional<SteadyTime> RateCount::window_start(SteadyTime now) const {
  return next_takes_over(now) ? next_ : anchor_;
}

std::optional<SteadyTime> RateCount::anchored_next_allowed(SteadyTime now) const {
  const auto start = window_start(now);
  if (start && log_.sent_since(*start - guard()) < limit()) return now;
  // Spent (or no reset passed yet): the next published reset opens a window.
  if (next_ && next_ != start && (!start || *next_ >= *start + window() - guard()))
    return std::max(now, *next_ + std::chrono::duration_cast<SteadyTime::duration>(guard()));
  return std::nullopt;
}

SteadyTime RateCount::next_allowed(SteadyTime now) const {
  const SteadyTime sliding = log_.next_allowed(now);
  const auto anchored = anchored_next_allowed(now);
  return anchored ? std::min(sliding, *anchored) : sliding;
}

void RateCount::record(SteadyTime sent_at) {
  if (next_takes_over(sent_at)) anchor_ = next_;
  log_.record(sent_at);
}

void RateCount::on_reset(SteadyTime reset, std::int64_t epoch) {
  const bool same_epoch = epoch != 0 && epoch == next_epoch_;
  if (next_ && (same_epoch || reset <= *next_ + guard())) {
    next_ = std::max(*next_, reset);  // the same reset, read again
    return;
  }
  next_epoch_ = epoch;
  // A later window published: the server has passed the reset known so far.
  if (next_ && (!anchor_ || *next_ >= *anchor_ + window() - guard())) anchor_ = next_;
  next_ = reset;
}

}  // namespace ab
