#include "engine/send/batcher.hpp"

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

Task keyed(std::size_t row, std::string key, std::size_t bytes = 0) {
  Task t = task(row);
  t.batch_key = std::move(key);
  t.batch_bytes = bytes;
  return t;
}

TEST(Batcher, TasksOfDifferentKeysNeverShareABatch) {
  Batcher batcher(BatchPolicy{2, 20ms});
  EXPECT_FALSE(batcher.add(keyed(1, "a"), t0));
  EXPECT_FALSE(batcher.add(keyed(2, "b"), t0));
  const auto a = batcher.add(keyed(3, "a"), t0);
  ASSERT_TRUE(a);
  EXPECT_EQ(rows_of(*a), (std::vector<std::size_t>{1, 3}));
  EXPECT_FALSE(batcher.empty());
  EXPECT_FALSE(batcher.add(keyed(4, "c"), t0));
  // At end of input, one key at a time, the oldest key first.
  EXPECT_EQ(rows_of(batcher.flush()), std::vector<std::size_t>{2});
  EXPECT_EQ(rows_of(batcher.flush()), std::vector<std::size_t>{4});
  EXPECT_TRUE(batcher.empty());
}

TEST(Batcher, ATaskThatWouldPassTheByteLimitStartsTheNextBatch) {
  BatchPolicy policy{10, 20ms};
  policy.max_bytes = 100;
  Batcher batcher(policy);
  EXPECT_FALSE(batcher.add(keyed(1, "a", 60), t0));
  EXPECT_FALSE(batcher.add(keyed(2, "a", 40), t0));  // exactly 100: still fits
  const auto full = batcher.add(keyed(3, "a", 1), t0);
  ASSERT_TRUE(full);
  EXPECT_EQ(rows_of(*full), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(rows_of(batcher.flush()), std::vector<std::size_t>{3});
}

TEST(Batcher, ATaskOverTheByteLimitAloneStillGoesAlone) {
  BatchPolicy policy{10, 20ms};
  policy.max_bytes = 100;
  Batcher batcher(policy);
  EXPECT_FALSE(batcher.add(keyed(1, "a", 500), t0));
  const auto alone = batcher.add(keyed(2, "a", 1), t0);
  ASSERT_TRUE(alone);
  EXPECT_EQ(rows_of(*alone), std::vector<std::size_t>{1});
}

TEST(Batcher, TooManyWaitingAcrossKeysSendsTheBiggestKeysBatch) {
  BatchPolicy policy{10, 20ms};
  policy.max_pending = 4;
  Batcher batcher(policy);
  EXPECT_FALSE(batcher.add(keyed(1, "a"), t0));
  EXPECT_FALSE(batcher.add(keyed(2, "b"), t0));
  EXPECT_FALSE(batcher.add(keyed(3, "b"), t0));
  EXPECT_FALSE(batcher.add(keyed(4, "b"), t0));
  const auto biggest = batcher.add(keyed(5, "c"), t0);
  ASSERT_TRUE(biggest);
  EXPECT_EQ(rows_of(*biggest), (std::vector<std::size_t>{2, 3, 4}));
  EXPECT_EQ(rows_of(batcher.flush()), std::vector<std::size_t>{1});
}

}  // namespace
}  // namespace ab
