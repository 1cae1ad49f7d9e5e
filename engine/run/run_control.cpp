#include "engine/run/run_control.hpp"

#include "engine/run/coroutine.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>

#include <algorithm>

namespace ab {

void RunControl::stop(std::string reason, bool failure) {
  if (stopping_) return;
  stopping_ = true;
  failed_ = failure;
  reason_ = std::move(reason);
}

void RunControl::refuse(std::string reason) {
  // A stop for another reason may have come first: the refusal still decides the exit code.
  if (stopping_ && refused_) return;
  refused_ = true;
  stopping_ = true;
  failed_ = true;
  reason_ = std::move(reason);
}


Awaitable<bool> sleep_until(SteadyTime when, const RunControl& control) {
  constexpr auto slice = std::chrono::milliseconds(100);
  SteadyTimer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    if (control.stopping()) co_return false;
    const auto now = std::chrono::steady_clock::now();
    if (now >= when) co_return true;
    timer.expires_at(std::min(when, now + slice));
    co_await timer.async_wait(boost::asio::as_tuple(use_awaitable));
  }
}

}  // namespace ab
