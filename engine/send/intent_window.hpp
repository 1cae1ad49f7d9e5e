// The rows that may hold a synced intent without a result line: after a
// kill -9 only these can be unknown (docs/night-contract.md). A create's row
// takes a place before its intent is written and gives it back when its
// result line is handed to the journal (or it ends stopped, with no line), so
// the window's size is the bound itself: --concurrency + one intent group.
//
// Single-threaded: used on the run's io_context only.
#pragma once

#include "engine/send/in_flight_limit.hpp"

#include <cstddef>
#include <unordered_map>

namespace ab {

class IntentWindow {
 public:
  explicit IntentWindow(unsigned places) : places_(places) {}

  bool holds(std::size_t row) const { return held_.contains(row); }
  // A place for `row`, now if one is free; else waits. False when the run stopped first.
  boost::asio::awaitable<bool> take(std::size_t row, const RunControl& control);
  // The row's result line is written, or it will get none: its place is free.
  void give_back(std::size_t row) {
    if (!held_.empty()) held_.erase(row);
  }
  unsigned held() const { return places_.in_flight(); }

 private:
  InFlightLimit places_;
  std::unordered_map<std::size_t, InFlightLimit::Permit> held_;
};

}  // namespace ab
