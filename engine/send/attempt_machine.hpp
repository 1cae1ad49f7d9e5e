// One request's way from "send this" to a final outcome, as a plain class
// (sans-io, in the manner of boostorg/redis's exec_fsm): it is told what
// happened (an event, with the time) and says what to do next (an action).
// It consults the decision pieces (Budgets, RetryPolicy) itself; the
// coroutine in ApiClient::send only carries its actions out, so every rule of
// docs/send-path.md is tested on a fake clock without a socket.
//
// One attempt: [write_intent] -> sign -> take_slot -> (budgets asked once)
// -> [take_shared] -> send -> answer -> finish, or retry (wait_until, then
// again from sign), or renew_auth after a 401. A budget that says "not yet"
// gives the slot back and waits. A stop ends the send at once unless a
// request is out: its answer is still awaited (bounded by --timeout).
#pragma once

#include "engine/run/clock.hpp"
#include "engine/send/api.hpp"
#include "engine/send/budget.hpp"
#include "engine/send/rate_headers.hpp"
#include "engine/send/retry_policy.hpp"

#include <optional>
#include <span>
#include <string>

namespace ab {

// What the machine is told. `now` is when it happened.
struct AttemptEvent {
  enum class Kind {
    start,               // the send begins
    timer_fired,         // the time of a wait_until came
    intent_durable,      // the intent is on disk (ok false: the journal failed)
    credentials_ready,   // this attempt's Authorization is at hand
    slot_free,           // a --concurrency slot is held
    shared_granted,      // the shared budget store let the request go
    answered,            // the exchange ended: `answer`
    renewed,             // credentials renewed after a 401 (ok false: refused)
    stop_requested,      // the run stops (signal, deadline, disk, journal, TLS)
  };
  Kind kind = Kind::start;
  SteadyTime now{};
  bool ok = true;
  // answered: what came back. `answer.failure` is none for an HTTP answer.
  AttemptResult answer{};
  bool exhausted = false;                  // answered: some rate family said remaining 0
  std::optional<RateStanding> standing{};  // answered: where the published budget stands
  bool stopping = false;                   // answered: the run was stopping meanwhile

  static AttemptEvent of(Kind kind, SteadyTime now, bool ok = true) {
    AttemptEvent e;
    e.kind = kind;
    e.now = now;
    e.ok = ok;
    return e;
  }
  static AttemptEvent answered_with(SteadyTime now, AttemptResult answer, bool stopping) {
    AttemptEvent e = of(Kind::answered, now);
    e.answer = answer;
    e.stopping = stopping;
    return e;
  }
};

// Why a wait_until waits: what -v logs and the metrics count.
enum class WaitReason { budget, retry };

// How a send ended, for the error text the coroutine writes.
enum class Ending {
  answered,             // a final answer: ok for 2xx, else rejected
  credentials_refused,  // 401 after the one renewal was refused
  ambiguous,            // may have been applied: the kind reconciles
  exhausted,            // --max-attempts ran out
  stopped,              // the row stays for the next run
};

struct AttemptAction {
  enum class Kind {
    wait_until,    // give back any slot (and shared grant), sleep until `at`: timer_fired
    write_intent,  // a place in the intent window, then the intent synced: intent_durable
    sign,          // this attempt's credentials: credentials_ready
    take_slot,     // a --concurrency slot: slot_free
    take_shared,   // the shared store's grant (the slot held): shared_granted
    send,          // the budgets counted it: write the request, await it: answered
    renew_auth,    // renew the credentials: renewed
    finish,        // the send is over: `outcome`
  };
  Kind kind = Kind::finish;
  SteadyTime at{};                          // wait_until
  WaitReason why = WaitReason::budget;      // wait_until
  bool give_back_shared = false;            // wait_until after shared_granted
  // finish:
  ApiOutcome outcome = ApiOutcome::stopped;
  Ending ending = Ending::stopped;
  bool release_intent = false;              // stopped: our synced intent, nothing of it applied
  std::string stop_reason;                  // the machine stops the run ("deadline reached"), else empty

  static AttemptAction of(Kind kind) {
    AttemptAction a;
    a.kind = kind;
    return a;
  }
};

struct AttemptSetup {
  std::span<const std::string> budgets;     // the request's budget names
  bool replay_safe = true;
  bool records_intent = false;              // not replay-safe and a journal is kept
  bool signs = false;                       // an Authenticator adds credentials
  bool shared = false;                      // --budget-store: the store grants each send too
  std::optional<SteadyTime> deadline;
};

class AttemptMachine {
 public:
  AttemptMachine(AttemptSetup setup, Budgets& budgets, const RetryPolicy& retry, Random& random)
      : s_(setup), budgets_(budgets), retry_(retry), random_(random) {}

  AttemptAction resume(const AttemptEvent& event);

  unsigned attempts() const { return attempts_; }     // requests written, the first included
  bool out() const { return state_ == State::answer_awaited; }  // a request is written, its answer not back

 private:
  enum class State { idle, intent, signing, slot, shared, answer_awaited, waiting, renewing, done };

  AttemptAction after_slot(SteadyTime now);
  AttemptAction begin_attempt();
  AttemptAction wait(SteadyTime at, WaitReason why);
  AttemptAction on_answer(const AttemptEvent& event);
  AttemptAction finish(ApiOutcome outcome, Ending ending);
  AttemptAction stopped(std::string reason = {});

  AttemptSetup s_;
  Budgets& budgets_;
  const RetryPolicy& retry_;
  Random& random_;

  State state_ = State::idle;
  bool intent_synced_ = false;  // this send's own intent is on disk
  bool maybe_applied_ = false;  // a request may have been applied (cut after writing)
  bool shared_held_ = false;
  bool renewed_ = false;
  unsigned attempts_ = 0;
  unsigned counted_ = 0;        // attempts that count against --max-attempts
  SteadyTime sent_at_{};
};

}  // namespace ab
