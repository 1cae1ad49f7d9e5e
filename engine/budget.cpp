#include "engine/budget.hpp"

#include <algorithm>
#include <stdexcept>

namespace ab {

namespace {

void keep_later(std::optional<SteadyTime>& slot, SteadyTime t) { slot = slot ? std::max(*slot, t) : t; }

}  // namespace

SlidingWindowLog::SlidingWindowLog(std::uint64_t limit, Millis window) : limit_(limit), window_(window) {
  if (limit_ == 0) throw std::invalid_argument("a rate limit must allow at least one request");
  if (window_ <= Millis::zero()) throw std::invalid_argument("a rate window must be longer than 0");
}

SteadyTime SlidingWindowLog::next_allowed(SteadyTime now) const {
  if (sends_.size() < limit_) return now;
  // Windows are half-open, [t, t + window): with `limit` sends logged, one
  // more fits once the oldest of them has left every window the new one is in.
  return std::max(now, sends_.front() + window_);
}

void SlidingWindowLog::record(SteadyTime sent_at) {
  // Normally in order; an earlier time still lands where it belongs.
  sends_.insert(std::upper_bound(sends_.begin(), sends_.end(), sent_at), sent_at);
  while (sends_.size() > limit_) sends_.pop_front();
}

Budget::Budget(std::string name, std::optional<RateSpec> fixed, AdaptivePacing pacing)
    : name_(std::move(name)), pacing_(pacing) {
  if (fixed) fixed_.emplace(fixed->limit, fixed->window);
}

SteadyTime Budget::next_allowed(SteadyTime now) const {
  SteadyTime at = now;
  if (fixed_) at = std::max(at, fixed_->next_allowed(now));
  if (parked_until_) at = std::max(at, *parked_until_);
  if (gap_ > gap_.zero() && last_send_) {
    at = std::max(at, *last_send_ + std::chrono::duration_cast<SteadyTime::duration>(gap_));
  }
  return at;
}

void Budget::on_send(SteadyTime now) {
  if (fixed_) fixed_->record(now);
  keep_later(last_send_, now);
  if (parked_until_ && now >= *parked_until_) parked_until_.reset();
}

void Budget::on_answer(SteadyTime now, unsigned status, const std::optional<SteadyTime>& resume_at,
                       bool exhausted) {
  if (resume_at) park(*resume_at);
  const bool throttled = status == 429 || exhausted;
  if (throttled && !resume_at) {
    cut_pace();
    park(now + std::chrono::duration_cast<SteadyTime::duration>(gap_));
  } else if (!throttled && status >= 200 && status < 500) {
    grow_pace();
  }
}

void Budget::park(SteadyTime until) { keep_later(parked_until_, until); }

void Budget::cut_pace() {
  gap_ = gap_ == gap_.zero() ? pacing_.first_gap : std::min(pacing_.max_gap, gap_ * 2);
  successes_since_cut_ = 0;
}

void Budget::grow_pace() {
  if (gap_ == gap_.zero() || ++successes_since_cut_ < pacing_.successes_per_step) return;
  successes_since_cut_ = 0;
  gap_ = std::chrono::duration_cast<std::chrono::nanoseconds>(gap_ * pacing_.shrink);
  if (gap_ < pacing_.floor) gap_ = gap_.zero();
}

Budgets::Budgets(std::vector<RateSpec> fixed, AdaptivePacing pacing) : pacing_(pacing) {
  for (const auto& spec : fixed) fixed_.insert_or_assign(spec.name, spec);
}

Budget& Budgets::get(const std::string& name) {
  if (auto it = budgets_.find(name); it != budgets_.end()) return it->second;
  std::optional<RateSpec> fixed;
  if (auto it = fixed_.find(name); it != fixed_.end()) fixed = it->second;
  return budgets_.try_emplace(name, name, std::move(fixed), pacing_).first->second;
}

SteadyTime Budgets::next_allowed(std::span<const std::string> names, SteadyTime now) {
  SteadyTime at = now;
  for (const auto& name : names) at = std::max(at, get(name).next_allowed(now));
  return at;
}

void Budgets::on_send(std::span<const std::string> names, SteadyTime now) {
  for (const auto& name : names) get(name).on_send(now);
}

void Budgets::on_answer(std::span<const std::string> names, SteadyTime now, unsigned status,
                        const std::optional<SteadyTime>& resume_at, bool exhausted) {
  for (const auto& name : names) get(name).on_answer(now, status, resume_at, exhausted);
}

}  // namespace ab
