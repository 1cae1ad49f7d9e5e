// A bound on rows at one stage of a create, from taking a place until the
// row's result line is handed to the journal (or it ends stopped, with no
// line). The run keeps two (runner.cpp, docs/night-contract.md): the intent
// window, taken before the intent is written, bounds the synced intents
// without a line (what a power cut may leave unknown); the send window,
// taken once the intent is synced and before the first request, bounds the
// rows marked sent without a line (what kill -9 may leave unknown).
//
// Single-threaded: used on the run's io_context only.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/send/in_flight_limit.hpp"

#include <cstddef>
#include <boost/unordered/unordered_flat_map.hpp>

namespace ab {

class RowWindow {
 public:
  explicit RowWindow(unsigned places) : places_(places) {}

  bool holds(std::size_t row) const { return held_.contains(row); }
  // A place for `row` now, when one is free and nobody waits: true when
  // `row` holds one (or held one already).
  bool take_now(std::size_t row) {
    if (holds(row)) return true;
    auto place = places_.try_acquire();
    if (!place) return false;
    held_.insert_or_assign(row, std::move(place));
    return true;
  }
  // Else a place once one frees, first come first served: true when one was
  // handed over, for took(row); false when the run stops first. The limit's
  // own wait, not a coroutine of its own.
  Awaitable<bool> wait(const RunControl& control) { return places_.wait(control); }
  void took(std::size_t row) { held_.insert_or_assign(row, places_.handed_over()); }
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
