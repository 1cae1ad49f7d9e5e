// Gathers valid tasks into requests of at most N rows (10 for a batch
// endpoint, 200 ids for a lookup). A partial batch goes out after a short
// linger or at end of input. Plain class: the time is passed in.
#pragma once

#include "engine/clock.hpp"
#include "engine/job_kind.hpp"

#include <optional>
#include <vector>

namespace ab {

class Batcher {
 public:
  explicit Batcher(BatchPolicy policy);
  // Adds a task; returns a full batch when this task completes one.
  std::optional<std::vector<Task>> add(Task task, SteadyTime now);
  // The partial batch when its oldest task has waited `linger`, else nullopt.
  std::optional<std::vector<Task>> poll(SteadyTime now);
  // When poll() will next have something to give; nullopt when empty.
  std::optional<SteadyTime> deadline() const;
  // Whatever is pending (end of input); empty when nothing is.
  std::vector<Task> flush();
  bool empty() const { return pending_.empty(); }

 private:
  BatchPolicy policy_;
  std::vector<Task> pending_;
  SteadyTime oldest_{};
};

}  // namespace ab
