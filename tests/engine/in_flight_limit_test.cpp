// InFlightLimit: at most N slots out, handed over in arrival order, given
// back by the permit, and a stop releases whoever waits.
#include "engine/send/in_flight_limit.hpp"

#include "engine/run/coroutine.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace ab {
namespace {

namespace asio = boost::asio;

// Holds a slot for `hold` (a real timer: the io_context is the run's), noting
// who got one and the most slots ever out at once.
struct Trace {
  std::vector<std::string> order;
  unsigned most_out = 0;
  unsigned refused = 0;
};

ab::Awaitable<void> take(InFlightLimit& limit, RunControl& control, std::string name,
                           std::chrono::milliseconds hold, Trace& trace) {
  auto permit = co_await limit.acquire(control);
  if (!permit) {
    ++trace.refused;
    co_return;
  }
  trace.order.push_back(name);
  trace.most_out = std::max(trace.most_out, limit.in_flight());
  ab::SteadyTimer timer(co_await asio::this_coro::executor, hold);
  co_await timer.async_wait(ab::use_awaitable);
}

TEST(InFlightLimit, NeverHandsOutMoreSlotsThanItHasAndServesWaitersInOrder) {
  asio::io_context io;
  InFlightLimit limit(2);
  RunControl control;
  Trace trace;
  for (const char* name : {"a", "b", "c", "d", "e"})
    asio::co_spawn(io, take(limit, control, name, std::chrono::milliseconds(5), trace), asio::detached);
  io.run();
  EXPECT_EQ(trace.order, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(trace.most_out, 2u);
  EXPECT_EQ(limit.in_flight(), 0u) << "every permit gave its slot back";
  EXPECT_EQ(limit.waiting(), 0u);
}

// The taking without a coroutine follows the same rules: a free slot, and
// nobody queued ahead.
TEST(InFlightLimit, TryAcquireTakesOnlyAFreeSlotNobodyWaitsFor) {
  asio::io_context io;
  InFlightLimit limit(1);
  RunControl control;
  Trace trace;
  auto first = limit.try_acquire();
  ASSERT_TRUE(first);
  EXPECT_FALSE(limit.try_acquire()) << "full";
  asio::co_spawn(io, take(limit, control, "waiter", std::chrono::milliseconds(1), trace), asio::detached);
  io.poll();
  EXPECT_EQ(limit.waiting(), 1u);
  first.reset();  // handed to the waiter, not freed
  EXPECT_FALSE(limit.try_acquire()) << "the slot went to the waiter";
  io.run();
  EXPECT_EQ(trace.order, std::vector<std::string>{"waiter"});
  EXPECT_TRUE(limit.try_acquire());
}

TEST(InFlightLimit, AGivenBackSlotGoesToTheWaiterNotToANewcomer) {
  asio::io_context io;
  InFlightLimit limit(1);
  RunControl control;
  Trace trace;
  asio::co_spawn(io, take(limit, control, "first", std::chrono::milliseconds(5), trace), asio::detached);
  asio::co_spawn(io, take(limit, control, "waiter", std::chrono::milliseconds(1), trace), asio::detached);
  // Arrives just as the first slot comes back: must queue behind the waiter.
  ab::SteadyTimer later(io, std::chrono::milliseconds(5));
  later.async_wait([&](boost::system::error_code) {
    asio::co_spawn(io, take(limit, control, "newcomer", std::chrono::milliseconds(1), trace), asio::detached);
  });
  io.run();
  EXPECT_EQ(trace.order, (std::vector<std::string>{"first", "waiter", "newcomer"}));
}

TEST(InFlightLimit, AStopSendsEveryWaiterAwayEmptyHanded) {
  asio::io_context io;
  InFlightLimit limit(1);
  RunControl control;
  Trace trace;
  asio::co_spawn(io, take(limit, control, "holder", std::chrono::seconds(1), trace), asio::detached);
  for (const char* name : {"w1", "w2", "w3"})
    asio::co_spawn(io, take(limit, control, name, std::chrono::milliseconds(1), trace), asio::detached);
  ab::SteadyTimer stop(io, std::chrono::milliseconds(10));
  stop.async_wait([&](boost::system::error_code) { control.stop("interrupted"); });
  io.run_for(std::chrono::milliseconds(500));  // the slices are 100 ms: the waiters leave well before the holder
  EXPECT_EQ(trace.refused, 3u);
  EXPECT_EQ(trace.order, std::vector<std::string>{"holder"});
  EXPECT_EQ(limit.waiting(), 0u);
  io.run();
  EXPECT_EQ(limit.in_flight(), 0u);
}

TEST(InFlightLimit, APermitMovedOrResetGivesItsSlotBackOnce) {
  asio::io_context io;
  InFlightLimit limit(1);
  RunControl control;
  unsigned during = 0;
  asio::co_spawn(
      io,
      [&]() -> ab::Awaitable<void> {
        InFlightLimit::Permit kept;
        {
          auto permit = co_await limit.acquire(control);
          kept = std::move(permit);
        }
        during = limit.in_flight();
        kept.reset();
        kept.reset();
      },
      asio::detached);
  io.run();
  EXPECT_EQ(during, 1u);
  EXPECT_EQ(limit.in_flight(), 0u);
}

}  // namespace
}  // namespace ab
