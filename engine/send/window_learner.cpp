#include "engine/send/window_learner.hpp"

#include <algorithm>

namespace ab {

namespace {

constexpr std::uint64_t fewest_to_learn = 20;

// Two windows agree when each took at least `fewest_to_learn` requests and
// their counts differ by at most a tenth.
bool agree(const LearnedWindow& a, const LearnedWindow& b) {
  const auto low = std::min(a.limit, b.limit), high = std::max(a.limit, b.limit);
  return low >= fewest_to_learn && (high - low) * 10 <= high;
}

}  // namespace

void WindowLearner::on_send(SteadyTime now) {
  if (opened_ && !(resume_at_ && now >= *resume_at_)) return;
  opened_ = now;
  resume_at_.reset();
  taken_ = 0;
}

void WindowLearner::on_answer(unsigned status, const std::optional<SteadyTime>& resume_at, SteadyTime sent_at) {
  if (!opened_ || sent_at < *opened_) return;  // an answer to an earlier window's request
  if (status != 429 || !resume_at) {
    if (status != 429 && !resume_at_) ++taken_;
    return;
  }
  if (resume_at_) {  // the same window's other 429s
    resume_at_ = std::max(*resume_at_, *resume_at);
    return;
  }
  resume_at_ = *resume_at;
  const LearnedWindow seen{taken_, std::chrono::duration_cast<Millis>(*resume_at - *opened_)};
  if (learned_) {
    // Refused near the learned limit: the guess was high. Refused below half
    // of it: no window of that size is there (throttles at random agreed by
    // chance), so it is forgotten.
    if (taken_ * 10 >= learned_->limit * 9) learned_->limit = std::max<std::uint64_t>(1, learned_->limit * 9 / 10);
    if (taken_ * 2 < learned_->limit) learned_.reset();
  } else if (previous_ && agree(*previous_, seen)) {
    learned_ = LearnedWindow{std::min(previous_->limit, seen.limit), std::max(previous_->window, seen.window)};
  }
  previous_ = seen;
}

}  // namespace ab
