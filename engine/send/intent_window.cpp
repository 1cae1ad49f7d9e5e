#include "engine/send/intent_window.hpp"

#include "engine/run/coroutine.hpp"

namespace ab {

Awaitable<bool> IntentWindow::take(std::size_t row, const RunControl& control) {
  auto place = places_.try_acquire();
  if (!place) place = co_await places_.acquire(control);
  if (!place || control.stopping()) co_return false;
  held_.insert_or_assign(row, std::move(place));
  co_return true;
}

}  // namespace ab
