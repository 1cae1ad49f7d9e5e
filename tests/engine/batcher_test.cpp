#include "engine/batcher.hpp"

#include <gtest/gtest.h>

namespace ab {
namespace {

using namespace std::chrono_literals;

const SteadyTime t0{1h};

Task task(std::size_t row) {
  Task t;
  t.row = row;
  return t;
}

std::vector<std::size_t> rows_of(const std::vector<Task>& batch) {
  std::vector<std::size_t> rows;
  for (const auto& t : batch) rows.push_back(t.row);
  return rows;
}

TEST(Batcher, AFullBatchComesOutOfTheAddThatCompletesIt) {
  Batcher batcher(BatchPolicy{3, 20ms});
  EXPECT_FALSE(batcher.add(task(1), t0));
  EXPECT_FALSE(batcher.add(task(2), t0));
  const auto batch = batcher.add(task(3), t0);
  ASSERT_TRUE(batch);
  EXPECT_EQ(rows_of(*batch), (std::vector<std::size_t>{1, 2, 3}));
  EXPECT_TRUE(batcher.empty());
  EXPECT_FALSE(batcher.deadline());
}

TEST(Batcher, APartialBatchWaitsForItsOldestTaskToLinger) {
  Batcher batcher(BatchPolicy{10, 20ms});
  batcher.add(task(1), t0);
  batcher.add(task(2), t0 + 15ms);
  // The linger counts from the oldest task, not the newest.
  EXPECT_EQ(batcher.deadline(), t0 + 20ms);
  EXPECT_FALSE(batcher.poll(t0 + 19ms));
  const auto batch = batcher.poll(t0 + 20ms);
  ASSERT_TRUE(batch);
  EXPECT_EQ(rows_of(*batch), (std::vector<std::size_t>{1, 2}));
  EXPECT_FALSE(batcher.poll(t0 + 1h));
}

TEST(Batcher, TheNextBatchLingersFromItsOwnFirstTask) {
  Batcher batcher(BatchPolicy{2, 20ms});
  batcher.add(task(1), t0);
  batcher.add(task(2), t0 + 1ms);
  batcher.add(task(3), t0 + 50ms);
  EXPECT_EQ(batcher.deadline(), t0 + 70ms);
  EXPECT_FALSE(batcher.poll(t0 + 60ms));
}

TEST(Batcher, FlushHandsOverWhateverIsPending) {
  Batcher batcher(BatchPolicy{10, 1h});
  EXPECT_TRUE(batcher.flush().empty());
  batcher.add(task(7), t0);
  batcher.add(task(8), t0);
  EXPECT_EQ(rows_of(batcher.flush()), (std::vector<std::size_t>{7, 8}));
  EXPECT_TRUE(batcher.empty());
}

TEST(Batcher, OneRowPerRequestNeverWaits) {
  Batcher batcher(BatchPolicy{1, 20ms});
  for (std::size_t row = 1; row <= 3; ++row) {
    const auto batch = batcher.add(task(row), t0);
    ASSERT_TRUE(batch);
    EXPECT_EQ(rows_of(*batch), std::vector<std::size_t>{row});
  }
}

TEST(Batcher, ZeroRowsPerRequestMeansOne) {
  Batcher batcher(BatchPolicy{0, 20ms});
  EXPECT_TRUE(batcher.add(task(1), t0));
}

TEST(Batcher, NoLingerMeansAPartialBatchIsDueAtOnce) {
  Batcher batcher(BatchPolicy{10, 0ms});
  batcher.add(task(1), t0);
  EXPECT_TRUE(batcher.poll(t0));
}

TEST(Batcher, TasksKeepTheirContent) {
  Batcher batcher(BatchPolicy{2, 20ms});
  Task first = task(4);
  first.params["name"] = "Brand visitors";
  first.maybe_sent = true;
  first.checkpoint = "cursor-9";
  batcher.add(std::move(first), t0);
  const auto batch = batcher.add(task(5), t0);
  ASSERT_TRUE(batch);
  EXPECT_EQ((*batch)[0].params.at("name").as_string(), "Brand visitors");
  EXPECT_TRUE((*batch)[0].maybe_sent);
  EXPECT_EQ((*batch)[0].checkpoint, "cursor-9");
}

}  // namespace
}  // namespace ab
