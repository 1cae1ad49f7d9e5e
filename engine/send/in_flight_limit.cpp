#include "engine/send/in_flight_limit.hpp"

#include <boost/asio/post.hpp>

#include <chrono>

namespace ab {

namespace {
constexpr auto stop_look = std::chrono::milliseconds(100);
}  // namespace

Awaitable<InFlightLimit::Permit> InFlightLimit::acquire(const RunControl& control) {
  if (control.stopping()) co_return Permit{};
  if (auto permit = try_acquire()) co_return permit;
  const bool granted = co_await wait(control);
  co_return granted ? handed_over() : Permit{};
}

Awaitable<bool> InFlightLimit::wait(const RunControl& control) {
  return boost::asio::async_initiate<decltype(use_awaitable), void(bool)>(
      [this, &control](Waiter waiter) { park(std::move(waiter), control); }, use_awaitable);
}

void InFlightLimit::park(Waiter waiter, const RunControl& control) {
  // Answered on the waiter's own turn, as a slot given back is.
  const auto answer = [&](bool granted) {
    const auto executor = waiter.get_executor();
    boost::asio::post(executor, [waiter = std::move(waiter), granted]() mutable { std::move(waiter)(granted); });
  };
  if (control.stopping()) return answer(false);
  if (waiting_.empty() && in_flight_ < limit_) {
    ++in_flight_;
    return answer(true);
  }
  if (!stop_watch_) stop_watch_.emplace(waiter.get_executor());
  control_ = &control;
  waiting_.push_back(std::move(waiter));
  if (!watching_) watch_for_stop();
}

void InFlightLimit::watch_for_stop() {
  watching_ = true;
  stop_watch_->expires_after(stop_look);
  stop_watch_->async_wait([this](boost::system::error_code ec) {
    watching_ = false;
    if (ec) return;  // cancelled: nobody waits any more
    if (control_->stopping()) {
      // Every waiter leaves empty-handed, in order, on its own turn of the loop.
      auto leaving = std::exchange(waiting_, {});
      for (auto& waiter : leaving) {
        const auto executor = waiter.get_executor();
        boost::asio::post(executor, [waiter = std::move(waiter)]() mutable { std::move(waiter)(false); });
      }
      return;
    }
    if (!waiting_.empty()) watch_for_stop();
  });
}

void InFlightLimit::release() {
  if (waiting_.empty()) {
    --in_flight_;
    return;
  }
  Waiter next = std::move(waiting_.front());
  waiting_.pop_front();
  // Posted, not called: the waiter resumes on its own turn, not inside
  // whoever gave the slot back.
  const auto executor = next.get_executor();
  boost::asio::post(executor, [next = std::move(next)]() mutable { std::move(next)(true); });
  // The last waiter gone: the stop watch must not keep the run alive.
  if (waiting_.empty() && watching_) stop_watch_->cancel();
}

}  // namespace ab
