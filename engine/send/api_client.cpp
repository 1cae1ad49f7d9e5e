#include "engine/send/api_client.hpp"

#include "engine/run/await_callback.hpp"
#include "engine/send/rate_headers.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <array>
#include <cstdio>
#include <memory>
#include <span>

namespace ab {

namespace {

// The row stays for the next run. `released`: its intent was synced but
// nothing of it may have been applied (no request written, or every one
// written was refused: a 429, a 503), so the journal says so and the next
// run sends it as new instead of calling it unknown.
ApiResponse stopped(const ApiRequest& request, RunControl& control, unsigned attempts, JournalWriter* journal,
                    bool released) {
  control.mark_unfinished(request.rows);
  if (released && journal && !request.rows.empty()) {
    std::string line;
    append_release_line(line, request.rows);
    journal->note(std::move(line));
  }
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

// "POST /audiences": what -v names a request by (no host, no query string).
std::string request_name(const ApiRequest& request) {
  std::string_view url = request.url;
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    const auto path = url.find('/');
    url = path == std::string_view::npos ? std::string_view("/") : url.substr(path);
  }
  url = url.substr(0, url.find('?'));
  return std::string(boost::beast::http::to_string(request.method)) + " " + std::string(url);
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

double seconds_of(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

std::string seconds_text(std::chrono::nanoseconds d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1fs", seconds_of(d));
  return text;
}

void log_pause(EventLog* events, const ApiRequest& request, std::chrono::nanoseconds wait) {
  if (!events || !events->shows(LogLevel::debug)) return;
  const auto name = request_name(request);
  events->write(LogLevel::debug, "pause",
                "pause: " + name + " waits " + seconds_text(wait) + " for budget " + joined(request.budgets),
                {{"request", name}, {"budgets", joined(request.budgets)}, {"wait_seconds", seconds_of(wait)}});
}

void log_retry(EventLog* events, const ApiRequest& request, const std::string& why, unsigned attempt,
               std::chrono::nanoseconds wait) {
  if (!events || !events->shows(LogLevel::debug)) return;
  const auto name = request_name(request);
  events->write(LogLevel::debug, "retry",
                "retry: " + name + " after " + why + " (attempt " + std::to_string(attempt) + "), in " +
                    seconds_text(wait),
                {{"request", name},
                 {"why", why},
                 {"attempt", static_cast<std::int64_t>(attempt)},
                 {"wait_seconds", seconds_of(wait)}});
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
                                                           std::string& authorization, InFlightLimit::Permit& slot,
                                                           InFlightLimit::Permit& intent_place) {
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
      p_.metrics.budget_waited(at - now);
      log_pause(p_.events, request, at - now);
      co_await sleep_until(at, p_.control);
    }
    if (!intent_recorded && p_.journal) {
      // A place in the intent window first: rows far from a slot hold no synced intent.
      if (p_.intent_window && !intent_place) {
        intent_place = p_.intent_window->try_acquire();
        if (!intent_place) intent_place = co_await p_.intent_window->acquire(p_.control);
        if (!intent_place || p_.control.stopping()) co_return false;
      }
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
  // Whether this send's own intent is synced and nothing it wrote may have
  // been applied: what a stop then releases (see stopped()).
  const auto releasable = [&] { return intent_recorded && !request.replay_safe; };
  std::string authorization;
  InFlightLimit::Permit intent_place;  // held until the send returns

  for (;;) {
    InFlightLimit::Permit slot;
    if (!co_await wait_turn_and_sign(request, intent_recorded, authorization, slot, intent_place)) {
      co_return stopped(request, p_.control, out.attempts, p_.journal, releasable());
    }
    // No request leaves unless its answer has room on disk (results_room.hpp).
    if (p_.room && !p_.room->before_send(request.rows.size())) {
      p_.control.stop(p_.room->error(), true);
      co_return stopped(request, p_.control, out.attempts, p_.journal, releasable());
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
    if (p_.room) p_.room->after_attempt(request.rows.size());
    slot.reset();  // a back-off or a token renewal holds no slot
    if (attempt.untrusted) {
      p_.control.refuse(attempt.error);  // the handshake failed: nothing was written
      co_return stopped(request, p_.control, out.attempts, p_.journal, releasable());
    }

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
    // A request cut short after it was written may have been applied: its
    // row stays unclear (only a second signal or --timeout does this).
    const bool cut_after_writing = attempt.failure == AttemptFailure::maybe_applied;
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
        log_retry(p_.events, request, "HTTP 401, credentials renewed", out.attempts, {});
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
        log_retry(p_.events, request, describe(attempt), out.attempts, decision.at - now);
        if (!co_await sleep_until(decision.at, p_.control))
          co_return stopped(request, p_.control, out.attempts, p_.journal, releasable());
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
          co_return stopped(request, p_.control, out.attempts, p_.journal, releasable() && !cut_after_writing);
        }
        out.error = describe(attempt) + " (gave up after " + std::to_string(out.attempts) + " attempts)";
        take_answer(out, attempt);
        out.outcome = ApiOutcome::exhausted;
        co_return out;
    }
  }
}

}  // namespace ab
