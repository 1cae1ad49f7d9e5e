// An open-addressing hash set of 32-bit slot numbers (linear probing, at most
// 3/4 full): 4 bytes an entry, 5.3 to 10.7 with its empty room. The entries'
// keys live in the caller's own arrays, so it asks for them when it must: a
// `matches(slot)` to find, a `hash_of(slot)` to grow or close a gap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace ab::sim {

class HashSlots {
 public:
  using Slot = std::uint32_t;

  // The first entry along `hash`'s probe sequence that `matches`.
  template <typename Matches>
  std::optional<Slot> find(std::uint64_t hash, Matches&& matches) const {
    if (table_.empty()) return std::nullopt;
    for (std::size_t i = hash & mask(); table_[i] != empty; i = (i + 1) & mask())
      if (matches(table_[i] - 1)) return table_[i] - 1;
    return std::nullopt;
  }

  template <typename HashOf>
  void insert(Slot slot, std::uint64_t hash, HashOf&& hash_of) {
    if ((size_ + 1) * 4 > table_.size() * 3) grow(hash_of);
    place(slot, hash);
    ++size_;
  }

  // Removes `slot`, stored under `hash`; closes the gap so that no probe
  // sequence is cut short (backward-shift deletion).
  template <typename HashOf>
  void erase(Slot slot, std::uint64_t hash, HashOf&& hash_of) {
    if (table_.empty()) return;
    std::size_t gap = hash & mask();
    while (table_[gap] != slot + 1) {
      if (table_[gap] == empty) return;
      gap = (gap + 1) & mask();
    }
    for (std::size_t next = (gap + 1) & mask(); table_[next] != empty; next = (next + 1) & mask()) {
      const std::size_t home = hash_of(table_[next] - 1) & mask();
      // The entry at `next` may move back only if its home is not in (gap, next].
      const bool stays = gap <= next ? (gap < home && home <= next) : (gap < home || home <= next);
      if (stays) continue;
      table_[gap] = table_[next];
      gap = next;
    }
    table_[gap] = empty;
    --size_;
  }

  std::size_t size() const { return size_; }
  std::size_t bytes() const { return table_.capacity() * sizeof(Slot); }

 private:
  static constexpr Slot empty = 0;  // entries hold slot + 1

  std::size_t mask() const { return table_.size() - 1; }

  void place(Slot slot, std::uint64_t hash) {
    std::size_t i = hash & mask();
    while (table_[i] != empty) i = (i + 1) & mask();
    table_[i] = slot + 1;
  }

  template <typename HashOf>
  void grow(HashOf& hash_of) {
    std::vector<Slot> old(table_.empty() ? 16 : table_.size() * 2, empty);
    old.swap(table_);
    for (Slot entry : old)
      if (entry != empty) place(entry - 1, hash_of(entry - 1));
  }

  std::vector<Slot> table_;
  std::size_t size_ = 0;
};

}  // namespace ab::sim
