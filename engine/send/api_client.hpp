// The engine's Api: one `send` carries a request through the budgets, the
// intent journal, the authenticator, the HTTP pool and the retry policy, and
// comes back with a final answer or a reason why there is none.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/send/api.hpp"
#include "engine/send/attempt_machine.hpp"
#include "engine/send/budget.hpp"
#include "engine/report/event_log.hpp"
#include "engine/send/http_client.hpp"
#include "engine/send/in_flight_limit.hpp"
#include "engine/send/row_window.hpp"
#include "engine/journal/journal.hpp"
#include "engine/report/metrics.hpp"
#include "engine/journal/results_room.hpp"
#include "engine/send/retry_policy.hpp"
#include "engine/send/server_clock.hpp"
#include "engine/run/run_control.hpp"
#include "engine/shared/shared_budgets.hpp"

#include <chrono>

namespace ab {

struct ApiClientParts {
  HttpPool& pool;
  Budgets& budgets;
  const RetryPolicy& retry;
  Random& random;
  RunControl& control;
  Metrics& metrics;
  JournalWriter* journal = nullptr;  // null: intents are not recorded (tests)
  InFlightLimit* in_flight = nullptr;  // null: no limit but the callers' own (tests)
  // Rows that hold an intent, and rows that may be marked sent, with no
  // result line yet (row_window.hpp). Null: no bound (tests).
  RowWindow* intent_window = nullptr;
  RowWindow* send_window = nullptr;
  SharedBudgets* shared = nullptr;     // --budget-store: every send also taken from the store
  std::chrono::milliseconds timeout{30'000};
  std::optional<SteadyTime> deadline;
  ResultsRoom* room = nullptr;  // null: requests leave without room held for their answers (tests)
  EventLog* events = nullptr;  // -v: each retry and pause, with why
};

class ApiClient : public Api {
 public:
  explicit ApiClient(ApiClientParts parts) : p_(parts) {}
  void set_events(EventLog* events) { p_.events = events; }
  Awaitable<ApiAnswer> send(ApiRequest request) override;

 private:
  ApiClientParts p_;
  ServerClocks clocks_;  // how far behind ours each server's clock is known to run
};

}  // namespace ab
