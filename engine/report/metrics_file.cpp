#include "engine/report/metrics_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <unistd.h>

namespace ab {

namespace {

// The value of the first sample of `name` in exposition text.
std::optional<double> sample_value(std::string_view text, std::string_view name) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const auto line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.starts_with(name) || line.size() == name.size()) continue;
    const char next = line[name.size()];
    if (next != '{' && next != ' ') continue;
    const auto space = line.rfind(' ');
    double value = 0;
    if (std::sscanf(std::string(line.substr(space + 1)).c_str(), "%lf", &value) == 1) return value;
  }
  return std::nullopt;
}

}  // namespace

LastRun parse_last_run(std::string_view text) {
  LastRun last;
  last.end_time = sample_value(text, "audience_batch_last_run_end_timestamp_seconds");
  if (auto code = sample_value(text, "audience_batch_last_exit_code")) last.exit_code = static_cast<int>(*code);
  last.success_time = sample_value(text, "audience_batch_last_success_timestamp_seconds");
  return last;
}

LastRun after_run(const LastRun& before, double end_time, int exit_code) {
  LastRun last = before;
  last.end_time = end_time;
  last.exit_code = exit_code;
  if (exit_code == 0) last.success_time = end_time;
  return last;
}

std::string write_atomically(const std::filesystem::path& file, const std::string& text) {
  // Beside the target, so that rename stays on one file system; not ending
  // in .prom, so that the textfile collector never reads it.
  auto temporary = file;
  temporary += ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot write " + temporary.string() + ": " + std::strerror(errno);
  std::size_t written = 0;
  while (written < text.size()) {
    const auto n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(temporary.c_str());
      return "cannot write " + temporary.string() + ": " + why;
    }
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (::rename(temporary.c_str(), file.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temporary.c_str());
    return "cannot replace " + file.string() + ": " + why;
  }
  return {};
}

}  // namespace ab
