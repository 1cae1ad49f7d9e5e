// Client-side request budgets. A fixed budget of N per window (--rate) is a
// RateCount (rate_count.hpp): never N in any window of that length, or, once
// the server has published its window's reset, N per the server's window,
// counted afresh from that reset. Server feedback parks a budget until the time it names; a
// budget with no published numbers is paced adaptively (cut on 429, grown back
// slowly). A budget whose server publishes its numbers (x-rate-limit-remaining
// and -reset) never has more requests out than the server said remain: until
// the first answer (and again once the last known reset has passed) one
// request goes alone, so that a run started while the server's window is
// already spent (a rerun, another client) learns it from one request, not
// from --concurrency 429s. Plain classes: every method takes the time as an argument; not
// thread-safe (the runtime calls them from one strand).
//
// A caller that waits for next_allowed() must ask again when it wakes and
// call on_send() with no suspension in between: another request of the same
// budget may have gone in the meantime.
#pragma once

#include "engine/run/run_options.hpp"
#include "engine/run/clock.hpp"
#include "engine/send/rate_count.hpp"
#include "engine/send/rate_headers.hpp"
#include "engine/send/window_learner.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ab {

// Server-driven pacing, for budgets whose numbers nobody published (and for
// fixed budgets the server still throttles): a 429 that names no time sets a
// minimum gap between sends, doubled on each further 429 (one answering a
// request sent before the last cut does not count) and shrunk by successes,
// so that a server that throttles because we are too fast gets a steady pace,
// not a retry storm (the rules and why: bench/README.md, "Tuning history").
struct AdaptivePacing {
  std::chrono::nanoseconds first_gap = std::chrono::milliseconds(100);
  std::chrono::nanoseconds max_gap = std::chrono::seconds(10);
  std::uint64_t successes_per_step = 1;
  double shrink = 0.8;
  std::chrono::nanoseconds floor = std::chrono::microseconds(50);
};

class Budget {
 public:
  // fixed: a --rate for this name; nullopt: adaptive only.
  Budget(std::string name, std::optional<RateSpec> fixed, AdaptivePacing pacing = {});
  const std::string& name() const { return name_; }
  // The earliest time >= now this budget lets one more request go.
  SteadyTime next_allowed(SteadyTime now) const;
  // A request of this budget was sent at `now` (first attempt or retry).
  void on_send(SteadyTime now);
  // An answer came back. A time the server named (Retry-After, the reset of an
  // exhausted family) parks the budget until then. A 429 or remaining 0 that
  // names no time cuts the adaptive pace and parks the budget for one gap.
  // Any other answer below 500 is a success that grows the pace back.
  // `sent_at`, when known, is when the answered request went out (a fixed
  // budget's guard band follows such round trips: rate_count.hpp).
  void on_answer(SteadyTime now, unsigned status, const std::optional<SteadyTime>& resume_at,
                 bool exhausted, std::optional<SteadyTime> sent_at = std::nullopt);
  // The attempt sent for this budget got no answer (connection failure).
  void on_no_answer();
  // The answer just given to on_answer published where its family stands.
  void on_standing(const RateStanding& standing);
  // Set while the server's word holds the budget; cleared by the first send after it.
  std::optional<SteadyTime> parked_until() const { return parked_until_; }
  // The adaptive minimum gap between sends; zero when not throttled.
  std::chrono::nanoseconds pace() const { return gap_; }
  // The window learned from 429s of a server that publishes no numbers (window_learner.hpp).
  std::optional<LearnedWindow> learned_window() const { return learner_.learned(); }

 private:
  std::string name_;
  std::optional<RateCount> fixed_;
  std::optional<SteadyTime> parked_until_;
  AdaptivePacing pacing_;
  // Adaptive pacing: minimum gap between sends; zero until the first 429.
  std::chrono::nanoseconds gap_{0};
  std::optional<SteadyTime> last_send_;
  std::optional<SteadyTime> last_cut_;
  std::uint64_t successes_since_cut_ = 0;
  double mean_send_gap_ns_ = -1;  // moving average of the time between sends; < 0 until two sends
  // What the server published: sends it still allows before `reset`, less
  // every send since (in-flight ones included, which is conservative).
  std::uint64_t in_flight_ = 0;
  bool answered_ = false;
  bool published_ = false;
  std::int64_t server_remaining_ = 0;
  SteadyTime server_reset_{};
  // An unpublished budget's window, learned from its 429s; paced as a log.
  WindowLearner learner_;
  std::optional<SlidingWindowLog> learned_log_;

  void follow_learned_window();

  void park(SteadyTime until);
  void cut_pace(SteadyTime now);
  void grow_pace();
};

// Every budget of a run, by name. Unknown names are created adaptive on first
// use. A later RateSpec of the same name replaces an earlier one (a --rate
// overrides a default). A request charged to several budgets waits for all.
class Budgets {
 public:
  explicit Budgets(std::vector<RateSpec> fixed, AdaptivePacing pacing = {});
  // The latest next_allowed of the named budgets; `now` when there are none.
  SteadyTime next_allowed(std::span<const std::string> names, SteadyTime now);
  void on_send(std::span<const std::string> names, SteadyTime now);
  void on_answer(std::span<const std::string> names, SteadyTime now, unsigned status,
                 const std::optional<SteadyTime>& resume_at, bool exhausted,
                 std::optional<SteadyTime> sent_at = std::nullopt,
                 const std::optional<RateStanding>& standing = std::nullopt);
  void on_no_answer(std::span<const std::string> names);
  Budget& get(const std::string& name);

 private:
  std::map<std::string, RateSpec> fixed_;
  AdaptivePacing pacing_;
  // A job charges a handful of budgets, each several times a request: a
  // short list compared by name beats a tree of strings. Boxed, so that the
  // references get() returns stay put as budgets are added.
  std::vector<std::unique_ptr<Budget>> budgets_;
};

}  // namespace ab
