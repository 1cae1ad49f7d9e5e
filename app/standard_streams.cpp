#include "app/standard_streams.hpp"

#include <cstdlib>
#include <fstream>
#include <istream>
#include <ostream>
#include <streambuf>
#include <string>

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

// Every `from` in `text` written as `to`.
void rename_in(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// Passes text on to `target` a line (or a redraw, or a flush) at a time,
// with every `from` in it written as `to`: the spooled job's temporary path
// as "standard input" in whatever a run says.
class RenamingBuffer : public std::streambuf {
 public:
  RenamingBuffer(std::streambuf* target, std::string from, std::string to)
      : target_(target), from_(std::move(from)), to_(std::move(to)) {}
  ~RenamingBuffer() override { sync(); }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return sync() == 0 ? 0 : traits_type::eof();
    pending_ += traits_type::to_char_type(c);
    if (c == '\n' || c == '\r') return sync() == 0 ? c : traits_type::eof();
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i)
      if (traits_type::eq_int_type(overflow(traits_type::to_int_type(s[i])), traits_type::eof())) return i;
    return n;
  }
  int sync() override {
    rename_in(pending_, from_, to_);
    const auto size = static_cast<std::streamsize>(pending_.size());
    const bool written = target_->sputn(pending_.data(), size) == size;
    pending_.clear();
    return written && target_->pubsync() == 0 ? 0 : -1;
  }

 private:
  std::streambuf* target_;
  std::string from_, to_;
  std::string pending_;
};

constexpr const char* kStandardInput = "standard input";

// Copies standard input to `file`; false when either fails.
bool spool(std::istream& in, const std::filesystem::path& file) {
  std::ofstream copy(file, std::ios::binary);
  // An empty input copies nothing, which << takes for a failure: the empty
  // file is then refused for what it is (no header).
  if (in.peek() != std::istream::traits_type::eof()) copy << in.rdbuf();
  copy.close();
  return copy && !in.bad();
}

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
    if (!spool(in, options.job_file)) return refused("cannot read the job from standard input", log);
  }
  if (results_to_stdout) options.out = scratch.file("results.csv");
  RenamingBuffer renaming(log.rdbuf(), job_from_stdin ? options.job_file.string() : std::string(), kStandardInput);
  std::ostream renamed(&renaming);
  Summary s = run_job(options, renamed);
  renamed.flush();
  if (job_from_stdin) rename_in(s.error, options.job_file.string(), kStandardInput);
  if (results_to_stdout && std::filesystem::exists(options.out)) {
    std::ifstream results(options.out, std::ios::binary);
    out << results.rdbuf();
    out.flush();
  }
  return s;
}

CheckSummary check_job_with_standard_input(const RunOptions& given, std::istream& in, std::ostream& report) {
  if (given.job_file != "-") return check_job(given, report);
  CheckSummary s;
  s.exit_code = 2;
  PrivateDirectory scratch;
  if (!scratch.made()) {
    s.error = "cannot make a temporary directory for standard input";
    return s;
  }
  RunOptions options = given;
  options.job_file = scratch.file("job.csv");
  if (!spool(in, options.job_file)) {
    s.error = "cannot read the job from standard input";
    return s;
  }
  s = check_job(options, report);
  rename_in(s.error, options.job_file.string(), kStandardInput);
  return s;
}

}  // namespace ab
