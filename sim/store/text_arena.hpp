// Append-only storage for many short texts (audience names, interned field
// values): each is its length (a varint) and its bytes in 64 KiB blocks,
// named by a 32-bit position, so a stored name costs its bytes plus one or
// two, not a std::string's 32 plus a heap block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace ab::sim {

class TextArena {
 public:
  using Ref = std::uint32_t;
  static constexpr std::size_t block_size = std::size_t{1} << 16;

  // Stores `text`; throws std::length_error once 4 GiB of positions are used.
  Ref add(std::string_view text);
  std::string_view get(Ref ref) const;
  std::size_t bytes() const { return reserved_; }

 private:
  char* room_for(std::size_t size, Ref& ref);

  std::vector<std::unique_ptr<char[]>> blocks_;  // a text longer than a block spans several positions
  std::size_t used_ = 0;                          // next free position
  std::size_t reserved_ = 0;
};

}  // namespace ab::sim
