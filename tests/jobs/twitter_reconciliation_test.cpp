// The create reconciler's decisions without an API: each step asked for, each
// answer given by hand, on a fake wall clock.
#include "jobs/twitter/reconciliation.hpp"
#include "jobs/twitter/timestamps.hpp"

#include <gtest/gtest.h>

namespace ab::tw {
namespace {

using namespace std::chrono_literals;
using Step = ReconcileStep::Kind;

const SystemTime now{std::chrono::sys_days{std::chrono::year{2026} / 12 / 5} + 22h};

boost::json::object audience(const std::string& id) { return {{"id", id}, {"name", "A"}}; }

CreateRound round_of(std::vector<CreateAnswer> answers, unsigned status = 200) {
  return CreateRound{std::move(answers), status, 1};
}

Lookup found(const std::string& id) { return Lookup{Lookup::Kind::found, audience(id), 200, 1, {}}; }
Lookup absent() { return Lookup{Lookup::Kind::absent, {}, 200, 1, {}}; }
CreateAnswer unclear() { return {CreateAnswer::Kind::unclear, {}, "HTTP 504"}; }
CreateAnswer created(const std::string& id) { return {CreateAnswer::Kind::created, audience(id), {}}; }

TEST(CreateWindow, AFirstSendIsCheckpointedAndTheWindowOpensAMarginBeforeIt) {
  const auto w = create_window("", false, now, 120s);
  ASSERT_TRUE(w.start);
  EXPECT_EQ(*w.start, now - 120s);
  ASSERT_TRUE(w.checkpoint);
  EXPECT_EQ(parse_send_time_checkpoint(*w.checkpoint), now);
}

TEST(CreateWindow, AResumedRowKeepsItsFirstSendAndOneWithoutAnyAdoptsAnyAge) {
  const auto kept = create_window(send_time_checkpoint(now - 1h), true, now, 120s);
  EXPECT_EQ(kept.start, now - 1h - 120s);
  EXPECT_FALSE(kept.checkpoint);
  const auto any = create_window("", true, now, 120s);
  EXPECT_FALSE(any.start);
  EXPECT_FALSE(any.checkpoint);
}

TEST(Reconciliation, CreatedItemsEndOkAndAreClaimed) {
  Reconciliation r({"A", "B"}, {false, false});
  const auto step = r.next();
  ASSERT_EQ(step.kind, Step::send);
  EXPECT_EQ(step.items, (std::vector<std::size_t>{0, 1}));
  r.sent(round_of({created("1"), created("2")}));
  EXPECT_EQ(r.next().kind, Step::done);
  const auto ends = r.take_ends();
  ASSERT_EQ(ends.size(), 2u);
  EXPECT_EQ(ends[0].result.status, RowStatus::ok);
  EXPECT_EQ(ends[0].result.id, "1");
  EXPECT_TRUE(ends[0].claim);
}

TEST(Reconciliation, AnUnclearCreateIsLookedUpAndAdoptedWhenFound) {
  Reconciliation r({"A"}, {false});
  r.next();
  r.sent(round_of({unclear()}, 504));
  const auto step = r.next();
  ASSERT_EQ(step.kind, Step::look_up);
  r.looked_up(found("7"));
  EXPECT_EQ(r.next().kind, Step::done);
  const auto ends = r.take_ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].result.status, RowStatus::ok);
  EXPECT_EQ(ends[0].result.id, "7");
  EXPECT_EQ(ends[0].result.attempts, 2u);
  EXPECT_FALSE(ends[0].claim);  // claimed by the look-up
}

TEST(Reconciliation, AnUnclearCreateNotListedIsSentAgainAtMostThreeTimesThenUnknown) {
  Reconciliation r({"A"}, {false});
  ASSERT_EQ(r.next().kind, Step::send);
  for (unsigned sends = 1; sends <= kMaxUnclearSends; ++sends) {
    r.sent(round_of({unclear()}, 504));
    ASSERT_EQ(r.next().kind, Step::look_up) << sends;
    r.looked_up(absent());
    const auto step = r.next();
    if (sends < kMaxUnclearSends) ASSERT_EQ(step.kind, Step::send) << sends;
    else EXPECT_EQ(step.kind, Step::done);
  }
  const auto ends = r.take_ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].result.status, RowStatus::unknown);
  EXPECT_NE(ends[0].result.error.find("q=A"), std::string::npos) << ends[0].result.error;
}

TEST(Reconciliation, AResumedRowThatMayExistIsLookedUpBeforeAnythingIsSent) {
  Reconciliation r({"A", "B"}, {true, false});
  const auto first = r.next();
  ASSERT_EQ(first.kind, Step::look_up);
  EXPECT_EQ(first.item, 0u);
  r.looked_up(absent());
  const auto send = r.next();
  ASSERT_EQ(send.kind, Step::send);
  EXPECT_EQ(send.items, (std::vector<std::size_t>{0, 1}));
}

TEST(Reconciliation, ALookUpThatFailsEndsTheRowUnknownWithWhatToCheck) {
  Reconciliation r({"A"}, {true});
  r.next();
  r.looked_up(Lookup{Lookup::Kind::failed, {}, 500, 3, "HTTP 500"});
  EXPECT_EQ(r.next().kind, Step::done);
  const auto ends = r.take_ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].result.status, RowStatus::unknown);
}

TEST(Reconciliation, AStopEndsRowsStoppedWhetherLookingUpOrSending) {
  Reconciliation r({"A", "B"}, {true, false});
  r.next();
  r.looked_up(Lookup{Lookup::Kind::stopped, {}, 0, 0, "stopped: interrupted"});
  ASSERT_EQ(r.next().kind, Step::send);
  r.sent(round_of({{CreateAnswer::Kind::stopped, {}, "stopped: interrupted"}}, 0));
  EXPECT_EQ(r.next().kind, Step::done);
  const auto ends = r.take_ends();
  ASSERT_EQ(ends.size(), 2u);
  for (const auto& end : ends) EXPECT_EQ(end.result.status, RowStatus::stopped);
}

TEST(Reconciliation, AnItemNotAppliedIsSentAgainWithoutALookUpAndAFailedOneEnds) {
  Reconciliation r({"A", "B"}, {false, false});
  r.next();
  r.sent(round_of({{CreateAnswer::Kind::failed, {}, "INVALID"}, {CreateAnswer::Kind::not_applied, {}, "batch"}}, 400));
  const auto again = r.next();
  ASSERT_EQ(again.kind, Step::send);
  EXPECT_EQ(again.items, (std::vector<std::size_t>{1}));
  const auto ends = r.take_ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].result.status, RowStatus::failed);
}

TEST(Reconciliation, AnItemNeverAppliedEndsFailedAfterTheRoundsRunOut) {
  Reconciliation r({"A"}, {false});
  std::size_t sends = 0;
  for (auto step = r.next(); step.kind == Step::send; step = r.next(), ++sends)
    r.sent(round_of({{CreateAnswer::Kind::not_applied, {}, "batch"}}, 400));
  EXPECT_EQ(sends, 1 + kMaxUnclearSends);
  const auto ends = r.take_ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].result.status, RowStatus::failed);
  EXPECT_NE(ends[0].result.error.find("not created after"), std::string::npos);
}

}  // namespace
}  // namespace ab::tw
