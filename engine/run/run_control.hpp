// Whether the run goes on. A signal, the deadline or a journal that cannot be
// written stop it: no new rows are taken, waits end early, requests already
// written are let finish (docs/night-contract.md), and rows whose request was
// not written, or was cut short, stay without a final line for the next run.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/run/clock.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>

namespace ab {

class RunControl {
 public:
  // The first reason wins ("interrupted", "deadline reached", "results.csv: No space left on device").
  void stop(std::string reason, bool failure = false);
  bool stopping() const { return stopping_; }
  bool failed() const { return failed_; }  // stopped by an error, not by the user
  // Stops for a reason no rerun can get past without a change by the user
  // (a certificate that does not verify): the run ends with exit 2.
  void refuse(std::string reason);
  bool refused() const { return refused_; }
  const std::string& reason() const { return reason_; }
  // A second signal: requests in flight are not waited for any more.
  void cut_short() { cut_short_ = true; }
  bool was_cut_short() const { return cut_short_; }

 private:
  bool stopping_ = false;
  bool failed_ = false;
  bool refused_ = false;
  bool cut_short_ = false;
  std::string reason_;
};

// Sleeps until `when` or until the run stops, whichever comes first; true
// when the time was reached. Waits in short slices so a stop is seen at once.
Awaitable<bool> sleep_until(SteadyTime when, const RunControl& control);

}  // namespace ab
