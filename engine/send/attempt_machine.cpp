#include "engine/send/attempt_machine.hpp"

namespace ab {

AttemptAction AttemptMachine::resume(const AttemptEvent& event) {
  using K = AttemptEvent::Kind;
  if (state_ == State::done) return finish(ApiOutcome::stopped, Ending::stopped);
  switch (event.kind) {
    case K::start:
    case K::timer_fired:
      return begin_attempt();
    case K::intent_durable:
      if (!event.ok) return stopped();  // the journal failed: the run stops, nothing was synced
      intent_synced_ = true;
      return begin_attempt();
    case K::credentials_ready:
      state_ = State::slot;
      return AttemptAction::of(AttemptAction::Kind::take_slot);
    case K::slot_free:
      return after_slot(event.now);
    case K::shared_granted:
      shared_held_ = true;
      return after_slot(event.now);
    case K::answered:
      return on_answer(event);
    case K::renewed:
      if (!event.ok) return finish(ApiOutcome::rejected, Ending::credentials_refused);
      return begin_attempt();
    case K::stop_requested:
      // Only before a request is written: an answer awaited comes as `answered`.
      if (state_ == State::answer_awaited) maybe_applied_ = true;
      return stopped();
  }
  return stopped();
}

// The next attempt's first step: the intent once, before anything is sent;
// then this attempt's credentials (a fresh OAuth 1.0a nonce every time).
AttemptAction AttemptMachine::begin_attempt() {
  if (s_.records_intent && !intent_synced_) {
    state_ = State::intent;
    return AttemptAction::of(AttemptAction::Kind::write_intent);
  }
  if (s_.signs) {
    state_ = State::signing;
    return AttemptAction::of(AttemptAction::Kind::sign);
  }
  state_ = State::slot;
  return AttemptAction::of(AttemptAction::Kind::take_slot);
}

// The budgets are asked here, once per attempt, with the slot (and any
// shared grant) held: when they let it go, it is counted and leaves at once.
AttemptAction AttemptMachine::after_slot(SteadyTime now) {
  const SteadyTime at = budgets_.next_allowed(s_.budgets, now);
  if (at > now) {
    if (s_.deadline && at > *s_.deadline) return stopped("deadline reached");
    return wait(at, WaitReason::budget);
  }
  if (s_.shared && !shared_held_ && !s_.budgets.empty()) {
    state_ = State::shared;
    return AttemptAction::of(AttemptAction::Kind::take_shared);
  }
  budgets_.on_send(s_.budgets, now);
  sent_at_ = now;
  shared_held_ = false;
  ++attempts_;
  ++counted_;
  state_ = State::answer_awaited;
  return AttemptAction::of(AttemptAction::Kind::send);
}

AttemptAction AttemptMachine::wait(SteadyTime at, WaitReason why) {
  state_ = State::waiting;
  AttemptAction action = AttemptAction::of(AttemptAction::Kind::wait_until);
  action.at = at;
  action.why = why;
  action.give_back_shared = std::exchange(shared_held_, false);
  return action;
}

AttemptAction AttemptMachine::on_answer(const AttemptEvent& event) {
  AttemptResult result = event.answer;
  if (result.failure == AttemptFailure::none) {
    budgets_.on_answer(s_.budgets, event.now, result.status, result.server_named, event.exhausted, sent_at_,
                       event.standing);
  } else {
    budgets_.on_no_answer(s_.budgets);
  }
  if (result.failure == AttemptFailure::maybe_applied) maybe_applied_ = true;
  // A stop cuts failures short: no retry is started once the run stops.
  if (event.stopping && result.failure != AttemptFailure::none) result.failure = AttemptFailure::cancelled;

  const auto decision =
      retry_.decide(result, counted_, renewed_, s_.replay_safe, event.now, s_.deadline, random_);
  if (!decision.counts_as_attempt) --counted_;
  switch (decision.action) {
    case RetryAction::done: {
      const bool ok = result.status >= 200 && result.status < 300;
      return finish(ok ? ApiOutcome::ok : ApiOutcome::rejected, Ending::answered);
    }
    case RetryAction::renew_auth:
      renewed_ = true;
      if (!s_.signs) return finish(ApiOutcome::rejected, Ending::credentials_refused);
      state_ = State::renewing;
      return AttemptAction::of(AttemptAction::Kind::renew_auth);
    case RetryAction::retry:
      return wait(decision.at, WaitReason::retry);
    case RetryAction::ambiguous:
      return finish(ApiOutcome::ambiguous, Ending::ambiguous);
    case RetryAction::give_up:
      // Attempts left but no time: the deadline ends the row's turn, not the row.
      if (event.stopping || counted_ < retry_.config().max_attempts) return stopped("deadline reached");
      return finish(ApiOutcome::exhausted, Ending::exhausted);
  }
  return stopped();
}

AttemptAction AttemptMachine::finish(ApiOutcome outcome, Ending ending) {
  state_ = State::done;
  AttemptAction action = AttemptAction::of(AttemptAction::Kind::finish);
  action.outcome = outcome;
  action.ending = ending;
  return action;
}

// The row stays for the next run. Its synced intent is released when nothing
// of it may have been applied (no request written, or each one refused: a
// 429, a 503, not sent), so the next run sends it as new, not as unknown.
AttemptAction AttemptMachine::stopped(std::string reason) {
  AttemptAction action = finish(ApiOutcome::stopped, Ending::stopped);
  action.release_intent = intent_synced_ && !maybe_applied_;
  action.give_back_shared = std::exchange(shared_held_, false);
  action.stop_reason = std::move(reason);
  return action;
}

}  // namespace ab
