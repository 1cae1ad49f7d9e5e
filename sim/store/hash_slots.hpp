// An open-addressing hash set of 32-bit slot numbers (linear probing, at most
// 3/4 full): 4 bytes an entry, 5.3 to 10.7 with its empty room. The entries'
// keys live in the caller's own arrays, so it asks for them when it must: a
// `matches(slot)` to find, a `hash_of(slot)` to grow or close a gap.
//
// It is 1,024 tables (shards, chosen by the hash's top bits), each growing
// on its own: a growth rehashes one shard, 1/1,024 of the entries, never the
// whole set. One table of millions of entries grew in one go and held the
// simulator past a client's request timeout (issue 22: 32 creates in flight
// ended `unknown` at 3.1M audiences). Keeping the old table while moving it
// over a few entries per insert (as Redis's dict does) removed the pause
// too, but cost the old table's room for the whole move: a third more bytes
// an audience in the ids store for a while, above its documented bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace ab::sim {

class HashSlots {
 public:
  using Slot = std::uint32_t;
  static constexpr unsigned shard_bits = 10;
  static constexpr std::size_t shards = std::size_t{1} << shard_bits;

  // The first entry along `hash`'s probe sequence that `matches`.
  template <typename Matches>
  std::optional<Slot> find(std::uint64_t hash, Matches&& matches) const {
    if (shards_.empty()) return std::nullopt;
    return shard(hash).find(hash, matches);
  }

  // Adds `slot` (not held yet), whose key hashes to `hash`.
  template <typename HashOf>
  void insert(Slot slot, std::uint64_t hash, HashOf&& hash_of) {
    if (shards_.empty()) shards_.resize(shards);
    Table& table = shard(hash);
    if ((table.size + 1) * 4 > table.capacity * 3) {
      slots_ -= table.capacity;
      table.grow(hash_of);
      slots_ += table.capacity;
    }
    table.place(slot, hash);
    ++table.size;
    ++size_;
  }

  // Removes `slot`, stored under `hash`, if held.
  template <typename HashOf>
  void erase(Slot slot, std::uint64_t hash, HashOf&& hash_of) {
    if (shards_.empty() || !shard(hash).erase(slot, hash, hash_of)) return;
    --size_;
  }

  std::size_t size() const { return size_; }
  std::size_t bytes() const { return slots_ * sizeof(Slot) + shards_.capacity() * sizeof(Table); }

 private:
  static constexpr Slot empty = 0;  // entries hold slot + 1

  struct Table {
    std::unique_ptr<Slot[]> slots;
    std::uint32_t capacity = 0;  // a power of two, or 0
    std::uint32_t size = 0;

    std::size_t mask() const { return capacity - 1; }

    template <typename Matches>
    std::optional<Slot> find(std::uint64_t hash, Matches& matches) const {
      if (capacity == 0) return std::nullopt;
      for (std::size_t i = hash & mask(); slots[i] != empty; i = (i + 1) & mask())
        if (matches(slots[i] - 1)) return slots[i] - 1;
      return std::nullopt;
    }

    void place(Slot slot, std::uint64_t hash) {
      std::size_t i = hash & mask();
      while (slots[i] != empty) i = (i + 1) & mask();
      slots[i] = slot + 1;
    }

    template <typename HashOf>
    void grow(HashOf& hash_of) {
      const std::uint32_t old_capacity = capacity;
      std::unique_ptr<Slot[]> old = std::move(slots);
      capacity = capacity == 0 ? 8 : capacity * 2;
      slots = std::make_unique<Slot[]>(capacity);  // zeroed: empty
      for (std::uint32_t i = 0; i < old_capacity; ++i)
        if (old[i] != empty) place(old[i] - 1, hash_of(old[i] - 1));
    }

    // Removes `slot` and closes the gap so that no probe sequence is cut
    // short (backward-shift deletion).
    template <typename HashOf>
    bool erase(Slot slot, std::uint64_t hash, HashOf& hash_of) {
      if (capacity == 0) return false;
      std::size_t gap = hash & mask();
      while (slots[gap] != slot + 1) {
        if (slots[gap] == empty) return false;
        gap = (gap + 1) & mask();
      }
      for (std::size_t next = (gap + 1) & mask(); slots[next] != empty; next = (next + 1) & mask()) {
        const std::size_t home = hash_of(slots[next] - 1) & mask();
        // The entry at `next` may move back only if its home is not in (gap, next].
        const bool stays = gap <= next ? (gap < home && home <= next) : (gap < home || home <= next);
        if (stays) continue;
        slots[gap] = slots[next];
        gap = next;
      }
      slots[gap] = empty;
      --size;
      return true;
    }
  };

  Table& shard(std::uint64_t hash) { return shards_[hash >> (64 - shard_bits)]; }
  const Table& shard(std::uint64_t hash) const { return shards_[hash >> (64 - shard_bits)]; }

  std::vector<Table> shards_;  // empty until the first insert
  std::size_t slots_ = 0;      // the shards' capacities, summed
  std::size_t size_ = 0;
};

}  // namespace ab::sim
