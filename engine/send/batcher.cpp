#include "engine/send/batcher.hpp"

#include <algorithm>
#include <utility>

namespace ab {

Batcher::Batcher(BatchPolicy policy) : policy_(policy) {
  policy_.max_rows = std::max<std::size_t>(1, policy_.max_rows);
  if (policy_.max_pending == 0) policy_.max_pending = 4 * policy_.max_rows;
}

Batcher::Group& Batcher::group_for(const std::string& key, SteadyTime now) {
  for (auto& group : groups_)
    if (group.key == key) return group;
  Group& group = groups_.emplace_back();
  group.key = key;
  group.oldest = now;
  group.tasks.reserve(std::min<std::size_t>(policy_.max_rows, 4096));
  return group;
}

std::vector<Task> Batcher::take(std::size_t index) {
  std::vector<Task> batch = std::move(groups_[index].tasks);
  pending_ -= batch.size();
  groups_.erase(groups_.begin() + static_cast<std::ptrdiff_t>(index));
  return batch;
}

std::optional<std::vector<Task>> Batcher::add(Task task, SteadyTime now) {
  std::optional<std::vector<Task>> out;
  const std::size_t bytes = task.batch_bytes;
  auto index = static_cast<std::size_t>(&group_for(task.batch_key, now) - groups_.data());
  // A task that would take its key's batch over the byte limit starts the next one.
  if (policy_.max_bytes && !groups_[index].tasks.empty() && groups_[index].bytes + bytes > policy_.max_bytes) {
    std::string key = task.batch_key;
    out = take(index);
    index = static_cast<std::size_t>(&group_for(key, now) - groups_.data());
  }
  Group& group = groups_[index];
  group.tasks.push_back(std::move(task));
  group.bytes += bytes;
  ++pending_;
  // With max_rows >= 2 a batch just cut for its bytes leaves one task here,
  // and with max_rows 1 none is ever cut for its bytes: at most one batch a call.
  if (group.tasks.size() >= policy_.max_rows) return take(index);
  if (out) return out;
  if (pending_ > policy_.max_pending) {
    const auto biggest = std::max_element(groups_.begin(), groups_.end(), [](const Group& a, const Group& b) {
      return a.tasks.size() < b.tasks.size();
    });
    return take(static_cast<std::size_t>(biggest - groups_.begin()));
  }
  return std::nullopt;
}

std::optional<std::vector<Task>> Batcher::poll(SteadyTime now) {
  const auto due = deadline();
  if (!due || now < *due) return std::nullopt;
  return flush();
}

std::optional<SteadyTime> Batcher::deadline() const {
  if (groups_.empty()) return std::nullopt;
  return groups_.front().oldest + policy_.linger;
}

std::vector<Task> Batcher::flush() {
  if (groups_.empty()) return {};
  return take(0);
}

}  // namespace ab
