// SharedBudgets against a real redis-server (started here on a free port):
// two "processes" (two stores on one loop, each with its own connection and
// id) never take more than a budget together, keep accounts apart, park each
// other, and a store that restarts empty gets back what was sent before.
// Windows are a minute long, so no outcome here depends on how fast the
// machine is.
#include "engine/shared/shared_budgets.hpp"

#include "engine/run/coroutine.hpp"

#include "support/redis_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <sstream>
#include <vector>

namespace ab {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

SharedBudgetsConfig config_for(const test::RedisServer& redis, const std::string& account) {
  SharedBudgetsConfig c;
  c.url = std::get<StoreUrl>(parse_store_url(redis.url()));
  c.rates = {RateSpec{"tw.total_count", 3, std::chrono::minutes(1)}};
  c.accounts = {{"tw", account}};
  c.timeout = 10s;
  c.hold_after_restart = 300ms;
  return c;
}

ab::Awaitable<void> take_into(SharedBudgets& store, std::vector<std::string> names, unsigned& granted) {
  auto grant = co_await store.take(std::move(names));
  if (grant.granted) ++granted;
}

ab::Awaitable<void> sleep_for(Millis d) {
  ab::SteadyTimer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(ab::use_awaitable);
}

// Runs `body` on the loop, then stops the run and closes the stores.
void run(asio::io_context& io, RunControl& control, std::vector<SharedBudgets*> stores,
         std::function<ab::Awaitable<void>()> body) {
  asio::co_spawn(io, body(), [&](std::exception_ptr e) {
    control.stop("test over");
    for (auto* s : stores) s->close();
    if (e) std::rethrow_exception(e);
  });
  io.run();
}

ab::Awaitable<void> open_or_fail(SharedBudgets& store) {
  auto error = co_await store.open();
  EXPECT_EQ(error, "");
}

// A redis-server and one loop on which each SharedBudgets made is a process.
class SharedBudgetsTest : public ::testing::Test {
 protected:
  SharedBudgets& process(const std::string& account) {
    return *processes.emplace_back(
        std::make_unique<SharedBudgets>(io.get_executor(), config_for(redis, account), control, log));
  }
  // Runs `body`, then closes every process's store.
  void run_processes(std::function<ab::Awaitable<void>()> body) {
    std::vector<SharedBudgets*> stores;
    for (const auto& p : processes) stores.push_back(p.get());
    run(io, control, std::move(stores), std::move(body));
  }

  test::RedisServer redis;
  asio::io_context io;
  RunControl control;
  std::ostringstream log;
  std::vector<std::unique_ptr<SharedBudgets>> processes;
};

TEST_F(SharedBudgetsTest, TwoProcessesTogetherNeverTakeMoreThanTheBudget) {
  SharedBudgets& a = process("acct1");
  SharedBudgets& b = process("acct1");
  SharedBudgets& other_account = process("acct2");
  unsigned granted = 0, granted_other = 0;
  run_processes([&]() -> ab::Awaitable<void> {
    co_await open_or_fail(a);
    co_await open_or_fail(b);
    co_await open_or_fail(other_account);
    for (int i = 0; i < 5; ++i) {
      asio::co_spawn(io, take_into(a, {"tw", "tw.total_count"}, granted), asio::detached);
      asio::co_spawn(io, take_into(b, {"tw", "tw.total_count"}, granted), asio::detached);
      asio::co_spawn(io, take_into(other_account, {"tw", "tw.total_count"}, granted_other), asio::detached);
    }
    co_await sleep_for(500ms);
  });
  EXPECT_EQ(granted, 3u) << "3 per minute between both processes";
  EXPECT_EQ(granted_other, 3u) << "another account has a budget of its own";
}

TEST_F(SharedBudgetsTest, AParkByOneProcessHoldsEveryProcess) {
  SharedBudgets& a = process("acct1");
  SharedBudgets& b = process("acct1");
  unsigned parked_granted = 0, other_granted = 0;
  run_processes([&]() -> ab::Awaitable<void> {
    co_await open_or_fail(a);
    co_await open_or_fail(b);
    const std::vector<std::string> tw{"tw"};
    a.park(tw, std::chrono::steady_clock::now() + 1min);
    co_await sleep_for(100ms);  // the park is pipelined without waiting for its reply
    asio::co_spawn(io, take_into(b, {"tw"}, parked_granted), asio::detached);
    asio::co_spawn(io, take_into(b, {"nf"}, other_granted), asio::detached);
    co_await sleep_for(400ms);
  });
  EXPECT_EQ(parked_granted, 0u);
  EXPECT_EQ(other_granted, 1u);
}

// The take script's server window: once a reset a process heard published
// has passed, the next window's whole budget is there for every process,
// though the sliding log alone would hold it for a minute. The sends are
// made well inside one second and the reset is the next whole second, so
// nothing here depends on the machine's speed beyond a few hundred ms.
TEST_F(SharedBudgetsTest, APassedPublishedResetOpensTheSharedWindowAtOnce) {
  SharedBudgets& a = process("acct1");
  SharedBudgets& b = process("acct1");
  unsigned first = 0, second = 0;
  const std::vector<std::string> total{"tw.total_count"};
  std::int64_t reset = 0;
  run_processes([&]() -> ab::Awaitable<void> {
    co_await open_or_fail(a);
    co_await open_or_fail(b);
    // Early in a second: the three go before the guard band of the next one.
    const auto wall = std::chrono::system_clock::now();
    const auto next_second = std::chrono::ceil<std::chrono::seconds>(wall.time_since_epoch());
    co_await sleep_for(std::chrono::duration_cast<Millis>(next_second - wall.time_since_epoch()) + 100ms);
    reset = next_second.count() + 1;
    for (int i = 0; i < 3; ++i) co_await take_into(a, total, first);
    a.on_standing(total, RateStanding{0, std::chrono::steady_clock::now() + 1s, 3, reset});
    for (int i = 0; i < 5; ++i) asio::co_spawn(io, take_into(b, total, second), asio::detached);
    co_await sleep_for(1400ms);  // past the reset: b's takes carry none, a's heard it
    for (int i = 0; i < 5; ++i) asio::co_spawn(io, take_into(a, total, second), asio::detached);
    co_await sleep_for(400ms);
  });
  EXPECT_EQ(first, 3u);
  EXPECT_EQ(second, 3u) << "the new window's 3, and no more";
}

// The server's clock found to run 300 ms further behind ours than thought
// (server_clock.hpp): the next reset, not yet passed, is heard again 300 ms
// later. That is the same window's end, not a later window: the window
// before it is still the server's, and spent, until the later reading.
TEST_F(SharedBudgetsTest, TheSameResetHeardLaterDoesNotOpenTheNextWindowEarly) {
  SharedBudgets& a = process("acct1");
  unsigned spent = 0, early = 0, after = 0;
  const std::vector<std::string> total{"tw.total_count"};
  run_processes([&]() -> ab::Awaitable<void> {
    co_await open_or_fail(a);
    const auto wall = std::chrono::system_clock::now();
    const auto next_second = std::chrono::ceil<std::chrono::seconds>(wall.time_since_epoch());
    co_await sleep_for(std::chrono::duration_cast<Millis>(next_second - wall.time_since_epoch()) + 100ms);
    const auto now = std::chrono::steady_clock::now();
    // The window that ends at the next second began a minute before it, and is spent.
    const std::int64_t ends = next_second.count() + 1;
    a.on_standing(total, RateStanding{3, now - 100ms, 3, ends - 60});
    for (int i = 0; i < 3; ++i) co_await take_into(a, total, spent);
    a.on_standing(total, RateStanding{0, now + 900ms, 3, ends});
    for (int i = 0; i < 5; ++i) asio::co_spawn(io, take_into(a, total, early), asio::detached);
    co_await sleep_for(100ms);  // the store has heard where the window ends
    RateStanding later{0, now + 1200ms, 3, ends};
    later.server_lag = 300ms;
    a.on_standing(total, later);
    co_await sleep_for(600ms);  // before the reset as read at first
    const unsigned before_the_reset = early;
    co_await sleep_for(1000ms);  // past it as read later
    EXPECT_EQ(before_the_reset, 0u) << "the spent window's end was read later, not passed";
    after = early;
  });
  EXPECT_EQ(spent, 3u);
  EXPECT_EQ(after, 3u) << "the next window's 3, from the reset as read later";
}

// A process far from the server (its round trips 300 ms) takes a send 150
// ms before a reset: the server may count it in the next window. Its margin
// went to the store with its take, so a near process that heard the reset
// counts that send in the new window too, and the window opens 300 ms after
// the reset for both.
TEST_F(SharedBudgetsTest, AFarProcesssMarginHoldsEveryProcess) {
  SharedBudgets& far = process("acct1");
  SharedBudgets& near = process("acct1");
  unsigned before = 0, after = 0;
  const std::vector<std::string> total{"tw.total_count"};
  run_processes([&]() -> ab::Awaitable<void> {
    co_await open_or_fail(far);
    co_await open_or_fail(near);
    const auto now = std::chrono::steady_clock::now();
    for (int i = 0; i < 2; ++i) far.on_round_trip(total, now - 300ms, now);
    const auto wall = std::chrono::system_clock::now();
    auto reset = std::chrono::ceil<std::chrono::seconds>(wall.time_since_epoch());
    if (reset - wall.time_since_epoch() < 300ms) reset += 1s;
    const auto until_reset = std::chrono::duration_cast<Millis>(reset - wall.time_since_epoch());
    co_await sleep_for(until_reset - 150ms);
    co_await take_into(far, total, before);
    near.on_standing(total, RateStanding{2, std::chrono::steady_clock::now() + 150ms, 3, reset.count()});
    co_await sleep_for(600ms);  // past the reset and the far process's band
    for (int i = 0; i < 5; ++i) asio::co_spawn(io, take_into(near, total, after), asio::detached);
    co_await sleep_for(400ms);
  });
  EXPECT_EQ(before, 1u);
  EXPECT_EQ(after, 2u) << "the far send may be in the new window: 2 of its 3 are left";
}

TEST_F(SharedBudgetsTest, AStoreThatRestartsEmptyGetsBackWhatWasSent) {
  SharedBudgets& a = process("acct1");
  SharedBudgets& late = process("acct1");
  unsigned before = 0, after_a = 0, after_late = 0;
  bool back = false;
  // Named outside the coroutine: GCC 12 cannot keep a braced list of literals across a co_await.
  const std::vector<std::string> total{"tw.total_count"};
  run_processes([&]() -> ab::Awaitable<void> {
    co_await open_or_fail(a);
    for (int i = 0; i < 3; ++i) co_await take_into(a, total, before);
    redis.kill();
    redis.start_again();
    for (int i = 0; i < 100 && !back; ++i) {
      co_await sleep_for(50ms);
      back = a.connected();
    }
    // A process that starts only now learns of the three sends from the store.
    co_await open_or_fail(late);
    asio::co_spawn(io, take_into(a, total, after_a), asio::detached);
    asio::co_spawn(io, take_into(late, total, after_late), asio::detached);
    co_await sleep_for(1s);  // the 300 ms hold, and then some
  });
  EXPECT_EQ(before, 3u);
  EXPECT_TRUE(back) << log.str();
  EXPECT_NE(log.str().find("came back empty"), std::string::npos) << log.str();
  EXPECT_EQ(after_a + after_late, 0u) << "the minute's three sends were put back";
}

TEST(SharedBudgets, AnUnreachableStoreIsSaidAtOpen) {
  std::uint16_t port = 0;
  {
    test::RedisServer redis;  // a port that was free a moment ago, now closed
    port = redis.port();
  }
  asio::io_context io;
  RunControl control;
  std::ostringstream log;
  SharedBudgetsConfig c;
  c.url = std::get<StoreUrl>(parse_store_url("redis://127.0.0.1:" + std::to_string(port)));
  SharedBudgets store(io.get_executor(), c, control, log);
  std::string error;
  run(io, control, {&store}, [&]() -> ab::Awaitable<void> { error = co_await store.open(); });
  EXPECT_NE(error.find("budget store redis://127.0.0.1:" + std::to_string(port)), std::string::npos) << error;
  EXPECT_NE(error.find("refused"), std::string::npos) << error;
}

}  // namespace
}  // namespace ab
