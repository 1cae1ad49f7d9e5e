#include "e2e/support/e2e.hpp"
#include "support/marks_directory.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ab::e2e {

ScratchDir::ScratchDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("ab-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

// Splits one results line; ids and errors may be quoted (RFC 4180).
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

std::map<std::size_t, ResultLine> read_results(const std::filesystem::path& file) {
  std::map<std::size_t, ResultLine> results;
  std::istringstream in(read_file(file));
  std::string line;
  if (!std::getline(in, line) || !line.starts_with("row,status,http_status,id,attempts,error")) {
    ADD_FAILURE() << file << ": bad header '" << line << "'";
    return results;
  }
  const std::size_t fields = split_csv_line(line).size();
  while (std::getline(in, line)) {
    auto f = split_csv_line(line);
    if (f.size() != fields) {
      ADD_FAILURE() << file << ": bad line '" << line << "'";
      continue;
    }
    const auto row = std::stoul(f[0]);
    ResultLine r{f[1], f[2].empty() ? 0u : static_cast<unsigned>(std::stoul(f[2])), f[3],
                 f[4].empty() ? 0u : static_cast<unsigned>(std::stoul(f[4])), f[5],
                 std::vector<std::string>(f.begin() + 6, f.end())};
    if (!results.emplace(row, r).second) ADD_FAILURE() << file << ": row " << row << " has two final lines";
  }
  return results;
}

std::size_t count_status(const std::map<std::size_t, ResultLine>& results, const std::string& status) {
  std::size_t n = 0;
  for (const auto& [row, r] : results) n += r.status == status;
  return n;
}

boost::json::object stats(const Simulator& sim) { return boost::json::parse(sim.stats_json()).as_object(); }

std::uint64_t violations(const Simulator& sim) {
  auto s = stats(sim);
  return s.at("total_violations").to_number<std::uint64_t>();
}

std::uint64_t store_count(const Simulator& sim, const char* key) {
  auto s = stats(sim);
  const auto* store = s.if_contains("store");
  if (!store || !store->is_object() || !store->as_object().if_contains(key)) {
    ADD_FAILURE() << "no store." << key << " in /__stats";
    return 0;
  }
  return store->as_object().at(key).to_number<std::uint64_t>();
}

std::uint64_t answers(const Simulator& sim, unsigned status) {
  auto s = stats(sim);
  std::uint64_t n = 0;
  for (const auto& [endpoint, by_status] : s.at("requests").as_object())
    for (const auto& [code, count] : by_status.as_object())
      if (status == 0 || code == std::to_string(status)) n += count.to_number<std::uint64_t>();
  return n;
}

std::map<std::int64_t, std::uint64_t> window_counts(const Simulator& sim, const char* budget) {
  std::map<std::int64_t, std::uint64_t> counts;
  const auto s = stats(sim);
  const auto* windows = s.at("windows").as_object().if_contains(budget);
  if (!windows) return counts;
  for (const auto& [reset, n] : windows->as_object())
    counts[std::stoll(std::string(reset))] = n.to_number<std::uint64_t>();
  return counts;
}

RunOptions options_for(const SimEndpoints& sim, const std::filesystem::path& job, const std::string& kind) {
  RunOptions o;
  o.job_file = job;
  o.kind = kind;
  o.job.nf = NeuroflashEndpoints{sim.nf_api, sim.nf_token_url, "", sim.client_id, sim.client_secret};
  o.job.tw = TwitterEndpoints{sim.tw_api, sim.tw_account, sim.consumer_key, sim.consumer_secret, sim.access_token,
                              sim.access_token_secret};
  o.install_signal_handlers = false;
  o.progress = 0;
  o.timeout = std::chrono::seconds(5);
  o.marks_directory = test::marks_directory();
  return o;
}

std::map<std::string, std::string> sim_environment(const SimEndpoints& sim) {
  return {{"NEUROFLASH_API_URL", sim.nf_api},         {"NEUROFLASH_TOKEN_URL", sim.nf_token_url},
          {"NEUROFLASH_CLIENT_ID", sim.client_id},     {"NEUROFLASH_CLIENT_SECRET", sim.client_secret},
          {"TWITTER_ADS_API_URL", sim.tw_api},         {"TWITTER_ADS_ACCOUNT_ID", sim.tw_account},
          {"TWITTER_CONSUMER_KEY", sim.consumer_key},  {"TWITTER_CONSUMER_SECRET", sim.consumer_secret},
          {"TWITTER_ACCESS_TOKEN", sim.access_token},  {"TWITTER_ACCESS_TOKEN_SECRET", sim.access_token_secret}};
}

std::string nf_create_rows(std::size_t rows, std::size_t invalid_every, const std::string& prefix) {
  std::ostringstream job;
  job << "name,female,male,nonBinary,preferNotToSay,country,minAge,maxAge,interests\n";
  for (std::size_t i = 1; i <= rows; ++i) {
    const bool invalid = invalid_every && i % invalid_every == 0;
    job << prefix << " " << i << (invalid ? ",0.5,0.5,0.1,0" : ",0.7,0.1,0.1,0.1") << ",US,25,45,AI|content\n";
  }
  return job.str();
}

void make_loopback_certificate(const std::filesystem::path& cert, const std::filesystem::path& key) {
  const std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
                              "-addext subjectAltName=IP:127.0.0.1 -keyout " + key.string() + " -out " +
                              cert.string() + " 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

int kill_at_random_moments(ChildOptions child, int tries, std::chrono::milliseconds shortest,
                           std::chrono::milliseconds longest, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<std::chrono::milliseconds::rep> moment(shortest.count(), longest.count());
  int kills = 0;
  for (int i = 0; i < tries; ++i) {
    child.kill_after = std::chrono::milliseconds(moment(random));
    const auto result = run_cli(child);
    kills += result.killed;
    if (!result.killed) break;
  }
  EXPECT_GE(kills, 2) << "the job finished too fast to be killed: make it longer";
  return kills;
}

std::vector<std::string> child_environment(const std::map<std::string, std::string>& env) {
  std::vector<std::string> strings{"PATH=/usr/bin:/bin"};
  if (const char* marks = std::getenv("AUDIENCE_BATCH_MARKS_DIR"))
    strings.push_back(std::string("AUDIENCE_BATCH_MARKS_DIR=") + marks);
  for (const auto& [k, v] : env) strings.push_back(k + "=" + v);
  return strings;
}

ChildOptions cli(std::vector<std::string> args, std::map<std::string, std::string> env) {
  return ChildOptions{std::move(args), std::move(env), std::nullopt, std::nullopt};
}

namespace {

// Whether process `pid` has a handler for `signal` (SigCgt in /proc/PID/status).
bool catches(pid_t pid, int signal) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (!line.starts_with("SigCgt:")) continue;
    const auto mask = std::stoull(line.substr(7), nullptr, 16);
    return (mask >> (signal - 1)) & 1U;
  }
  return false;
}

std::uintmax_t size_or_zero(const std::filesystem::path& file) {
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  return error ? 0 : size;
}

}  // namespace

ChildResult run_cli(const ChildOptions& options, const std::optional<std::string>& stdin_text) {
  ScratchDir io;
  const auto out_file = io.file("stdout"), err_file = io.file("stderr"), in_file = io.file("stdin");
  if (stdin_text) write_file(in_file, *stdin_text);
  std::vector<std::string> env_strings = child_environment(options.env);
  std::vector<std::string> args{AB_BINARY};
  args.insert(args.end(), options.args.begin(), options.args.end());

  const auto grows = options.kill_counted_from_growth_of;
  const std::uintmax_t size_at_fork = grows ? size_or_zero(*grows) : 0;
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (stdin_text) ::dup2(::open(in_file.c_str(), O_RDONLY), 0);
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ChildResult result;
  int status = 0;
  bool reaped = false;
  // Waits up to `after` for the child to end; signals it if it has not.
  const auto signal_after = [&](std::chrono::milliseconds after, int signal) {
    const auto until = std::chrono::steady_clock::now() + after;
    while (!reaped && std::chrono::steady_clock::now() < until) {
      reaped = ::waitpid(pid, &status, WNOHANG) == pid;
      if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (!reaped) ::kill(pid, signal);
  };
  // Waits, up to 10 s, until `begun` says the run has got where the signal is counted from.
  const auto wait_until_begun = [&](auto begun) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!reaped && !begun() && std::chrono::steady_clock::now() < until) {
      reaped = ::waitpid(pid, &status, WNOHANG) == pid;
      if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  };
  if (options.kill_after) {
    if (grows) wait_until_begun([&] { return size_or_zero(*grows) > size_at_fork; });
    signal_after(*options.kill_after, SIGKILL);
  } else if (options.term_after) {
    // Counted from when the child catches the signal (its run has begun): a
    // sanitized binary, or any on a loaded machine, may take longer than the
    // delay to get there. A SIGKILL's counts from the fork unless told
    // otherwise: a crash may come at any moment.
    wait_until_begun([&] { return catches(pid, options.term_signal); });
    signal_after(*options.term_after, options.term_signal);
    if (options.second_term_after) signal_after(*options.second_term_after, options.term_signal);
  }
  if (!reaped) ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  result.killed = WIFSIGNALED(status);
  result.out = read_file(out_file);
  result.err = read_file(err_file);
  return result;
}

}  // namespace ab::e2e
