// The figures a run ends with (SPEC.md §7), as the engine counts them.
#pragma once

#include <cstdint>
#include <string>

namespace ab {

struct Summary {
  std::uint64_t rows_ok = 0;
  std::uint64_t rows_invalid = 0;
  std::uint64_t rows_failed = 0;
  std::uint64_t rows_unknown = 0;
  std::uint64_t rows_skipped = 0;         // already final in the results file (resume)
  std::uint64_t rows_left = 0;            // not final when the run stopped early
  std::uint64_t requests = 0;
  std::uint64_t retries = 0;
  std::uint64_t throttled = 0;            // 429 answers
  double seconds = 0;
  int exit_code = 0;                      // SPEC.md §7: 0, 1, 2 or 3
  std::string error;                      // why, when exit_code is 2 or 3
};

}  // namespace ab
