// A thread-to-coroutine bridge: awaiting a callback that another thread
// calls (the journal's writer thread reporting that a line is on disk); the
// coroutine resumes on its own executor.
#pragma once

#include "engine/run/coroutine.hpp"
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <memory>

namespace ab {

// `start` (called at once, on this thread) receives the callback to hand to
// the other thread; the coroutine resumes with the bool that callback is
// called with. One allocation per wait (an intent's, on every create's
// path): the handler and its executor share one block, and the callback
// holds only a pointer to it, which std::function keeps without allocating.
template <class Start>
Awaitable<bool> await_callback(Start start) {
  return boost::asio::async_initiate<decltype(use_awaitable), void(bool)>(
      [start = std::move(start)](auto handler) mutable {
        using Handler = decltype(handler);
        using HandlerExecutor = boost::asio::associated_executor_t<Handler>;
        struct Waiting {
          HandlerExecutor executor;
          Handler handler;
        };
        auto executor = boost::asio::get_associated_executor(handler);
        auto waiting = std::make_shared<Waiting>(Waiting{std::move(executor), std::move(handler)});
        start(std::function<void(bool)>([waiting](bool ok) {
          // Inline when called on the coroutine's own thread (callbacks delivered
          // there in a batch), else posted to it.
          boost::asio::dispatch(waiting->executor, [waiting, ok] { waiting->handler(ok); });
        }));
      },
      use_awaitable);
}

}  // namespace ab
