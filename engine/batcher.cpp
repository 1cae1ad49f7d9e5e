#include "engine/batcher.hpp"

#include <algorithm>
#include <utility>

namespace ab {

Batcher::Batcher(BatchPolicy policy) : policy_(policy) {
  policy_.max_rows = std::max<std::size_t>(1, policy_.max_rows);
  pending_.reserve(policy_.max_rows);
}

std::optional<std::vector<Task>> Batcher::add(Task task, SteadyTime now) {
  if (pending_.empty()) oldest_ = now;
  pending_.push_back(std::move(task));
  if (pending_.size() < policy_.max_rows) return std::nullopt;
  return flush();
}

std::optional<std::vector<Task>> Batcher::poll(SteadyTime now) {
  const auto due = deadline();
  if (!due || now < *due) return std::nullopt;
  return flush();
}

std::optional<SteadyTime> Batcher::deadline() const {
  if (pending_.empty()) return std::nullopt;
  return oldest_ + policy_.linger;
}

std::vector<Task> Batcher::flush() {
  std::vector<Task> batch;
  batch.reserve(policy_.max_rows);
  batch.swap(pending_);
  return batch;
}

}  // namespace ab
