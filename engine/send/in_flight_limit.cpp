#include "engine/send/in_flight_limit.hpp"

#include "engine/run/coroutine.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>

namespace ab {

// A parked acquire(). The slot is handed over directly (release() does not
// free it), so a newcomer cannot overtake a waiter.
struct InFlightLimit::Waiter {
  SteadyTimer timer;
  bool granted = false;
};

Awaitable<InFlightLimit::Permit> InFlightLimit::acquire(const RunControl& control) {
  if (control.stopping()) co_return Permit{};
  if (waiting_.empty() && in_flight_ < limit_) {
    ++in_flight_;
    co_return Permit{this};
  }
  // The stop is looked at between slices: RunControl wakes nobody.
  constexpr auto slice = std::chrono::milliseconds(100);
  Waiter waiter{SteadyTimer(co_await boost::asio::this_coro::executor)};
  waiting_.push_back(&waiter);
  // However this frame ends (a stop, or the io_context destroying it), the
  // queue must not keep a pointer to it.
  struct Dequeue {
    InFlightLimit& limit;
    Waiter& waiter;
    ~Dequeue() {
      if (!waiter.granted) std::erase(limit.waiting_, &waiter);
    }
  } dequeue{*this, waiter};
  while (!waiter.granted) {
    if (control.stopping()) co_return Permit{};
    waiter.timer.expires_after(slice);
    co_await waiter.timer.async_wait(boost::asio::as_tuple(use_awaitable));
  }
  co_return Permit{this};
}

void InFlightLimit::release() {
  if (waiting_.empty()) {
    --in_flight_;
    return;
  }
  Waiter* next = waiting_.front();
  waiting_.pop_front();
  next->granted = true;
  next->timer.cancel();
}

}  // namespace ab
