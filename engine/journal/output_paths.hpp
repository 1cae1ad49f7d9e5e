// The files a run reads and writes, checked before anything is sent: no two
// of them may be one file (the results written over the job file, --metrics
// over the results), and none may be a symbolic link to nowhere (its target
// would be created wherever the link points).
#pragma once

#include "engine/run/run_options.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace ab {

// Why the run must not start, or nullopt. `results` is where the results go
// (--out or the default beside the job file); `results_given` says whether
// the user chose it: a job file that is not a regular file (/dev/stdin, a
// pipe) has no "beside" to put them, so --out is then required.
std::optional<std::string> output_path_problem(const RunSettings& options, const std::filesystem::path& results,
                                               bool results_given);

}  // namespace ab
