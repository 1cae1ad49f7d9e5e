// The progress display as users see it: the real binary under a
// pseudo-terminal of a given width (what the screen receives), and with
// stderr to a file (what a log receives).
#include "e2e/support/e2e.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <pty.h>
#include <regex>
#include <sstream>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ab::e2e {
namespace {

struct Screen {
  int exit_code = -1;
  std::string bytes;  // everything the terminal received
};

// Runs the CLI with a pseudo-terminal of `columns` as its controlling
// terminal and stdin, stdout and stderr.
Screen run_in_terminal(const std::vector<std::string>& args, std::map<std::string, std::string> env,
                       unsigned short columns) {
  int master = -1, slave = -1;
  winsize size{};
  size.ws_col = columns;
  size.ws_row = 24;
  if (::openpty(&master, &slave, nullptr, nullptr, &size) != 0) {
    ADD_FAILURE() << "openpty: " << std::strerror(errno);
    return {};
  }
  env.emplace("PATH", "/usr/bin:/bin");
  env.emplace("TERM", "xterm");
  std::vector<std::string> argv_strings{AB_BINARY}, env_strings = child_environment(env);
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(master);
    ::setsid();
    ::ioctl(slave, TIOCSCTTY, 0);
    ::dup2(slave, 0);
    ::dup2(slave, 1);
    ::dup2(slave, 2);
    std::vector<char*> argv, envp;
    for (auto& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(slave);
  Screen screen;
  char buffer[4096];
  for (;;) {
    const auto n = ::read(master, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EIO once the child and its terminal are gone
    screen.bytes.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) screen.exit_code = WEXITSTATUS(status);
  return screen;
}

std::string without_escapes(const std::string& text) {
  static const std::regex escape("\033\\[[0-9;]*[A-Za-z]");
  return std::regex_replace(text, escape, "");
}

// The screen's lines, each as the frames drawn over one another on it.
std::vector<std::vector<std::string>> lines_and_frames(std::string bytes) {
  std::vector<std::vector<std::string>> lines;
  // The terminal turns each line end into \r\n.
  for (std::size_t at; (at = bytes.find("\r\n")) != std::string::npos;) bytes.replace(at, 2, "\n");
  std::istringstream in(bytes);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> frames;
    std::istringstream frames_in(line);
    std::string frame;
    while (std::getline(frames_in, frame, '\r'))
      if (!frame.empty()) frames.push_back(frame);
    lines.push_back(frames);
  }
  return lines;
}

class ProgressInTerminal : public ::testing::TestWithParam<unsigned short> {};

TEST_P(ProgressInTerminal, EveryFrameFitsAndRedrawsStayOnOneLine) {
  const unsigned short columns = GetParam();
  SimOptions slow;
  slow.latency = std::chrono::milliseconds(40);
  Simulator sim(slow);
  ScratchDir dir;
  write_file(dir.file("job.csv"), nf_create_rows(60, 10));
  auto screen = run_in_terminal({"run", dir.file("job.csv").string(), "--job", "nf.create", "--concurrency", "2"},
                                sim_environment(sim.start()), columns);
  ASSERT_EQ(screen.exit_code, 1) << screen.bytes;

  const auto lines = lines_and_frames(screen.bytes);
  // The progress line (every frame of it), then the two lines of the summary.
  ASSERT_EQ(lines.size(), 3u) << screen.bytes;
  EXPECT_GE(lines[0].size(), 2u) << "redrawn in place at least once:\n" << screen.bytes;
  for (const auto& frame : lines[0]) {
    const auto visible = without_escapes(frame);
    EXPECT_LT(visible.size(), columns) << "'" << visible << "'";
  }
  // The summary's lines are printed once, never redrawn: they fit 80 columns.
  for (std::size_t i = 1; i < lines.size(); ++i) EXPECT_LE(without_escapes(lines[i][0]).size(), 80u) << lines[i][0];
  // The last frame says what the summary says.
  const auto last = without_escapes(lines[0].back());
  EXPECT_NE(last.find("60 rows:"), std::string::npos) << last;
  EXPECT_NE(last.find("54 ok"), std::string::npos) << last;
  EXPECT_NE(without_escapes(lines[1][0]).find("60 rows ended: 54 ok, 6 invalid"), std::string::npos)
      << screen.bytes;
}

INSTANTIATE_TEST_SUITE_P(Widths, ProgressInTerminal, ::testing::Values(80, 40, 200));

TEST(ProgressInTerminalColour, ColourOnATerminalUnlessNoColor) {
  Simulator sim({});
  ScratchDir dir;
  write_file(dir.file("job.csv"), nf_create_rows(10, 10));
  auto env = sim_environment(sim.start());
  const std::vector<std::string> args{"run", dir.file("job.csv").string(), "--job", "nf.create"};
  const auto coloured = run_in_terminal(args, env, 80);
  EXPECT_NE(coloured.bytes.find("\033[32m"), std::string::npos) << coloured.bytes;
  std::filesystem::remove(dir.file("job.results.csv"));
  std::filesystem::remove(dir.file("job.results.csv.journal"));
  env["NO_COLOR"] = "1";
  const auto plain = run_in_terminal(args, env, 80);
  EXPECT_EQ(plain.bytes.find("\033[3"), std::string::npos) << plain.bytes;
  EXPECT_NE(plain.bytes.find("\r\033[K"), std::string::npos) << "still redrawn in place";
}

TEST(ProgressInALog, OneTimestampedLineEachInterval) {
  SimOptions slow;
  slow.latency = std::chrono::milliseconds(40);
  Simulator sim(slow);
  ScratchDir dir;
  write_file(dir.file("job.csv"), nf_create_rows(40, 10));
  auto result = run_cli(cli({"run", dir.file("job.csv").string(), "--job", "nf.create", "--concurrency", "1",
                          "--progress-interval", "200ms"},
                         sim_environment(sim.start())));
  ASSERT_EQ(result.exit_code, 1) << result.err;
  static const std::regex progress_line(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ progress: \d+% +\d+ rows: \d+ ok, \d+ invalid, \d+ failed, \d+ unknown  \d+ rows/s  ETA .*)");
  std::istringstream in(result.err);
  std::string line;
  std::size_t progress_lines = 0;
  while (std::getline(in, line)) {
    EXPECT_EQ(line.find('\r'), std::string::npos);
    EXPECT_EQ(line.find('\033'), std::string::npos);
    if (line.find("progress:") == std::string::npos) continue;
    ++progress_lines;
    EXPECT_TRUE(std::regex_match(line, progress_line)) << line;
  }
  EXPECT_GE(progress_lines, 1u) << result.err;
}

}  // namespace
}  // namespace ab::e2e
