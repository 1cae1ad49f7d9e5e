// HashSlots grows without a pause (issue 22): while the old table's entries
// move over a few at a time, every entry is found exactly once, an erased
// one is gone, and no insert does more than a step's worth of moving.
#include "sim/store/hash_slots.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace ab::sim::test {
namespace {

// Slots and their keys' hashes, some equal so that probe chains are long,
// wrap around the table's end and cross the moved/unmoved boundary.
struct Keys {
  std::vector<std::uint64_t> hash;
  std::vector<bool> held;
  std::size_t hash_calls = 0;

  auto hash_of() {
    return [this](std::uint32_t slot) {
      ++hash_calls;
      return hash[slot];
    };
  }

  // How many times `slot` is held: every entry along its probe sequences,
  // in both tables while growing, is offered to a `matches` that never matches.
  std::size_t copies(const HashSlots& slots, std::uint32_t slot) const {
    std::size_t seen = 0;
    slots.find(hash[slot], [&](std::uint32_t other) {
      seen += other == slot;
      return false;
    });
    return seen;
  }

  void expect_exactly_the_held(const HashSlots& slots) const {
    std::size_t live = 0;
    for (std::uint32_t s = 0; s < hash.size(); ++s) {
      live += held[s];
      ASSERT_EQ(copies(slots, s), held[s] ? 1u : 0u) << "slot " << s << (slots.growing() ? " while growing" : "");
      const auto found = slots.find(hash[s], [&](std::uint32_t other) { return other == s; });
      ASSERT_EQ(found.has_value(), held[s]) << s;
    }
    ASSERT_EQ(slots.size(), live);
  }
};

TEST(HashSlotsGrowth, EveryEntryIsFoundOnceWhileTheOldTableMovesOver) {
  Keys keys;
  HashSlots slots;
  std::mt19937_64 random(11);
  std::vector<std::uint64_t> pool(1'500);
  for (auto& hash : pool) hash = random();
  std::size_t checks_while_growing = 0;
  for (std::uint32_t s = 0; s < 6'000; ++s) {
    keys.hash.push_back(pool[random() % pool.size()]);
    keys.held.push_back(true);
    slots.insert(s, keys.hash[s], keys.hash_of());
    if (random() % 4 == 0) {  // erase one, moved over or not yet
      const auto victim = static_cast<std::uint32_t>(random() % (s + 1));
      if (keys.held[victim]) slots.erase(victim, keys.hash[victim], keys.hash_of());
      keys.held[victim] = false;
    }
    if (slots.growing() && s % 7 == 0) {
      ++checks_while_growing;
      keys.expect_exactly_the_held(slots);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
  EXPECT_GT(checks_while_growing, 50u) << "the test must look while the table grows";
  keys.expect_exactly_the_held(slots);
}

TEST(HashSlotsGrowth, AnEntryErasedAndInsertedAgainWhileGrowingIsHeldOnce) {
  // What a PUT does: the slot leaves under its old hash and comes back under a new one.
  Keys keys;
  HashSlots slots;
  std::uint32_t s = 0;
  for (; !slots.growing() || s < 200; ++s) {
    keys.hash.push_back(s * 0x9e3779b97f4a7c15ULL);
    keys.held.push_back(true);
    slots.insert(s, keys.hash[s], keys.hash_of());
  }
  ASSERT_TRUE(slots.growing());
  for (std::uint32_t replaced = 0; replaced < s && slots.growing(); replaced += 3) {
    slots.erase(replaced, keys.hash[replaced], keys.hash_of());
    keys.hash[replaced] ^= 0x5555;
    slots.insert(replaced, keys.hash[replaced], keys.hash_of());
    keys.expect_exactly_the_held(slots);
    if (::testing::Test::HasFatalFailure()) return;
  }
  keys.expect_exactly_the_held(slots);
}

TEST(HashSlotsGrowth, AnInsertMovesAtMostAStepAndGrowingEnds) {
  Keys keys;
  HashSlots slots;
  std::size_t most_calls = 0;
  std::size_t largest_before = 0;
  bool was_growing = false;
  for (std::uint32_t s = 0; s < 200'000; ++s) {
    keys.hash.push_back(std::uint64_t{s} * 0x9e3779b97f4a7c15ULL);
    keys.held.push_back(true);
    keys.hash_calls = 0;
    const bool growing_before = slots.growing();
    slots.insert(s, keys.hash[s], keys.hash_of());
    most_calls = std::max(most_calls, keys.hash_calls);
    // Every growth ends before the next one would start: the old table never holds a table before it.
    if (slots.growing() && !growing_before) {
      ASSERT_FALSE(was_growing) << "a growth started with one unfinished, at " << s;
      largest_before = slots.bytes();
    }
    if (was_growing && !slots.growing()) {
      EXPECT_LT(slots.bytes(), largest_before) << "the old table is freed";
    }
    was_growing = slots.growing();
  }
  EXPECT_LE(most_calls, HashSlots::move_step) << "an insert hashed more than a step's entries: a pause";
  EXPECT_GT(most_calls, 0u);
  EXPECT_EQ(slots.size(), 200'000u);
}

TEST(HashSlotsGrowth, ErasingEverythingWhileGrowingLeavesItEmpty) {
  Keys keys;
  HashSlots slots;
  std::uint32_t s = 0;
  for (; s < 1'000 || !slots.growing(); ++s) {
    keys.hash.push_back(s % 61);
    keys.held.push_back(true);
    slots.insert(s, keys.hash[s], keys.hash_of());
  }
  for (std::uint32_t e = s; e-- > 0;) {
    slots.erase(e, keys.hash[e], keys.hash_of());
    keys.held[e] = false;
  }
  keys.expect_exactly_the_held(slots);
  EXPECT_EQ(slots.size(), 0u);
  slots.erase(0, keys.hash[0], keys.hash_of());  // not held: nothing happens
  EXPECT_EQ(slots.size(), 0u);
}

}  // namespace
}  // namespace ab::sim::test
