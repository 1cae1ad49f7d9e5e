#include "engine/send/budget.hpp"

#include <algorithm>
#include <stdexcept>

namespace ab {

namespace {

void keep_later(std::optional<SteadyTime>& slot, SteadyTime t) { slot = slot ? std::max(*slot, t) : t; }

// How often a request waiting for another one's answer looks again: answers
// wake nobody directly, and a few milliseconds are nothing next to a round trip.
constexpr auto answer_poll = std::chrono::milliseconds(5);

}  // namespace

Budget::Budget(std::string name, std::optional<RateSpec> fixed, AdaptivePacing pacing)
    : name_(std::move(name)), pacing_(pacing) {
  if (fixed) fixed_.emplace(fixed->limit, fixed->window);
}

SteadyTime Budget::next_allowed(SteadyTime now) const {
  SteadyTime at = now;
  if (fixed_) at = std::max(at, fixed_->next_allowed(now));
  if (learned_log_) at = std::max(at, learned_log_->next_allowed(now));
  if (parked_until_) at = std::max(at, *parked_until_);
  if (gap_ > gap_.zero() && last_send_) {
    at = std::max(at, *last_send_ + std::chrono::duration_cast<SteadyTime::duration>(gap_));
  }
  const bool standing_known = published_ && now < server_reset_;
  if (standing_known && server_remaining_ <= 0) {
    at = std::max(at, server_reset_);
  } else if (!standing_known && (!answered_ || published_) && in_flight_ > 0) {
    at = std::max(at, now + answer_poll);  // one request alone until an answer says where we stand
  }
  return at;
}

void Budget::on_send(SteadyTime now) {
  ++in_flight_;
  if (published_) --server_remaining_;
  if (fixed_) fixed_->record(now);
  learner_.on_send(now);
  if (learned_log_) learned_log_->record(now);
  if (last_send_ && now >= *last_send_) {
    const double gap = std::chrono::duration<double, std::nano>(now - *last_send_).count();
    mean_send_gap_ns_ = mean_send_gap_ns_ < 0 ? gap : 0.9 * mean_send_gap_ns_ + 0.1 * gap;
  }
  keep_later(last_send_, now);
  if (parked_until_ && now >= *parked_until_) parked_until_.reset();
}

void Budget::on_answer(SteadyTime now, unsigned status, const std::optional<SteadyTime>& resume_at,
                       bool exhausted, std::optional<SteadyTime> sent_at) {
  on_no_answer();
  answered_ = true;
  if (fixed_ && sent_at) fixed_->on_round_trip(std::chrono::duration_cast<std::chrono::microseconds>(now - *sent_at));
  if (resume_at) park(*resume_at);
  if (!fixed_ && !published_ && sent_at) {
    learner_.on_answer(status, resume_at, *sent_at);
    follow_learned_window();
  }
  const bool throttled = status == 429 || exhausted;
  if (throttled && !resume_at) {
    const bool news = !sent_at || !last_cut_ || *sent_at >= *last_cut_;
    if (news) cut_pace(now);
    park(now + std::chrono::duration_cast<SteadyTime::duration>(gap_));
  } else if (!throttled && status >= 200 && status < 500) {
    grow_pace();
  }
}

void Budget::on_no_answer() {
  if (in_flight_ > 0) --in_flight_;
}

void Budget::on_standing(const RateStanding& standing) {
  published_ = true;
  // Requests still out may or may not be in the server's count: assume not.
  server_remaining_ = standing.remaining - static_cast<std::int64_t>(in_flight_);
  server_reset_ = standing.reset;
  // A window of our --rate's size: the --rate follows where it ends.
  if (fixed_ && standing.limit && *standing.limit == static_cast<std::int64_t>(fixed_->limit())) {
    fixed_->on_clock_uncertainty(standing.clock_uncertainty);
    fixed_->on_reset(standing.reset, standing.reset_epoch);
  }
}

void Budget::follow_learned_window() {
  const auto& learned = learner_.learned();
  if (!learned || learned->window <= Millis::zero()) return;
  if (learned_log_ && learned_log_->limit() == learned->limit && learned_log_->window() == learned->window) return;
  learned_log_.emplace(learned->limit, learned->window);
}

void Budget::park(SteadyTime until) { keep_later(parked_until_, until); }

void Budget::cut_pace(SteadyTime now) {
  last_cut_ = now;
  if (gap_ == gap_.zero()) {
    gap_ = pacing_.first_gap;
    if (mean_send_gap_ns_ >= 0) {
      const auto half_rate = std::chrono::nanoseconds(static_cast<std::int64_t>(2 * mean_send_gap_ns_));
      gap_ = std::clamp(half_rate, pacing_.floor, pacing_.first_gap);
    }
  } else {
    gap_ = std::min(pacing_.max_gap, gap_ * 2);
  }
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
  for (const auto& budget : budgets_)
    if (budget->name() == name) return *budget;
  std::optional<RateSpec> fixed;
  if (auto it = fixed_.find(name); it != fixed_.end()) fixed = it->second;
  return *budgets_.emplace_back(std::make_unique<Budget>(name, std::move(fixed), pacing_));
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
                        const std::optional<SteadyTime>& resume_at, bool exhausted,
                        std::optional<SteadyTime> sent_at, const std::optional<RateStanding>& standing) {
  for (const auto& name : names) {
    auto& budget = get(name);
    budget.on_answer(now, status, resume_at, exhausted, sent_at);
    if (standing) budget.on_standing(*standing);
  }
}

void Budgets::on_no_answer(std::span<const std::string> names) {
  for (const auto& name : names) get(name).on_no_answer();
}

}  // namespace ab
