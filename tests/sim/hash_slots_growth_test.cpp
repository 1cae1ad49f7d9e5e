// HashSlots grows without a pause (issue 22): a growth rehashes one shard,
// never the whole set, and through every growth each entry is found exactly
// once and an erased one is gone.
#include "sim/store/hash_slots.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace ab::sim::test {
namespace {

// Slots and their keys' hashes, with a count of the hashes a growth or an
// erase asked for (the work it did).
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

  // A new slot under `h`, inserted.
  void insert(HashSlots& slots, std::uint64_t h) {
    hash.push_back(h);
    held.push_back(true);
    slots.insert(static_cast<std::uint32_t>(hash.size() - 1), h, hash_of());
  }

  // How many times `slot` is held: every entry along its probe sequence is
  // offered to a `matches` that never matches.
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
      ASSERT_EQ(copies(slots, s), held[s] ? 1u : 0u) << "slot " << s;
      const auto found = slots.find(hash[s], [&](std::uint32_t other) { return other == s; });
      ASSERT_EQ(found.has_value(), held[s]) << s;
    }
    ASSERT_EQ(slots.size(), live);
  }
};

TEST(HashSlotsGrowth, EveryEntryIsFoundOnceAfterEachGrowthAndErase) {
  // Some hashes equal, so that probe chains are long and wrap around a shard's end;
  // one hash in eight lands in shard 0, so that one shard grows many times over.
  Keys keys;
  HashSlots slots;
  std::mt19937_64 random(11);
  std::vector<std::uint64_t> pool(1'500);
  for (auto& hash : pool) hash = random() % 8 == 0 ? random() >> HashSlots::shard_bits : random();
  std::size_t growths = 0;
  for (std::uint32_t n = 0; n < 20'000; ++n) {
    const std::size_t bytes_before = slots.bytes();
    keys.insert(slots, pool[random() % pool.size()]);
    if (random() % 4 == 0) {  // erase one, old or new
      const auto victim = static_cast<std::uint32_t>(random() % keys.hash.size());
      if (keys.held[victim]) slots.erase(victim, keys.hash[victim], keys.hash_of());
      keys.held[victim] = false;
    }
    if (slots.bytes() != bytes_before && ++growths % 50 == 0) {
      keys.expect_exactly_the_held(slots);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
  EXPECT_GT(growths, 1'000u) << "the test must look across many growths";
  keys.expect_exactly_the_held(slots);
}

TEST(HashSlotsGrowth, AnEntryErasedAndInsertedUnderANewHashIsHeldOnce) {
  // What a PUT does: the slot leaves under its old hash and comes back under a new one.
  Keys keys;
  HashSlots slots;
  std::mt19937_64 random(3);
  for (int n = 0; n < 5'000; ++n) keys.insert(slots, random());
  for (std::uint32_t replaced = 0; replaced < 5'000; replaced += 3) {
    slots.erase(replaced, keys.hash[replaced], keys.hash_of());
    keys.hash[replaced] = random();
    slots.insert(replaced, keys.hash[replaced], keys.hash_of());
  }
  keys.expect_exactly_the_held(slots);
}

TEST(HashSlotsGrowth, AnInsertRehashesOneShardNeverTheWholeSet) {
  Keys keys;
  HashSlots slots;
  std::mt19937_64 random(7);
  constexpr std::size_t entries = 400'000;
  std::size_t most_calls = 0;
  for (std::size_t n = 0; n < entries; ++n) {
    keys.hash_calls = 0;
    keys.insert(slots, random());
    most_calls = std::max(most_calls, keys.hash_calls);
  }
  EXPECT_EQ(slots.size(), entries);
  EXPECT_GT(most_calls, 0u) << "shards did grow";
  // A shard holds about entries / shards (390 here); a one-table growth would rehash 3/4 of 524,288.
  EXPECT_LE(most_calls, 2 * entries / HashSlots::shards) << "an insert rehashed more than one shard: a pause";
  // Room for growth stays what one table's would be: at most 4 / (3/8) = 10.7 bytes an entry, and the shards' table.
  EXPECT_LE(slots.bytes(), entries * 32 / 3 + HashSlots::shards * 16);
}

TEST(HashSlotsGrowth, ErasingEverythingLeavesItEmpty) {
  Keys keys;
  HashSlots slots;
  for (std::uint32_t n = 0; n < 3'000; ++n) keys.insert(slots, n % 61);
  for (std::uint32_t e = 3'000; e-- > 0;) {
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
