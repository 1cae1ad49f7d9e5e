#include "engine/api_client.hpp"

#include "engine/durable.hpp"
#include "engine/rate_headers.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <array>
#include <memory>
#include <span>

namespace ab {

namespace {

ApiResponse stopped(const ApiRequest& request, RunControl& control, unsigned attempts) {
  control.mark_unfinished(request.rows);
  ApiResponse r;
  r.outcome = ApiOutcome::stopped;
  r.attempts = attempts;
  r.error = "stopped: " + control.reason();
  return r;
}

void take_answer(ApiResponse& out, HttpAttempt& attempt) {
  out.status = attempt.status;
  out.body = std::move(attempt.body);
  out.headers = std::move(attempt.headers);
  out.json = nullptr;
  if (!out.body.empty() && (out.body.front() == '{' || out.body.front() == '[')) {
    // One arena per answer: its nodes cost one allocation, and are freed at
    // once, without walking the tree. Constructed in place: a json::value
    // keeps its storage on assignment, and would copy the answer back out.
    boost::system::error_code ec;
    auto parsed = boost::json::parse(out.body, ec, boost::json::make_shared_resource<boost::json::monotonic_resource>());
    if (!ec) {
      std::destroy_at(&out.json);
      std::construct_at(&out.json, std::move(parsed));
    }
  }
}

std::string describe(const HttpAttempt& attempt) {
  return attempt.failure == AttemptFailure::none ? "HTTP " + std::to_string(attempt.status) : attempt.error;
}

}  // namespace

// Waits until every budget the request is charged to lets it go, records the
// intent of a request that must not be sent twice (so that a crash between
// sending and recording the outcome is reconciled), signs it and takes a
// slot of --concurrency. Signing may suspend (a token fetch, itself a request
// needing a slot: so it comes before ours is taken), and so may the journal
// and the slot, so the gate is passed again at the end; the caller counts
// the send with no suspension in between. False when the run is stopping.
boost::asio::awaitable<bool> ApiClient::wait_turn_and_sign(const ApiRequest& request, bool& intent_recorded,
                                                           std::string& authorization, InFlightLimit::Permit& slot) {
  for (;;) {
    for (;;) {
      if (p_.control.stopping()) co_return false;
      const auto now = std::chrono::steady_clock::now();
      const auto at = p_.budgets.next_allowed(request.budgets, now);
      if (at <= now) break;
      if (p_.deadline && at > *p_.deadline) {
        p_.control.stop("deadline reached");
        co_return false;
      }
      co_await sleep_until(at, p_.control);
    }
    if (!intent_recorded && p_.journal) {
      JournalWriter& journal = *p_.journal;
      // Named, not a temporary inside the co_await: GCC 12 destroys such a
      // lambda's captures twice (STYLE.md §3). Called before the first suspension.
      auto start = [&journal, &request](std::function<void(bool)> done) { journal.intent(request.rows, std::move(done)); };
      if (!co_await await_callback(std::move(start))) {
        p_.control.stop(journal.error(), true);
        co_return false;
      }
    }
    intent_recorded = true;
    if (request.auth) {
      // Most attempts need no wait for their credentials (a fresh token, a
      // signature): those take no coroutine.
      // (No co_await inside a conditional expression: GCC 12 miscompiles it.)
      auto value = request.auth->authorization_now(request);
      if (!value) value = co_await request.auth->authorization(request);
      authorization = std::move(*value);
    }
    if (p_.in_flight) {
      slot = p_.in_flight->try_acquire();
      if (!slot) slot = co_await p_.in_flight->acquire(p_.control);
      if (!slot || p_.control.stopping()) co_return false;
    }
    const auto signed_at = std::chrono::steady_clock::now();
    if (p_.budgets.next_allowed(request.budgets, signed_at) <= signed_at) {
      if (!p_.shared || request.budgets.empty()) co_return true;
      // The store's grant is logged at its own clock: the request must leave
      // at once after it, so it is asked last, with the slot held.
      auto grant = co_await p_.shared->take(request.budgets);
      if (grant.stopped) co_return false;
      const auto granted_at = std::chrono::steady_clock::now();
      if (p_.budgets.next_allowed(request.budgets, granted_at) <= granted_at) co_return true;
      p_.shared->give_back(request.budgets, grant.member);
    }
    slot.reset();
  }
}

boost::asio::awaitable<ApiResponse> ApiClient::send(ApiRequest request) {
  ApiResponse out;
  unsigned counted = 0;
  bool renewed = false;
  bool intent_recorded = request.replay_safe;
  std::string authorization;

  for (;;) {
    InFlightLimit::Permit slot;
    if (!co_await wait_turn_and_sign(request, intent_recorded, authorization, slot)) {
      co_return stopped(request, p_.control, out.attempts);
    }
    const auto sent_at = std::chrono::steady_clock::now();
    p_.budgets.on_send(request.budgets, sent_at);
    p_.metrics.request_sent();
    ++out.attempts;
    ++counted;
    std::array<RequestField, 2> fields;
    std::size_t field_count = 0;
    if (request.auth) fields[field_count++] = {"Authorization", authorization};
    if (!request.body.empty()) fields[field_count++] = {"Content-Type", request.content_type};
    HttpAttempt attempt = co_await p_.pool.send(request.method, request.url, std::span(fields.data(), field_count),
                                                request.body, p_.timeout);
    slot.reset();  // a back-off or a token renewal holds no slot

    const auto now = std::chrono::steady_clock::now();
    AttemptResult result{attempt.failure, attempt.status, std::nullopt};
    if (attempt.failure == AttemptFailure::none) {
      p_.metrics.answered(attempt.status, now - sent_at);
      const auto wall_now = std::chrono::system_clock::now();
      const auto feedback = parse_rate_feedback(attempt.headers, wall_now);
      result.server_named = feedback.resume_at(now, wall_now);
      p_.budgets.on_answer(request.budgets, now, attempt.status, result.server_named, feedback.exhausted(),
                           sent_at, feedback.standing(now, wall_now));
      if (p_.shared && result.server_named) p_.shared->park(request.budgets, *result.server_named);
    } else {
      p_.budgets.on_no_answer(request.budgets);
      p_.metrics.connection_failed();
    }
    if (p_.control.stopping() && attempt.failure != AttemptFailure::none) {
      result.failure = AttemptFailure::cancelled;
    }

    const auto decision =
        p_.retry.decide(result, counted, renewed, request.replay_safe, now, p_.deadline, p_.random);
    if (!decision.counts_as_attempt) --counted;
    switch (decision.action) {
      case RetryAction::done:
        take_answer(out, attempt);
        out.outcome = (out.status >= 200 && out.status < 300) ? ApiOutcome::ok : ApiOutcome::rejected;
        if (!out.ok()) out.error = describe(attempt);
        co_return out;
      case RetryAction::renew_auth:
        renewed = true;
        if (!request.auth || !co_await request.auth->renew()) {
          take_answer(out, attempt);
          out.outcome = ApiOutcome::rejected;
          out.error = "HTTP 401: credentials refused";
          co_return out;
        }
        p_.metrics.retried();
        break;
      case RetryAction::retry:
        p_.metrics.retried();
        if (!co_await sleep_until(decision.at, p_.control)) co_return stopped(request, p_.control, out.attempts);
        break;
      case RetryAction::ambiguous:
        out.error = describe(attempt) + " after the request was sent: it may have been applied";
        take_answer(out, attempt);
        out.outcome = ApiOutcome::ambiguous;
        co_return out;
      case RetryAction::give_up:
        // Attempts left but no time: the deadline ends the row's turn, not the row.
        if (p_.control.stopping() || counted < p_.retry.config().max_attempts) {
          p_.control.stop("deadline reached");
          co_return stopped(request, p_.control, out.attempts);
        }
        out.error = describe(attempt) + " (gave up after " + std::to_string(out.attempts) + " attempts)";
        take_answer(out, attempt);
        out.outcome = ApiOutcome::exhausted;
        co_return out;
    }
  }
}

}  // namespace ab
