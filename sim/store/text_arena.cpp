#include "sim/store/text_arena.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace ab::sim {

namespace {

constexpr std::size_t position_limit = std::size_t{std::numeric_limits<TextArena::Ref>::max()} + 1;

std::size_t varint_size(std::size_t n) {
  std::size_t size = 1;
  for (; n >= 0x80; n >>= 7) ++size;
  return size;
}

}  // namespace

char* TextArena::room_for(std::size_t size, Ref& ref) {
  const std::size_t end_of_blocks = blocks_.size() * block_size;
  if (used_ + size > end_of_blocks) {
    // A new block, on a block boundary; a text longer than a block gets one
    // of its own size and the positions of as many blocks as it covers.
    const std::size_t span = std::max<std::size_t>(1, (size + block_size - 1) / block_size);
    if (end_of_blocks + span * block_size > position_limit) throw std::length_error("simulator text store full (4 GiB)");
    const std::size_t allocated = span * block_size;
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(allocated));
    for (std::size_t i = 1; i < span; ++i) blocks_.emplace_back();
    reserved_ += allocated;
    used_ = end_of_blocks;
    if (span > 1) {  // nothing else goes into a long text's blocks
      ref = static_cast<Ref>(used_);
      used_ = blocks_.size() * block_size;
      return blocks_[end_of_blocks / block_size].get();
    }
  }
  ref = static_cast<Ref>(used_);
  char* at = blocks_[used_ / block_size].get() + used_ % block_size;
  used_ += size;
  return at;
}

TextArena::Ref TextArena::add(std::string_view text) {
  Ref ref = 0;
  char* at = room_for(varint_size(text.size()) + text.size(), ref);
  std::size_t n = text.size();
  for (; n >= 0x80; n >>= 7) *at++ = static_cast<char>((n & 0x7f) | 0x80);
  *at++ = static_cast<char>(n);
  if (!text.empty()) std::memcpy(at, text.data(), text.size());
  return ref;
}

std::string_view TextArena::get(Ref ref) const {
  const char* at = blocks_[ref / block_size].get() + ref % block_size;
  std::size_t size = 0;
  for (unsigned shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(*at++);
    size |= std::size_t{byte & 0x7fu} << shift;
    if (byte < 0x80) break;
  }
  return {at, size};
}

}  // namespace ab::sim
