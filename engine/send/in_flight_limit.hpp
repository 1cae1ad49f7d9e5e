// --concurrency counts requests in flight (SPEC.md: "requests in flight"),
// not rows being worked on. A row waiting for its intent to reach the disk,
// for a budget or for its back-off holds no slot, so the wire stays full
// while the journal syncs: the runner keeps more rows going than there are
// slots, and every attempt takes a slot only from its send to its answer.
//
// Single-threaded: used on the run's io_context only.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/run/run_control.hpp"

#include "engine/run/coroutine.hpp"

#include <boost/asio/async_result.hpp>

#include <deque>
#include <optional>

namespace ab {

class InFlightLimit {
 public:
  // One slot, given back when the permit goes (or by reset()).
  class Permit {
   public:
    Permit() = default;
    explicit Permit(InFlightLimit* limit) : limit_(limit) {}
    Permit(Permit&& other) noexcept : limit_(std::exchange(other.limit_, nullptr)) {}
    Permit& operator=(Permit&& other) noexcept {
      if (this != &other) {
        reset();
        limit_ = std::exchange(other.limit_, nullptr);
      }
      return *this;
    }
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit() { reset(); }

    void reset() {
      if (limit_) std::exchange(limit_, nullptr)->release();
    }
    explicit operator bool() const { return limit_ != nullptr; }

   private:
    InFlightLimit* limit_ = nullptr;
  };

  explicit InFlightLimit(unsigned limit) : limit_(limit == 0 ? 1 : limit) {}
  InFlightLimit(const InFlightLimit&) = delete;
  InFlightLimit& operator=(const InFlightLimit&) = delete;

  // A slot, first come first served; an empty permit when the run stops first.
  Awaitable<Permit> acquire(const RunControl& control);
  // The same wait with no coroutine of its own (the caller's frame is what
  // waits, as on every request's path): true once a slot was handed over,
  // to be taken with handed_over(); false when the run stops first.
  Awaitable<bool> wait(const RunControl& control);
  Permit handed_over() { return Permit{this}; }
  // A slot now, when one is free and nobody waits (no coroutine to start); else empty.
  Permit try_acquire() {
    if (!waiting_.empty() || in_flight_ >= limit_) return Permit{};
    ++in_flight_;
    return Permit{this};
  }

  unsigned limit() const { return limit_; }
  unsigned in_flight() const { return in_flight_; }
  std::size_t waiting() const { return waiting_.size(); }

 private:
  // A parked acquire() is its coroutine's completion handler, called with
  // true when a slot is handed over (release() does not free it, so a
  // newcomer cannot overtake a waiter) or false when the run stops.
  using Waiter = boost::asio::async_result<std::decay_t<decltype(use_awaitable)>, void(bool)>::handler_type;
  void park(Waiter waiter, const RunControl& control);
  void watch_for_stop();
  void release();

  unsigned limit_;
  unsigned in_flight_ = 0;
  std::deque<Waiter> waiting_;
  // RunControl wakes nobody: while anyone waits, one timer looks at the stop
  // every 100 ms (one for all waiters, not one each: a wait costs no timer).
  const RunControl* control_ = nullptr;
  std::optional<SteadyTimer> stop_watch_;
  bool watching_ = false;
};

}  // namespace ab
