// Each distinct text stored once and named by a 32-bit number: a profile's
// country, gender split or list of interests repeats across millions of
// audiences, so an audience keeps the number and the pool the text.
#pragma once

#include "sim/store/chunked_vector.hpp"
#include "sim/store/hash_slots.hpp"
#include "sim/store/text_arena.hpp"

#include <cstdint>
#include <string_view>

namespace ab::sim {

class InternPool {
 public:
  using Id = std::uint32_t;

  Id intern(std::string_view text);
  std::string_view text(Id id) const { return texts_.get(refs_[id]); }
  std::size_t size() const { return refs_.size(); }
  std::size_t bytes() const { return texts_.bytes() + refs_.bytes() + index_.bytes(); }

 private:
  TextArena texts_;
  ChunkedVector<TextArena::Ref, 4096> refs_;
  HashSlots index_;
};

}  // namespace ab::sim
