// The create reconciler's decisions as a plain class (sans-io): which item to
// look up, which items to send together, and how each row ends. It is told
// what a look-up found and what a request did to each item; the coroutine in
// create_reconciler.cpp only carries its steps out. The rules are in
// create_reconciler.hpp; they are tested without an API in
// tests/jobs/twitter_reconciliation_test.cpp.
#pragma once

#include "engine/run/clock.hpp"
#include "engine/run/job_kind.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ab::tw {

inline constexpr unsigned kMaxUnclearSends = 3;

// What one request did to one item.
struct CreateAnswer {
  enum class Kind {
    created,      // the audience exists: `audience`
    failed,       // refused for good: `error`
    not_applied,  // nothing was created (a batch refused for another item): send again
    unclear,      // may have been created: look it up before sending again
    stopped,      // the run is stopping: the row stays for the next run
  };
  Kind kind = Kind::unclear;
  boost::json::object audience;
  std::string error;
};

struct CreateRound {
  std::vector<CreateAnswer> answers;  // one per item, in item order
  unsigned http_status = 0;
  unsigned attempts = 0;
};

// What a look-up for one item's audience found (the adopted one already claimed).
struct Lookup {
  enum class Kind { found, absent, failed, stopped };
  Kind kind = Kind::absent;
  boost::json::object audience;
  unsigned status = 0;
  unsigned attempts = 0;
  std::string error;
};

// Since when an audience of this row's name may be its own: its first send
// (from the checkpoint, else `now`, which is then checkpointed), less the
// margin for clock skew; nullopt: a row resumed without one adopts any age.
struct CreateWindow {
  std::optional<SystemTime> start;
  std::optional<std::string> checkpoint;  // to record before the first send
};
CreateWindow create_window(std::string_view checkpoint, bool maybe_sent, SystemTime now,
                           std::chrono::seconds margin);

struct ReconcileStep {
  enum class Kind { look_up, send, done };
  Kind kind = Kind::done;
  std::size_t item = 0;            // look_up
  std::vector<std::size_t> items;  // send, in this order
};

// A row's end: its result, and for an ok row the audience of its --responses line.
struct ReconcileEnd {
  std::size_t item = 0;
  RowResult result;
  boost::json::object audience;
  bool claim = false;  // created by this request: the id is this run's from now on
};

class Reconciliation {
 public:
  // names: each item's audience name; may_exist: a resumed row that may have been created.
  Reconciliation(std::vector<std::string> names, std::vector<bool> may_exist);

  ReconcileStep next();
  void looked_up(Lookup found);   // the answer to the last look_up step
  void sent(CreateRound round);   // the answer to the last send step
  // Rows ended since the last call, to be reported once each.
  std::vector<ReconcileEnd> take_ends() { return std::exchange(ends_, {}); }

 private:
  struct Pending {
    std::size_t item = 0;
    unsigned attempts = 0;
    unsigned unclear_sends = 0;
    bool may_exist = false;
    unsigned last_status = 0;
    std::string last_error;
  };
  void end(const Pending& p, RowResult result, boost::json::object audience = {}, bool claim = false);

  std::vector<std::string> names_;
  std::vector<Pending> pending_;
  std::vector<Pending> to_send_;
  std::size_t cursor_ = 0;      // the next pending item to look at this round
  std::size_t round_ = 0;
  std::size_t max_rounds_ = 0;  // only unclear answers repeat a round without shrinking it
  std::vector<ReconcileEnd> ends_;
};

}  // namespace ab::tw
