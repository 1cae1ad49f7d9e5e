// Client-side request budgets. A fixed budget of N per window never lets more
// than N sends through in ANY window of that length (a sliding log, not a
// token bucket). Server feedback parks a budget until the time it names; a
// budget with no published numbers is paced adaptively (cut on 429, grown back
// slowly). Plain classes: every method takes the time as an argument.
#pragma once

#include "audience_batch/run.hpp"
#include "engine/clock.hpp"
#include "engine/rate_headers.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ab {

class SlidingWindowLog {
 public:
  SlidingWindowLog(std::uint64_t limit, Millis window);
  // The earliest time >= now at which one more send keeps every window <= limit.
  SteadyTime next_allowed(SteadyTime now) const;
  void record(SteadyTime sent_at);
  std::uint64_t limit() const { return limit_; }
  Millis window() const { return window_; }

 private:
  std::uint64_t limit_;
  Millis window_;
  std::deque<SteadyTime> sends_;  // at most `limit_` entries
};

class Budget {
 public:
  // fixed: a --rate for this name; nullopt: adaptive only.
  Budget(std::string name, std::optional<RateSpec> fixed);
  const std::string& name() const { return name_; }
  // The earliest time >= now this budget lets one more request go.
  SteadyTime next_allowed(SteadyTime now) const;
  // A request of this budget was sent at `now` (first attempt or retry).
  void on_send(SteadyTime now);
  // An answer came back: 429 cuts the adaptive pace and parks the budget until
  // the time named (if any); remaining 0 parks it until the reset; successes
  // grow the pace back.
  void on_answer(SteadyTime now, unsigned status, const std::optional<SteadyTime>& resume_at,
                 bool exhausted);
  std::optional<SteadyTime> parked_until() const { return parked_until_; }

 private:
  std::string name_;
  std::optional<SlidingWindowLog> fixed_;
  std::optional<SteadyTime> parked_until_;
  // Adaptive pacing: minimum gap between sends; zero until the first 429.
  std::chrono::nanoseconds gap_{0};
  SteadyTime last_send_{};
  std::uint64_t successes_since_cut_ = 0;
};

// Every budget of a run, by name. Unknown names are created adaptive on first use.
class Budgets {
 public:
  explicit Budgets(std::vector<RateSpec> fixed);
  SteadyTime next_allowed(std::span<const std::string> names, SteadyTime now);
  void on_send(std::span<const std::string> names, SteadyTime now);
  void on_answer(std::span<const std::string> names, SteadyTime now, unsigned status,
                 const std::optional<SteadyTime>& resume_at, bool exhausted);
  Budget& get(const std::string& name);

 private:
  std::map<std::string, RateSpec> fixed_;
  std::map<std::string, Budget> budgets_;
};

}  // namespace ab
