// The engine's Api: one `send` carries a request through the budgets, the
// intent journal, the authenticator, the HTTP pool and the retry policy, and
// comes back with a final answer or a reason why there is none.
#pragma once

#include "engine/api.hpp"
#include "engine/budget.hpp"
#include "engine/http_client.hpp"
#include "engine/in_flight_limit.hpp"
#include "engine/journal.hpp"
#include "engine/metrics.hpp"
#include "engine/retry_policy.hpp"
#include "engine/run_control.hpp"
#include "engine/shared_budgets.hpp"

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
  SharedBudgets* shared = nullptr;     // --budget-store: every send also taken from the store
  std::chrono::milliseconds timeout{30'000};
  std::optional<SteadyTime> deadline;
};

class ApiClient : public Api {
 public:
  explicit ApiClient(ApiClientParts parts) : p_(parts) {}
  boost::asio::awaitable<ApiResponse> send(ApiRequest request) override;

 private:
  boost::asio::awaitable<bool> wait_turn_and_sign(const ApiRequest& request, bool& intent_recorded,
                                                  std::string& authorization, InFlightLimit::Permit& slot);
  ApiClientParts p_;
};

}  // namespace ab
