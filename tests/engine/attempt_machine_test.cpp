// The attempt machine on a fake clock (milliseconds, no sockets): one test
// per row of the retry table (docs/night-contract.md), for a read and for a
// create, and every way a stop can meet a send (docs/send-path.md).
#include "engine/send/attempt_machine.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace ab {
namespace {

using namespace std::chrono_literals;
using Act = AttemptAction::Kind;
using Ev = AttemptEvent::Kind;

const SteadyTime t0{5h};

// One send driven to its end by hand: each step feeds the event the action asks for.
class Drive {
 public:
  explicit Drive(bool replay_safe, std::vector<RateSpec> rates = {}, std::optional<SteadyTime> deadline = {},
                 unsigned max_attempts = 8, bool shared = false)
      : budgets_(std::move(rates)),
        retry_(RetryConfig{max_attempts, Millis{200}, Millis{30'000}}),
        machine_(AttemptSetup{names_, replay_safe, !replay_safe, true, shared, deadline}, budgets_, retry_, random_) {}

  AttemptAction start() { return feed(Ev::start); }
  AttemptAction feed(Ev kind, bool ok = true) { return machine_.resume(AttemptEvent::of(kind, now, ok)); }
  // From the start or a wake-up to the request written: intent, credentials, slot.
  AttemptAction until_sent(AttemptAction action) {
    for (int i = 0; i < 6 && action.kind != Act::send; ++i) {
      switch (action.kind) {
        case Act::write_intent: action = feed(Ev::intent_durable); break;
        case Act::sign: action = feed(Ev::credentials_ready); break;
        case Act::take_slot: action = feed(Ev::slot_free); break;
        case Act::take_shared: action = feed(Ev::shared_granted); break;
        case Act::wait_until: now = action.at; action = feed(Ev::timer_fired); break;
        case Act::renew_auth: action = feed(Ev::renewed); break;
        default: return action;
      }
    }
    return action;
  }
  AttemptAction answer(unsigned status, std::optional<SteadyTime> named = {}, bool stopping = false) {
    return machine_.resume(AttemptEvent::answered_with(now, AttemptResult{AttemptFailure::none, status, named}, stopping));
  }
  AttemptAction fail(AttemptFailure failure, bool stopping = false) {
    return machine_.resume(AttemptEvent::answered_with(now, AttemptResult{failure, 0, std::nullopt}, stopping));
  }
  // The first request sent and answered `status`.
  AttemptAction first(unsigned status, std::optional<SteadyTime> named = {}) {
    EXPECT_EQ(until_sent(start()).kind, Act::send);
    return answer(status, named);
  }

  SteadyTime now = t0;
  Budgets budgets_;
  std::array<std::string, 1> names_{"nf"};
  RetryPolicy retry_;
  Random random_{7};
  AttemptMachine machine_;
};

void expect_finish(const AttemptAction& a, ApiOutcome outcome) {
  EXPECT_EQ(a.kind, Act::finish);
  EXPECT_EQ(a.outcome, outcome);
}

// --- one attempt's steps ---------------------------------------------------

TEST(AttemptMachine, ACreateSyncsItsIntentOnceThenSignsTakesASlotAndSends) {
  Drive d(false);
  EXPECT_EQ(d.start().kind, Act::write_intent);
  EXPECT_EQ(d.feed(Ev::intent_durable).kind, Act::sign);
  EXPECT_EQ(d.feed(Ev::credentials_ready).kind, Act::take_slot);
  EXPECT_EQ(d.feed(Ev::slot_free).kind, Act::send);
  EXPECT_EQ(d.machine_.attempts(), 1u);
  // A 503 is retried without a second intent: from the credentials on.
  const auto wait = d.answer(503);
  ASSERT_EQ(wait.kind, Act::wait_until);
  EXPECT_EQ(wait.why, WaitReason::retry);
  d.now = wait.at;
  EXPECT_EQ(d.feed(Ev::timer_fired).kind, Act::sign);
}

TEST(AttemptMachine, AReadWritesNoIntent) {
  Drive d(true);
  EXPECT_EQ(d.start().kind, Act::sign);
}

TEST(AttemptMachine, ABudgetThatSaysNotYetGivesTheSlotBackAndWaitsThenAsksAgain) {
  Drive d(true, {RateSpec{"nf", 1, Duration{1000}}});
  d.budgets_.on_send(d.names_, t0);  // another request of the budget went just now
  d.budgets_.on_answer(d.names_, t0, 200, std::nullopt, false);
  EXPECT_EQ(d.start().kind, Act::sign);
  EXPECT_EQ(d.feed(Ev::credentials_ready).kind, Act::take_slot);
  const auto paused = d.feed(Ev::slot_free);
  ASSERT_EQ(paused.kind, Act::wait_until);
  EXPECT_EQ(paused.why, WaitReason::budget);
  EXPECT_EQ(paused.at, t0 + 1000ms);
  d.now = paused.at;
  // Woken, it signs again (a fresh signature), takes a slot and goes.
  EXPECT_EQ(d.until_sent(d.feed(Ev::timer_fired)).kind, Act::send);
  EXPECT_EQ(d.machine_.attempts(), 1u);
}

TEST(AttemptMachine, TheSharedStoreIsAskedAfterTheLocalBudgetAndItsGrantGivenBackWhenTheBudgetMoved) {
  Drive d(true, {RateSpec{"nf", 1, Duration{1000}}}, {}, 8, /*shared=*/true);
  d.start();
  d.feed(Ev::credentials_ready);
  EXPECT_EQ(d.feed(Ev::slot_free).kind, Act::take_shared);
  d.budgets_.on_send(d.names_, d.now);  // another request of the budget went meanwhile
  const auto back = d.feed(Ev::shared_granted);
  ASSERT_EQ(back.kind, Act::wait_until);
  EXPECT_TRUE(back.give_back_shared);
}

// --- the retry table, a row per test: read (replay-safe) and create ---------

TEST(AttemptMachineRetryTable, TwoHundredsAreDone) {
  for (bool safe : {true, false}) {
    Drive d(safe);
    const auto a = d.first(201);
    expect_finish(a, ApiOutcome::ok);
    EXPECT_EQ(a.ending, Ending::answered);
  }
}

TEST(AttemptMachineRetryTable, FourOhOneRenewsOnceThenSendsAgainThenIsFinal) {
  for (bool safe : {true, false}) {
    Drive d(safe);
    EXPECT_EQ(d.first(401).kind, Act::renew_auth);
    EXPECT_EQ(d.until_sent(d.feed(Ev::renewed)).kind, Act::send);
    const auto a = d.answer(401);
    expect_finish(a, ApiOutcome::rejected);
    EXPECT_EQ(d.machine_.attempts(), 2u);
  }
}

TEST(AttemptMachineRetryTable, FourOhOneWithCredentialsThatCannotBeRenewedIsRefused) {
  Drive d(true);
  EXPECT_EQ(d.first(401).kind, Act::renew_auth);
  const auto a = d.feed(Ev::renewed, false);
  expect_finish(a, ApiOutcome::rejected);
  EXPECT_EQ(a.ending, Ending::credentials_refused);
}

TEST(AttemptMachineRetryTable, FourTwentyNineIsSentAgainAtTheNamedTimeOrAfterBackOff) {
  for (bool safe : {true, false}) {
    Drive named(safe);
    const auto a = named.first(429, t0 + 1500ms);
    ASSERT_EQ(a.kind, Act::wait_until);
    EXPECT_EQ(a.at, t0 + 1500ms);
    Drive unnamed(safe);
    const auto b = unnamed.first(429);
    ASSERT_EQ(b.kind, Act::wait_until);
    EXPECT_LE(b.at, t0 + 200ms);
    unnamed.now = b.at;
    EXPECT_EQ(unnamed.until_sent(unnamed.feed(Ev::timer_fired)).kind, Act::send);
    expect_finish(unnamed.answer(200), ApiOutcome::ok);
  }
}

TEST(AttemptMachineRetryTable, FiveOhThreeIsSentAgainEvenForACreate) {
  for (bool safe : {true, false}) {
    Drive d(safe);
    const auto a = d.first(503, t0 + 1s);
    ASSERT_EQ(a.kind, Act::wait_until);
    EXPECT_GE(a.at, t0 + 1s);
  }
}

TEST(AttemptMachineRetryTable, FiveHundredTwoAndFourAreSentAgainForAReadAndAmbiguousForACreate) {
  for (unsigned status : {500u, 502u, 504u}) {
    Drive read(true);
    EXPECT_EQ(read.first(status).kind, Act::wait_until) << status;
    Drive create(false);
    const auto a = create.first(status);
    expect_finish(a, ApiOutcome::ambiguous);
    EXPECT_EQ(a.ending, Ending::ambiguous);
  }
}

TEST(AttemptMachineRetryTable, NotSentIsSentAgainForAReadAndForACreate) {
  for (bool safe : {true, false}) {
    Drive d(safe);
    d.until_sent(d.start());
    EXPECT_EQ(d.fail(AttemptFailure::not_sent).kind, Act::wait_until);
  }
}

TEST(AttemptMachineRetryTable, LostAfterWritingIsSentAgainForAReadAndAmbiguousForACreate) {
  Drive read(true);
  read.until_sent(read.start());
  EXPECT_EQ(read.fail(AttemptFailure::maybe_applied).kind, Act::wait_until);
  Drive create(false);
  create.until_sent(create.start());
  expect_finish(create.fail(AttemptFailure::maybe_applied), ApiOutcome::ambiguous);
}

TEST(AttemptMachineRetryTable, OtherFourHundredsAreFinalAndNeverSentAgain) {
  for (unsigned status : {400u, 403u, 404u, 409u, 422u}) {
    for (bool safe : {true, false}) {
      Drive d(safe);
      const auto a = d.first(status);
      expect_finish(a, ApiOutcome::rejected);
      EXPECT_EQ(d.machine_.attempts(), 1u);
    }
  }
}

TEST(AttemptMachineRetryTable, MaxAttemptsRunOutAsExhausted) {
  Drive d(true, {}, {}, /*max_attempts=*/3);
  auto a = d.first(500);
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(a.kind, Act::wait_until);
    d.now = a.at;
    ASSERT_EQ(d.until_sent(d.feed(Ev::timer_fired)).kind, Act::send);
    a = d.answer(500);
  }
  expect_finish(a, ApiOutcome::exhausted);
  EXPECT_EQ(d.machine_.attempts(), 3u);
}

TEST(AttemptMachineRetryTable, NamedWaitsOfFourTwentyNineDoNotCountAgainstMaxAttempts) {
  Drive d(true, {}, {}, /*max_attempts=*/2);
  auto a = d.first(429, t0 + 10ms);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(a.kind, Act::wait_until);
    d.now = a.at;
    ASSERT_EQ(d.until_sent(d.feed(Ev::timer_fired)).kind, Act::send);
    a = d.answer(429, d.now + 10ms);
  }
  EXPECT_EQ(a.kind, Act::wait_until);
}

// --- stops -----------------------------------------------------------------

TEST(AttemptMachineStop, BeforeTheIntentTheRowStaysAndNothingIsReleased) {
  Drive d(false);
  EXPECT_EQ(d.start().kind, Act::write_intent);
  const auto a = d.feed(Ev::stop_requested);
  expect_finish(a, ApiOutcome::stopped);
  EXPECT_FALSE(a.release_intent);
  EXPECT_EQ(d.machine_.attempts(), 0u);
}

TEST(AttemptMachineStop, AfterTheIntentBeforeTheRequestIsWrittenTheIntentIsReleased) {
  for (Ev where : {Ev::intent_durable, Ev::credentials_ready}) {
    Drive d(false);
    d.start();
    if (where == Ev::credentials_ready) d.feed(Ev::intent_durable);
    d.feed(where);
    const auto a = d.feed(Ev::stop_requested);
    expect_finish(a, ApiOutcome::stopped);
    EXPECT_TRUE(a.release_intent);
  }
}

TEST(AttemptMachineStop, DuringARetryWaitAfterARefusalTheIntentIsReleased) {
  for (unsigned status : {429u, 503u}) {
    Drive d(false);
    ASSERT_EQ(d.first(status).kind, Act::wait_until);
    const auto a = d.feed(Ev::stop_requested);
    expect_finish(a, ApiOutcome::stopped);
    EXPECT_TRUE(a.release_intent) << status;
  }
}

TEST(AttemptMachineStop, AfterTheRequestIsWrittenItsAnswerIsAwaitedAndKept) {
  // The answer came within --timeout of the stop: it is the row's.
  Drive d(false);
  d.until_sent(d.start());
  EXPECT_TRUE(d.machine_.out());
  expect_finish(d.answer(201, {}, /*stopping=*/true), ApiOutcome::ok);
}

TEST(AttemptMachineStop, ARetryableAnswerDuringAStopEndsTheSendStoppedNotRetried) {
  Drive d(true);
  d.until_sent(d.start());
  const auto a = d.fail(AttemptFailure::not_sent, /*stopping=*/true);
  expect_finish(a, ApiOutcome::stopped);
}

TEST(AttemptMachineStop, ASecondSignalCuttingAWrittenCreateShortKeepsItsIntent) {
  // The exchange was cut after writing: it may have been applied, so the
  // intent is not released and the rerun reconciles the row.
  Drive d(false);
  d.until_sent(d.start());
  const auto a = d.fail(AttemptFailure::maybe_applied, /*stopping=*/true);
  EXPECT_EQ(a.kind, Act::finish);
  EXPECT_NE(a.outcome, ApiOutcome::ok);
  EXPECT_FALSE(a.release_intent);
}

TEST(AttemptMachineStop, ACutExchangeThatWroteNothingReleasesTheIntent) {
  Drive d(false);
  d.until_sent(d.start());
  const auto a = d.fail(AttemptFailure::not_sent, /*stopping=*/true);
  expect_finish(a, ApiOutcome::stopped);
  EXPECT_TRUE(a.release_intent);
}

TEST(AttemptMachineStop, ABudgetWaitPastTheDeadlineStopsTheRunAndReleases) {
  Drive d(false, {RateSpec{"nf", 1, Duration{60'000}}}, t0 + 1s);
  d.budgets_.on_send(d.names_, t0);
  d.start();
  d.feed(Ev::intent_durable);
  d.feed(Ev::credentials_ready);
  const auto a = d.feed(Ev::slot_free);
  expect_finish(a, ApiOutcome::stopped);
  EXPECT_EQ(a.stop_reason, "deadline reached");
  EXPECT_TRUE(a.release_intent);
}

TEST(AttemptMachineStop, ARetryPastTheDeadlineWithAttemptsLeftStopsInsteadOfGivingUp) {
  Drive d(true, {}, t0 + 1s);
  const auto a = d.first(429, t0 + 5s);
  expect_finish(a, ApiOutcome::stopped);
  EXPECT_EQ(a.stop_reason, "deadline reached");
}

TEST(AttemptMachineStop, AJournalThatFailsToSyncTheIntentStopsWithoutRelease) {
  Drive d(false);
  d.start();
  const auto a = d.feed(Ev::intent_durable, /*ok=*/false);
  expect_finish(a, ApiOutcome::stopped);
  EXPECT_FALSE(a.release_intent);
}

}  // namespace
}  // namespace ab
