// Awaiting a callback that another thread calls (the journal's writer thread
// reporting that a line is on disk): the coroutine resumes on its own executor.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <memory>

namespace ab {

// `start` receives the callback to hand to the other thread; the coroutine
// resumes with the bool that callback is called with.
inline boost::asio::awaitable<bool> await_callback(std::function<void(std::function<void(bool)>)> start) {
  return boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(bool)>(
      [start = std::move(start)](auto handler) {
        auto executor = boost::asio::get_associated_executor(handler);
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        start([shared, executor](bool ok) {
          boost::asio::post(executor, [shared, ok]() mutable { (*shared)(ok); });
        });
      },
      boost::asio::use_awaitable);
}

}  // namespace ab
