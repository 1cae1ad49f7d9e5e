// Gathers valid tasks into requests of at most N rows (10 for a batch
// endpoint, 200 ids for a lookup) and, when the kind says so, at most M bytes.
// Tasks with different Task::batch_key never share a request (tw.members: one
// audience per request); each key's tasks keep their order. A partial batch
// goes out after a short linger, at end of input, or when more tasks wait
// across keys than the policy lets wait. Plain class: the time is passed in.
#pragma once

#include "engine/run/clock.hpp"
#include "engine/run/job_kind.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ab {

class Batcher {
 public:
  explicit Batcher(BatchPolicy policy);
  // Adds a task; returns a batch when this task completes one (its key's
  // batch is full, or would be over max_bytes with it, or too many wait).
  std::optional<std::vector<Task>> add(Task task, SteadyTime now);
  // The partial batch when its oldest task has waited `linger`, else nullopt.
  std::optional<std::vector<Task>> poll(SteadyTime now);
  // When poll() will next have something to give; nullopt when empty.
  std::optional<SteadyTime> deadline() const;
  // One key's pending tasks, the oldest key first (end of input: call until
  // empty()); empty when nothing is pending.
  std::vector<Task> flush();
  bool empty() const { return groups_.empty(); }

 private:
  struct Group {
    std::string key;
    std::vector<Task> tasks;
    std::size_t bytes = 0;
    SteadyTime oldest{};
  };
  Group& group_for(const std::string& key, SteadyTime now);
  std::vector<Task> take(std::size_t index);

  BatchPolicy policy_;
  std::vector<Group> groups_;  // in the order their first task came
  std::size_t pending_ = 0;    // tasks across groups
};

}  // namespace ab
