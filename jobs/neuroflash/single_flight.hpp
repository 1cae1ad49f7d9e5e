// Many coroutines ask for the same expensive thing (a fresh OAuth2 token);
// one of them does the work, the others wait for its result. Safe when the
// callers run on several threads: the state is under a mutex, and each waiter
// is resumed on its own executor, never on the leader's stack.
#pragma once

#include "engine/run/coroutine.hpp"
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace ab::nf {

template <class Result>
class SingleFlight {
 public:
  using Work = std::function<Awaitable<Result>()>;

  // Runs `work` when no run is in flight; otherwise waits for the run in
  // flight and returns its result (or rethrows its exception) instead.
  Awaitable<Result> run(Work work) {
    std::shared_ptr<Flight> flight;
    bool leader = false;
    {
      std::lock_guard lock(mutex_);
      if (!in_flight_) {
        in_flight_ = std::make_shared<Flight>();
        leader = true;
      }
      flight = in_flight_;
    }
    if (!leader) co_return co_await wait_for(std::move(flight));

    Result result{};
    std::exception_ptr failure;
    try {
      result = co_await work();
    } catch (...) {
      failure = std::current_exception();
    }
    land(*flight, failure, result);
    if (failure) std::rethrow_exception(failure);
    co_return result;
  }

  // True while a run is in flight (tests, diagnostics).
  bool busy() const {
    std::lock_guard lock(mutex_);
    return in_flight_ != nullptr;
  }

 private:
  using Handler = boost::asio::any_completion_handler<void(std::exception_ptr, Result)>;

  // A suspended caller and the executor it must be resumed on.
  struct Waiter {
    Executor executor;
    Handler handler;
  };

  struct Flight {
    bool landed = false;
    std::exception_ptr failure;
    Result result{};
    std::vector<Waiter> waiters;
  };

  static void resume(Waiter waiter, std::exception_ptr failure, Result result) {
    boost::asio::post(waiter.executor, [h = std::move(waiter.handler), failure, r = std::move(result)]() mutable {
      std::move(h)(failure, std::move(r));
    });
  }

  Awaitable<Result> wait_for(std::shared_ptr<Flight> flight) {
    auto register_waiter = [this, flight](auto handler) {
      Waiter waiter{boost::asio::get_associated_executor(handler), Handler(std::move(handler))};
      std::unique_lock lock(mutex_);
      if (!flight->landed) {
        flight->waiters.push_back(std::move(waiter));
        return;
      }
      // It landed between our look at the state and now.
      lock.unlock();
      resume(std::move(waiter), flight->failure, flight->result);
    };
    co_return co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<Executor>&,
                                                   void(std::exception_ptr, Result)>(
        std::move(register_waiter), use_awaitable);
  }

  void land(Flight& flight, std::exception_ptr failure, const Result& result) {
    std::vector<Waiter> waiters;
    {
      std::lock_guard lock(mutex_);
      flight.landed = true;
      flight.failure = failure;
      flight.result = result;
      waiters = std::move(flight.waiters);
      in_flight_.reset();
    }
    for (auto& waiter : waiters) resume(std::move(waiter), failure, result);
  }

  mutable std::mutex mutex_;
  std::shared_ptr<Flight> in_flight_;
};

}  // namespace ab::nf
