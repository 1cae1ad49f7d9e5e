// An append-only array in fixed-size chunks: growing never copies what is
// stored, so a store of millions of entries never holds an old and a new
// copy of itself at once (std::vector's doubling would, for a moment).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace ab::sim {

template <typename T, std::size_t ChunkSize = 65'536>
class ChunkedVector {
 public:
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  T& push_back(T value) {
    if (size_ == chunks_.size() * ChunkSize) chunks_.push_back(std::make_unique_for_overwrite<T[]>(ChunkSize));
    T& slot = chunks_[size_ / ChunkSize][size_ % ChunkSize];
    slot = std::move(value);
    ++size_;
    return slot;
  }

  T& operator[](std::size_t i) { return chunks_[i / ChunkSize][i % ChunkSize]; }
  const T& operator[](std::size_t i) const { return chunks_[i / ChunkSize][i % ChunkSize]; }

  // What the chunks and their table occupy.
  std::size_t bytes() const {
    return chunks_.size() * ChunkSize * sizeof(T) + chunks_.capacity() * sizeof(std::unique_ptr<T[]>);
  }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace ab::sim
