#include "engine/send/api_client.hpp"

#include "engine/run/coroutine.hpp"

#include "engine/run/await_callback.hpp"
#include "engine/send/answer_json.hpp"
#include "engine/send/rate_headers.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <span>
#include <utility>

namespace ab {

namespace {

// The row stays for the next run; a released intent is noted in the
// journal, so the next run sends the row as new instead of calling it unknown.
ApiAnswer stopped(const ApiRequest& request, const RunControl& control, unsigned attempts, JournalWriter* journal,
                    bool released) {
  if (released && journal && !request.rows.empty()) {
    std::string line;
    append_release_line(line, request.rows);
    journal->note(std::move(line));
  }
  ApiAnswer r;
  r.outcome = ApiOutcome::stopped;
  r.attempts = attempts;
  r.error = "stopped: " + control.reason();
  return r;
}

void take_answer(ApiAnswer& out, HttpAnswer& answer, bool parse) {
  out.status = answer.status;
  out.body = std::move(answer.body);
  out.headers = std::move(answer.headers);
  if (!parse) return;
  // Constructed in place: a json::value keeps its storage on assignment,
  // and would copy the answer out of its arena.
  std::destroy_at(&out.json);
  std::construct_at(&out.json, parse_answer_json(out.body));
}

std::string describe(const HttpAnswer& answer) {
  return answer.failure == AttemptFailure::none ? "HTTP " + std::to_string(answer.status) : answer.error;
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

// A place in `window` for the request's first row now, or none needed (no
// window, a retry that holds one): then no wait, and no coroutine.
bool place_now(RowWindow* window, const ApiRequest& request) {
  return !window || request.rows.empty() || window->take_now(request.rows.front());
}

}  // namespace

// Carries out the AttemptMachine's actions (attempt_machine.hpp): every
// decision is the machine's; here are only the waits, the journal, the
// credentials, the slot, the wire, and what -v and the metrics are told.
Awaitable<ApiAnswer> ApiClient::send(ApiRequest request) {
  using Act = AttemptAction::Kind;
  using Ev = AttemptEvent::Kind;
  const bool records_intent = !request.replay_safe && p_.journal;
  AttemptMachine machine(AttemptSetup{request.budgets, request.replay_safe, records_intent, request.auth != nullptr,
                                      p_.shared != nullptr, p_.deadline},
                         p_.budgets, p_.retry, p_.random);
  ApiAnswer out;
  HttpAnswer answer;
  std::string authorization;
  InFlightLimit::Permit slot;           // from slot_free to the answer
  std::shared_ptr<SendMark> mark;       // the intent's group: marked sent before the first request
  std::optional<std::string> shared_member;  // the store's grant, until sent or given back
  SteadyTime shared_asked{};                 // when the take that granted it left
  std::optional<SteadyTime> sent_asked;      // that of the request out, when it had a grant
  // A stop is seen before anything new begins; a request written is awaited.
  const auto event = [](Ev kind, bool ok = true) { return AttemptEvent::of(kind, std::chrono::steady_clock::now(), ok); };
  const auto go_on = [&](Ev kind, bool ok = true) {
    return p_.control.stopping() ? event(Ev::stop_requested) : event(kind, ok);
  };

  AttemptAction action = machine.resume(go_on(Ev::start));
  for (;;) {
    if (action.give_back_shared && shared_member) {
      p_.shared->give_back(request.budgets, *shared_member);
      shared_member.reset();
    }
    switch (action.kind) {
      case Act::wait_until: {
        slot.reset();  // a wait holds no slot
        // The machine decided at its own reading of the clock: a wait it
        // chose may already be over, and is none, not a negative one.
        const auto wait = std::max(action.at - std::chrono::steady_clock::now(), SteadyTime::duration::zero());
        if (action.why == WaitReason::budget) {
          p_.metrics.budget_waited(wait);
          log_pause(p_.events, request, wait);
        } else {
          p_.metrics.retried();
          log_retry(p_.events, request, describe(answer), machine.attempts(), wait);
        }
        const bool woke = co_await sleep_until(action.at, p_.control);
        action = machine.resume(woke ? go_on(Ev::timer_fired) : event(Ev::stop_requested));
        break;
      }
      case Act::write_intent: {
        // A place in the intent window first: rows far from a slot hold no
        // synced intent. The row gives it back with its result line.
        bool placed = place_now(p_.intent_window, request);
        if (!placed) {
          placed = co_await p_.intent_window->wait(p_.control);
          if (placed) p_.intent_window->took(request.rows.front());
        }
        if (!placed || p_.control.stopping()) {
          action = machine.resume(event(Ev::stop_requested));
          break;
        }
        JournalWriter& journal = *p_.journal;
        // Named, not a temporary inside the co_await: GCC 12 destroys such a
        // lambda's captures twice (STYLE.md §3). Called before the first suspension.
        auto start = [&journal, &request, &mark](std::function<void(bool)> done) {
          mark = journal.intent(request.rows, std::move(done));
        };
        const bool synced = co_await await_callback(std::move(start));
        if (!synced) p_.control.stop(journal.error(), true);
        // Told as it happened even when a stop came meanwhile: the machine must
        // know the intent is on disk to release it (the next step sees the stop).
        action = machine.resume(event(Ev::intent_durable, synced));
        break;
      }
      case Act::sign: {
        // Most attempts need no wait for their credentials (a fresh token, a
        // signature): those take no coroutine. Signing may itself send (a
        // token fetch, needing a slot), so it comes before ours is taken.
        // (No co_await inside a conditional expression: GCC 12 miscompiles it.)
        auto value = request.auth->authorization_now(request);
        if (!value) value = co_await request.auth->authorization(request);
        authorization = std::move(*value);
        action = machine.resume(go_on(Ev::credentials_ready));
        break;
      }
      case Act::take_slot: {
        if (p_.in_flight) {
          slot = p_.in_flight->try_acquire();
          if (!slot) {
            const bool handed = co_await p_.in_flight->wait(p_.control);
            if (handed) slot = p_.in_flight->handed_over();
          }
        }
        // A create's place in the send window (the rows that may be marked
        // sent without a line) comes with its first slot, in the order the
        // slots are given: so only the part marked last can have rows
        // without a place. When none is free (rows in a back-off hold them),
        // the slot is given back while the row waits for one, so that those
        // rows can still take slots and finish.
        const bool slot_missing = p_.in_flight && !slot;  // the run stops
        bool placed = !mark || slot_missing || place_now(p_.send_window, request);
        if (!placed) {
          slot.reset();
          placed = co_await p_.send_window->wait(p_.control);
          if (placed) p_.send_window->took(request.rows.front());
          if (placed && p_.in_flight) slot = co_await p_.in_flight->acquire(p_.control);
        }
        const bool stop = !placed || (p_.in_flight && !slot);
        action = machine.resume(stop ? event(Ev::stop_requested) : go_on(Ev::slot_free));
        break;
      }
      case Act::take_shared: {
        // The store's grant is logged at its own clock: the request must leave
        // at once after it, so it is asked last, with the slot held.
        auto grant = co_await p_.shared->take(request.budgets);
        if (!grant.stopped) shared_member = std::move(grant.member), shared_asked = grant.asked;
        action = machine.resume(grant.stopped ? event(Ev::stop_requested) : go_on(Ev::shared_granted));
        break;
      }
      case Act::send: {
        sent_asked.reset();
        if (std::exchange(shared_member, std::nullopt)) sent_asked = shared_asked;  // spent
        // No request leaves unless its answer has room on disk (results_room.hpp).
        if (p_.room && !p_.room->before_send(request.rows.size())) {
          p_.control.stop(p_.room->error(), true);
          action = machine.resume(AttemptEvent::answered_with(
              std::chrono::steady_clock::now(), AttemptResult{AttemptFailure::not_sent, 0, std::nullopt}, true));
          break;
        }
        // Its group marked sent (and the lines handed before written) before it leaves.
        if (mark && !p_.journal->mark_sent(*mark)) {
          p_.control.stop(p_.journal->error(), true);
          action = machine.resume(AttemptEvent::answered_with(
              std::chrono::steady_clock::now(), AttemptResult{AttemptFailure::not_sent, 0, std::nullopt}, true));
          break;
        }
        const auto sent_at = std::chrono::steady_clock::now();
        p_.metrics.request_sent();
        std::array<RequestField, 2> fields;
        std::size_t field_count = 0;
        if (request.auth) fields[field_count++] = {"Authorization", authorization};
        if (!request.body.empty()) fields[field_count++] = {"Content-Type", request.content_type};
        answer = co_await p_.pool.send(request.method, request.url, std::span(fields.data(), field_count),
                                       request.body, p_.timeout);
        if (p_.room) p_.room->after_attempt(request.rows.size());
        slot.reset();  // a back-off or a token renewal holds no slot
        AttemptEvent answered = AttemptEvent::answered_with(
            std::chrono::steady_clock::now(), AttemptResult{answer.failure, answer.status, std::nullopt}, false);
        if (answer.untrusted) {
          p_.control.refuse(answer.error);  // the handshake failed: nothing was written
          answered.answer.failure = AttemptFailure::not_sent;
        }
        if (answer.failure == AttemptFailure::none) {
          p_.metrics.answered(answer.status, answered.now - sent_at);
          const auto wall_now = std::chrono::system_clock::now();
          const auto feedback = parse_rate_feedback(answer.headers, wall_now);
          // Only an answer that names a time on the server's clock needs it.
          std::chrono::microseconds lag{0}, uncertainty{0};
          if (feedback.user.reset_epoch || feedback.account.reset_epoch || feedback.retry_after_date_ms) {
            auto& clock = clocks_.of(request.url);
            clock.on_answer(wall_now - (answered.now - sent_at), feedback, answer_date_ms(answer.headers), wall_now);
            lag = clock.lag();
            uncertainty = clock.uncertainty();
          }
          answered.answer.server_named = feedback.resume_at(answered.now, wall_now, lag);
          answered.exhausted = feedback.exhausted();
          answered.standing = feedback.standing(answered.now, wall_now, lag);
          if (answered.standing) answered.standing->clock_uncertainty = uncertainty;
          if (p_.shared && answered.answer.server_named) p_.shared->park(request.budgets, *answered.answer.server_named);
          if (p_.shared && answered.standing) p_.shared->on_standing(request.budgets, *answered.standing);
          if (p_.shared && sent_asked) p_.shared->on_round_trip(request.budgets, *sent_asked, answered.now);
        } else {
          p_.metrics.connection_failed();
        }
        answered.stopping = p_.control.stopping();
        action = machine.resume(answered);
        break;
      }
      case Act::renew_auth: {
        log_retry(p_.events, request, "HTTP 401, credentials renewed", machine.attempts(), {});
        const bool renewed = co_await request.auth->renew();
        if (renewed) p_.metrics.retried();
        action = machine.resume(renewed ? go_on(Ev::renewed) : event(Ev::renewed, false));
        break;
      }
      case Act::finish:
        out.attempts = machine.attempts();
        if (!action.stop_reason.empty()) p_.control.stop(action.stop_reason);
        if (action.outcome == ApiOutcome::stopped) {
          co_return stopped(request, p_.control, out.attempts, p_.journal, action.release_intent);
        }
        take_answer(out, answer, request.parse_ok_answer || action.outcome != ApiOutcome::ok);
        out.outcome = action.outcome;
        switch (action.ending) {
          case Ending::answered:
            if (!out.ok()) out.error = describe(answer);
            break;
          case Ending::credentials_refused:
            out.error = "HTTP 401: credentials refused";
            break;
          case Ending::ambiguous:
            out.error = describe(answer) + " after the request was sent: it may have been applied";
            break;
          case Ending::exhausted:
            out.error = describe(answer) + " (gave up after " + std::to_string(out.attempts) + " attempts)";
            break;
          case Ending::stopped:
            break;
        }
        co_return out;
    }
  }
}

}  // namespace ab
