#include "app/standard_streams.hpp"

#include <cstdlib>
#include <fstream>
#include <istream>
#include <ostream>

namespace ab {

namespace {

// A directory of our own under $TMPDIR, removed with what is in it.
class PrivateDirectory {
 public:
  PrivateDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "audience-batch-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path_ = pattern;
  }
  ~PrivateDirectory() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  PrivateDirectory(const PrivateDirectory&) = delete;
  PrivateDirectory& operator=(const PrivateDirectory&) = delete;
  bool made() const { return !path_.empty(); }
  std::filesystem::path file(const char* name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

Summary refused(std::string error, std::ostream& log) {
  log << "audience-batch: error: " << error << "\n";
  Summary s;
  s.exit_code = 2;
  s.error = std::move(error);
  return s;
}

}  // namespace

Summary run_job_with_standard_streams(const RunOptions& given, std::istream& in, std::ostream& out,
                                      std::ostream& log) {
  const bool job_from_stdin = given.job_file == "-";
  const bool results_to_stdout = given.out == "-";
  if (!job_from_stdin && !results_to_stdout) return run_job(given, log);

  PrivateDirectory scratch;
  if (!scratch.made()) return refused("cannot make a temporary directory for standard input or output", log);
  RunOptions options = given;
  if (job_from_stdin) {
    options.job_file = scratch.file("job.csv");
    std::ofstream spool(options.job_file, std::ios::binary);
    spool << in.rdbuf();
    spool.close();
    if (!spool || in.bad()) return refused("cannot read the job from standard input", log);
  }
  if (results_to_stdout) options.out = scratch.file("results.csv");
  Summary s = run_job(options, log);
  if (results_to_stdout && std::filesystem::exists(options.out)) {
    std::ifstream results(options.out, std::ios::binary);
    out << results.rdbuf();
    out.flush();
  }
  return s;
}

}  // namespace ab
