// The rows that may hold a synced intent without a result line: after a
// kill -9 only these can be unknown (docs/night-contract.md). A create's row
// takes a place before its intent is written and gives it back when its
// result line is handed to the journal (or it ends stopped, with no line), so
// the window's size bounds them: --concurrency + two intent groups (runner.cpp).
//
// Single-threaded: used on the run's io_context only.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/send/in_flight_limit.hpp"

#include <cstddef>
#include <boost/unordered/unordered_flat_map.hpp>

namespace ab {

class IntentWindow {
 public:
  explicit IntentWindow(unsigned places) : places_(places) {}

  bool holds(std::size_t row) const { return held_.contains(row); }
  // A place now, when one is free and nobody waits; else empty.
  InFlightLimit::Permit try_take() { return places_.try_acquire(); }
  // A place once one frees, first come first served; empty when the run
  // stops first. The limit's own wait, not a coroutine of its own.
  Awaitable<InFlightLimit::Permit> wait(const RunControl& control) { return places_.acquire(control); }
  // `row` keeps `place` until give_back(row).
  void hold(std::size_t row, InFlightLimit::Permit place) { held_.insert_or_assign(row, std::move(place)); }
  // The row's result line is written, or it will get none: its place is free.
  void give_back(std::size_t row) {
    if (!held_.empty()) held_.erase(row);
  }
  unsigned held() const { return places_.in_flight(); }

 private:
  InFlightLimit places_;
  // Open addressing: a row taking and giving back its place allocates nothing.
  boost::unordered_flat_map<std::size_t, InFlightLimit::Permit> held_;
};

}  // namespace ab
