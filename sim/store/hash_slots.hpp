// An open-addressing hash set of 32-bit slot numbers (linear probing, at most
// 3/4 full): 4 bytes an entry, 5.3 to 10.7 with its empty room. The entries'
// keys live in the caller's own arrays, so it asks for them when it must: a
// `matches(slot)` to find, a `hash_of(slot)` to grow or close a gap.
//
// It grows without a pause: at 3/4 full it allocates a table twice the size
// and keeps the old one; every insert and erase then moves the entries of the
// next `move_step` old positions, and a find looks in both, until the old
// table is empty of unmoved entries and is freed (as Redis's dict rehashes).
// A full rehash of millions of entries held the simulator longer than a
// client's request timeout (issue 22). While growing, the old table is only
// read: a move copies, and an erase there leaves a tombstone, so that no
// probe sequence of the old table is cut short.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>

namespace ab::sim {

class HashSlots {
 public:
  using Slot = std::uint32_t;
  // Old positions moved per insert or erase while growing: the new table goes
  // from 3/8 to 3/4 full in 3/4 × (old size) inserts, so any step above 4/3
  // ends the move first; 8 bounds an insert's extra work at 8 `hash_of`s.
  static constexpr std::size_t move_step = 8;

  // The first entry along `hash`'s probe sequence that `matches`.
  template <typename Matches>
  std::optional<Slot> find(std::uint64_t hash, Matches&& matches) const {
    if (auto found = table_.find(hash, matches, 0)) return found;
    if (growing()) return old_.find(hash, matches, moved_);
    return std::nullopt;
  }

  // Adds `slot` (not held yet; at most 0xfffffffd), whose key hashes to `hash`.
  template <typename HashOf>
  void insert(Slot slot, std::uint64_t hash, HashOf&& hash_of) {
    if (growing()) move_some(hash_of, move_step);
    if ((size_ + 1) * 4 > table_.capacity * 3) {
      if (growing()) move_some(hash_of, old_.capacity);  // only with a step too small to finish first
      start_growing();
    }
    table_.place(slot, hash);
    ++size_;
  }

  // Removes `slot`, stored under `hash`, if held.
  template <typename HashOf>
  void erase(Slot slot, std::uint64_t hash, HashOf&& hash_of) {
    if (table_.erase(slot, hash, hash_of) || (growing() && old_.bury(slot, hash, moved_))) --size_;
    if (growing()) move_some(hash_of, move_step);
  }

  std::size_t size() const { return size_; }
  // True while entries of the old table remain to be moved.
  bool growing() const { return old_.capacity != 0; }
  std::size_t bytes() const { return (table_.capacity + old_.capacity) * sizeof(Slot); }

 private:
  static constexpr Slot empty = 0;  // entries hold slot + 1
  static constexpr Slot buried = 0xffffffff;

  // calloc, not a zero-filled vector: a large table's pages come zeroed from
  // the system as they are first touched, so growing writes none of them.
  struct Free {
    void operator()(Slot* slots) const { std::free(slots); }
  };

  struct Table {
    std::unique_ptr<Slot[], Free> slots;
    std::size_t capacity = 0;  // a power of two, or 0

    explicit Table(std::size_t size = 0) : capacity(size) {
      if (size == 0) return;
      slots.reset(static_cast<Slot*>(std::calloc(size, sizeof(Slot))));
      if (!slots) throw std::bad_alloc();
    }
    std::size_t mask() const { return capacity - 1; }

    // Entries at positions below `moved` are skipped (already in the new table).
    template <typename Matches>
    std::optional<Slot> find(std::uint64_t hash, Matches& matches, std::size_t moved) const {
      if (capacity == 0) return std::nullopt;
      for (std::size_t i = hash & mask(); slots[i] != empty; i = (i + 1) & mask())
        if (i >= moved && slots[i] != buried && matches(slots[i] - 1)) return slots[i] - 1;
      return std::nullopt;
    }

    void place(Slot slot, std::uint64_t hash) {
      std::size_t i = hash & mask();
      while (slots[i] != empty) i = (i + 1) & mask();
      slots[i] = slot + 1;
    }

    // Where `slot` is along `hash`'s probe sequence, at or above `moved`.
    std::optional<std::size_t> position(Slot slot, std::uint64_t hash, std::size_t moved) const {
      if (capacity == 0) return std::nullopt;
      for (std::size_t i = hash & mask(); slots[i] != empty; i = (i + 1) & mask())
        if (slots[i] == slot + 1 && i >= moved) return i;
      return std::nullopt;
    }

    // Removes `slot` and closes the gap so that no probe sequence is cut
    // short (backward-shift deletion). The live table holds no tombstones.
    template <typename HashOf>
    bool erase(Slot slot, std::uint64_t hash, HashOf& hash_of) {
      const auto found = position(slot, hash, 0);
      if (!found) return false;
      std::size_t gap = *found;
      for (std::size_t next = (gap + 1) & mask(); slots[next] != empty; next = (next + 1) & mask()) {
        const std::size_t home = hash_of(slots[next] - 1) & mask();
        // The entry at `next` may move back only if its home is not in (gap, next].
        const bool stays = gap <= next ? (gap < home && home <= next) : (gap < home || home <= next);
        if (stays) continue;
        slots[gap] = slots[next];
        gap = next;
      }
      slots[gap] = empty;
      return true;
    }

    // Marks `slot`, not moved yet, as gone without moving anything.
    bool bury(Slot slot, std::uint64_t hash, std::size_t moved) {
      const auto found = position(slot, hash, moved);
      if (found) slots[*found] = buried;
      return found.has_value();
    }
  };

  void start_growing() {
    Table bigger(table_.capacity == 0 ? 16 : table_.capacity * 2);
    old_ = std::move(table_);
    table_ = std::move(bigger);
    moved_ = 0;
    if (old_.capacity == 0 || size_ == 0) old_ = Table();
  }

  // Copies the entries of up to `positions` old positions into the new table.
  template <typename HashOf>
  void move_some(HashOf& hash_of, std::size_t positions) {
    for (; positions > 0 && moved_ < old_.capacity; --positions, ++moved_) {
      const Slot entry = old_.slots[moved_];
      if (entry != empty && entry != buried) table_.place(entry - 1, hash_of(entry - 1));
    }
    if (moved_ == old_.capacity) old_ = Table();
  }

  Table table_;
  Table old_;              // while growing: the table before, read-only but for tombstones
  std::size_t moved_ = 0;  // old positions below this are in table_ (or were erased)
  std::size_t size_ = 0;
};

}  // namespace ab::sim
