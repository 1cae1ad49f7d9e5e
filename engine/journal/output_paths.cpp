#include "engine/journal/output_paths.hpp"

#include "engine/journal/journal.hpp"

#include <sys/stat.h>

#include <vector>

namespace ab {

namespace {

namespace fs = std::filesystem;

struct NamedPath {
  std::string role;  // "the job file", "--out", ...
  fs::path path;
};

// Two paths name one file when they reach the same inode (through symlinks,
// "./", hard links) or, for files not made yet, the same place once the
// directories on the way are resolved.
bool same_file(const fs::path& a, const fs::path& b) {
  struct stat sa {}, sb {};
  const bool a_exists = ::stat(a.c_str(), &sa) == 0;
  const bool b_exists = ::stat(b.c_str(), &sb) == 0;
  if (a_exists && b_exists) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  if (a_exists != b_exists) return false;
  std::error_code ea, eb;
  const auto ca = fs::weakly_canonical(fs::absolute(a), ea);
  const auto cb = fs::weakly_canonical(fs::absolute(b), eb);
  return !ea && !eb && ca == cb;
}

bool dangling_symlink(const fs::path& path) {
  std::error_code ec;
  return fs::is_symlink(fs::symlink_status(path, ec)) && !fs::exists(path, ec);
}

}  // namespace

std::optional<std::string> output_path_problem(const RunSettings& options, const fs::path& results,
                                               bool results_given) {
  std::error_code ec;
  const auto job_status = fs::status(options.job_file, ec);
  if (!results_given && fs::exists(job_status) && !fs::is_regular_file(job_status))
    return options.job_file.string() +
           " is not a regular file (a pipe or a device): give --out FILE for the results, which cannot go beside it";

  std::vector<NamedPath> paths{{"the job file", options.job_file},
                               {results_given ? "--out" : "the results file", results},
                               {"the results' journal", sidecar_path(results)}};
  if (!options.responses.empty()) paths.push_back({"--responses", options.responses});
  if (!options.metrics.empty()) paths.push_back({"--metrics", options.metrics});

  for (std::size_t i = 1; i < paths.size(); ++i) {
    if (dangling_symlink(paths[i].path))
      return paths[i].role + " " + paths[i].path.string() +
             " is a symbolic link to a file that does not exist: refusing to create its target; remove the link or "
             "name another file";
  }
  for (std::size_t i = 0; i < paths.size(); ++i) {
    for (std::size_t j = i + 1; j < paths.size(); ++j) {
      if (same_file(paths[i].path, paths[j].path))
        return paths[i].role + " and " + paths[j].role + " are the same file (" + paths[j].path.string() +
               "): each needs a file of its own";
    }
  }
  return std::nullopt;
}

}  // namespace ab
