// The one executor every coroutine of a run works on: the run's io_context's
// own. Asio's default, any_io_executor, is type-erased: every co_await moved
// and copied it through a table of function pointers (about 1,500
// instructions a row at full speed; bench/README.md, issue 24).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace ab {

using Executor = boost::asio::io_context::executor_type;
template <class T = void>
using Awaitable = boost::asio::awaitable<T, Executor>;
inline constexpr boost::asio::use_awaitable_t<Executor> use_awaitable;
using SteadyTimer = boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                                      boost::asio::wait_traits<std::chrono::steady_clock>, Executor>;

}  // namespace ab
