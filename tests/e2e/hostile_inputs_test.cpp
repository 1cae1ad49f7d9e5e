// Issue 21: a hostile but realistic user. Bad headers, flags, paths and URLs
// are refused with exit 2 before anything is sent (the referee counts no
// request, no results file is made); a closed stderr pipe does not stop a
// run; a certificate that does not verify ends the run at once; on a full
// disk every answer received is kept and a rerun sends nothing until there
// is room again (the disk: a 64 KiB tmpfs, grown by a remount).
#include "e2e/support/e2e.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>

namespace ab::e2e {
namespace {

namespace fs = std::filesystem;

std::string tw_create_job(std::size_t rows) {
  std::ostringstream job;
  job << "name,description\n";
  for (std::size_t i = 1; i <= rows; ++i) job << "Hostile audience " << i << ",made by a test\n";
  return job.str();
}

std::vector<std::string> run_args(const fs::path& job, const std::vector<std::string>& more) {
  std::vector<std::string> args{"run", job.string(), "--job", "tw.create", "--progress", "lines"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// The whole of stderr is one line: cron mails and log greps show the reason whole.
void expect_one_error_line(const ChildResult& r) {
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("audience-batch: error: ", 0), 0u) << r.err;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

ChildOptions child(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  ChildOptions options;
  options.args = std::move(args);
  options.env = std::move(env);
  return options;
}

struct Fixture {
  Simulator sim{SimOptions{}};
  SimEndpoints where = sim.start();
  ScratchDir dir;
  fs::path job = dir.file("job.csv");
  Fixture() { write_file(job, tw_create_job(3)); }
  ChildResult run(const std::vector<std::string>& more, std::map<std::string, std::string> extra_env = {}) {
    auto env = sim_environment(where);
    for (auto& [k, v] : extra_env) env[k] = v;
    return run_cli(child(run_args(job, more), env));
  }
};

// ---- 3. a header missing a required column -------------------------------

TEST(HostileInputs, AHeaderMissingARequiredColumnIsRefusedBeforeAnyRequest) {
  Fixture f;
  write_file(f.job, "nmae,description\nA,x\nB,y\nC,z\n");
  const auto r = f.run({});
  EXPECT_EQ(r.exit_code, 2);
  expect_one_error_line(r);
  EXPECT_TRUE(contains(r.err, "missing required column 'name'")) << r.err;
  EXPECT_TRUE(contains(r.err, "the header has 'nmae'")) << r.err;
  EXPECT_EQ(answers(f.sim), 0u) << "not even a login";
  EXPECT_FALSE(fs::exists(f.dir.file("job.results.csv"))) << "nothing recorded";
  EXPECT_FALSE(fs::exists(f.dir.file("job.results.csv.journal")));

  const auto checked = run_cli(child({"check", f.job.string(), "--job", "tw.create"}));
  EXPECT_EQ(checked.exit_code, 2);
  EXPECT_TRUE(contains(checked.err, "missing required column 'name'")) << checked.err;

  // Fixed, the rerun sends every row.
  write_file(f.job, "name,description\nA,x\nB,y\nC,z\n");
  const auto fixed = f.run({});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(count_status(read_results(f.dir.file("job.results.csv")), "ok"), 3u);
  EXPECT_EQ(store_count(f.sim, "tw_creates"), 3u);
}

// ---- 11. long options: exact names only ------------------------------------

TEST(HostileInputs, APrefixOfALongOptionIsNotTakenForIt) {
  Fixture f;
  // --retry is an option of its own now; --max was read as --max-attempts.
  const auto retry = f.run({"--max", "3"});
  EXPECT_EQ(retry.exit_code, 2);
  expect_one_error_line(retry);
  EXPECT_TRUE(contains(retry.err, "unknown option --max")) << retry.err;

  const auto short_name = f.run({"--concurr", "4"});
  EXPECT_EQ(short_name.exit_code, 2);
  EXPECT_TRUE(contains(short_name.err, "unknown option --concurr (did you mean --concurrency?)")) << short_name.err;

  const auto typo = f.run({"--deadlin", "1h"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_TRUE(contains(typo.err, "did you mean --deadline?")) << typo.err;

  const auto sim = run_cli(child({"sim", "--retry-after", "0.5"}));
  EXPECT_EQ(sim.exit_code, 2);
  EXPECT_TRUE(contains(sim.err, "unknown option --retry-after (did you mean --retry-after-share?)")) << sim.err;

  EXPECT_EQ(answers(f.sim), 0u);
  EXPECT_FALSE(fs::exists(f.dir.file("job.results.csv")));
}

// ---- 4. budget names and flags that would do nothing ------------------------

TEST(HostileInputs, AnUnknownBudgetNameIsRefusedNamingTheValidOnes) {
  Fixture f;
  const auto misspelt = f.run({"--rate", "tw.totalcount=1/1s"});
  EXPECT_EQ(misspelt.exit_code, 2);
  expect_one_error_line(misspelt);
  EXPECT_TRUE(contains(misspelt.err, "no budget is named \"tw.totalcount\" (did you mean tw.total_count?)"))
      << misspelt.err;
  EXPECT_TRUE(contains(misspelt.err, "the budgets are nf, nf.token, tw, tw.total_count")) << misspelt.err;

  const auto bogus = f.run({"--rate", "bogus=5/1s"});
  EXPECT_EQ(bogus.exit_code, 2);
  EXPECT_TRUE(contains(bogus.err, "no budget is named \"bogus\"; the budgets are nf, nf.token, tw, tw.total_count"))
      << bogus.err;
  EXPECT_EQ(answers(f.sim), 0u);
  EXPECT_FALSE(fs::exists(f.dir.file("job.results.csv")));
}

TEST(HostileInputs, FlagsThatWouldDoNothingAreRefusedOrWarnedAbout) {
  Fixture f;
  const auto create = f.run({"--create"});
  EXPECT_EQ(create.exit_code, 2);
  EXPECT_TRUE(contains(create.err, "--create is for --job nf.url-import only, not tw.create")) << create.err;

  const auto model = f.run({"--audience-model", "abc"});
  EXPECT_EQ(model.exit_code, 2);
  EXPECT_TRUE(contains(model.err, "--audience-model is for --job nf.url-import only")) << model.err;

  const auto sim_and_api = f.run({"--sim", "--tw-api", f.where.tw_api});
  EXPECT_EQ(sim_and_api.exit_code, 2);
  EXPECT_TRUE(contains(sim_and_api.err, "--tw-api does nothing with --sim")) << sim_and_api.err;
  EXPECT_EQ(answers(f.sim), 0u);
  EXPECT_FALSE(fs::exists(f.dir.file("job.results.csv")));

  // A budget or endpoint of the other API is harmless: said, and the run goes on.
  const auto other_api = f.run({"--rate", "nf=5/1s", "--nf-workspace", "ws-1"});
  EXPECT_EQ(other_api.exit_code, 0) << other_api.err;
  EXPECT_TRUE(contains(other_api.err, "warning: --rate nf does nothing for tw.create")) << other_api.err;
  EXPECT_TRUE(contains(other_api.err, "warning: --nf-workspace does nothing for tw.create")) << other_api.err;
  EXPECT_EQ(store_count(f.sim, "tw_creates"), 3u);
}

// ---- 2. two roles, one file -------------------------------------------------

TEST(HostileInputs, OutputsThatAreTheSameFileAreRefusedBeforeAnythingIsSent) {
  Fixture f;
  const std::string job_text = read_file(f.job);
  const auto out = f.dir.file("out.csv");
  struct Case {
    std::vector<std::string> flags;
    std::string says;
  };
  // `./` and a symlink reach the same file as its plain name.
  fs::create_symlink(f.job, f.dir.file("job-link.csv"));
  const auto dot_job = (f.dir.path() / "." / "job.csv").string();
  for (const auto& c : std::vector<Case>{
           {{"--metrics", f.job.string()}, "the job file and --metrics are the same file"},
           {{"--responses", dot_job}, "the job file and --responses are the same file"},
           {{"--out", f.dir.file("job-link.csv").string()}, "the job file and --out are the same file"},
           {{"--out", out.string(), "--responses", out.string()}, "--out and --responses are the same file"},
           {{"--out", out.string(), "--metrics", (f.dir.path() / "." / "out.csv").string()},
            "--out and --metrics are the same file"},
           {{"--responses", f.dir.file("r.jsonl").string(), "--metrics", f.dir.file("r.jsonl").string()},
            "--responses and --metrics are the same file"},
           {{"--out", out.string(), "--responses", out.string() + ".journal"},
            "the results' journal and --responses are the same file"},
       }) {
    const auto r = f.run(c.flags);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    expect_one_error_line(r);
    EXPECT_TRUE(contains(r.err, c.says)) << r.err;
  }
  EXPECT_EQ(answers(f.sim), 0u);
  EXPECT_EQ(read_file(f.job), job_text) << "the job file is untouched";
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(f.dir.file("job.results.csv")));

  // An existing results file reached through a symlink is the same file too.
  ASSERT_EQ(f.run({"--out", out.string()}).exit_code, 0);
  const std::string results_text = read_file(out);
  fs::create_symlink(out, f.dir.file("metrics-link.prom"));
  const auto linked = f.run({"--out", out.string(), "--metrics", f.dir.file("metrics-link.prom").string()});
  EXPECT_EQ(linked.exit_code, 2);
  EXPECT_TRUE(contains(linked.err, "--out and --metrics are the same file")) << linked.err;
  EXPECT_EQ(read_file(out), results_text) << "the created ids stay";
  EXPECT_EQ(store_count(f.sim, "tw_creates"), 3u);
}

// ---- 7. ports out of range ---------------------------------------------------

// A listener on the port that 99999 wraps to (99999 - 65536): it must see no connection.
struct WrappedPortListener {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  bool listening = false;
  WrappedPortListener() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(99999 - 65536);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    listening = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && ::listen(fd, 8) == 0;
  }
  ~WrappedPortListener() { ::close(fd); }
  bool connected() const { return ::accept(fd, nullptr, nullptr) >= 0; }
};

TEST(HostileInputs, AUrlWhosePortIsOutOfRangeIsRefusedBeforeAnyConnection) {
  Fixture f;
  write_file(f.dir.file("nf.csv"), "id\nabc\n");
  const auto nf_job = f.dir.file("nf.csv").string();
  WrappedPortListener wrapped;
  struct Case {
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string says;
  };
  for (const auto& c : std::vector<Case>{
           {{"--nf-token-url", "http://127.0.0.1:99999/oauth/v2/token"}, {}, "--nf-token-url: "},
           {{"--nf-api", "http://127.0.0.1:0/api"}, {}, "--nf-api: "},
           {{"--nf-api", "http://127.0.0.1:/api"}, {}, "--nf-api: "},
           {{"--nf-api", "http://127.0.0.1:65536/api"}, {}, "--nf-api: "},
           {{}, {{"NEUROFLASH_TOKEN_URL", "http://127.0.0.1:99999/token"}}, "NEUROFLASH_TOKEN_URL: "},
           {{}, {{"NEUROFLASH_API_URL", "http://127.0.0.1:123456/api"}}, "NEUROFLASH_API_URL: "},
           {{}, {{"TWITTER_ADS_API_URL", "http://127.0.0.1:99999/8"}}, "TWITTER_ADS_API_URL: "},
           {{"--tw-api", "http://127.0.0.1:99999/8"}, {}, "--tw-api: "},
       }) {
    auto env = sim_environment(f.where);
    for (const auto& [k, v] : c.env) env[k] = v;
    std::vector<std::string> args{"run", nf_job, "--job", "nf.get"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run_cli(child(args, env));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    expect_one_error_line(r);
    EXPECT_TRUE(contains(r.err, c.says)) << r.err;
    EXPECT_TRUE(contains(r.err, "a port is a number from 1 to 65535")) << r.err;
    EXPECT_FALSE(contains(r.err, f.where.client_secret)) << "no secret is printed";
  }
  if (wrapped.listening) {
    EXPECT_FALSE(wrapped.connected()) << "the secret went to the wrapped port";
  }
  EXPECT_EQ(answers(f.sim), 0u);
  EXPECT_FALSE(fs::exists(f.dir.file("nf.results.csv")));
}

// ---- 5. a closed stderr pipe -------------------------------------------------

// The CLI with a pipe for stdin (`input`, unless empty) and, for stderr and
// stdout, a pipe nobody reads (`2>&1 | head -n 1` once head has gone) or
// `err_file`.
struct Pipes {
  std::string input;
  bool output_closed = false;
  fs::path err_file;
};

ChildResult run_with_pipes(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                           const Pipes& pipes) {
  int in[2] = {-1, -1}, out[2] = {-1, -1};
  if (!pipes.input.empty()) {
    EXPECT_EQ(::pipe(in), 0);
    EXPECT_EQ(::write(in[1], pipes.input.data(), pipes.input.size()), static_cast<ssize_t>(pipes.input.size()));
    ::close(in[1]);
  }
  if (pipes.output_closed) {
    EXPECT_EQ(::pipe(out), 0);
    ::close(out[0]);  // the reader is gone before the first write
  }
  ChildOptions strings = child(args, env);
  strings.args.insert(strings.args.begin(), AB_BINARY);
  std::vector<std::string> env_strings = child_environment(env);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::signal(SIGPIPE, SIG_DFL);  // as a shell would start it
    if (in[0] >= 0) ::dup2(in[0], 0);
    const int err = pipes.output_closed ? out[1] : ::open(pipes.err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(err, 2);
    if (pipes.output_closed) ::dup2(err, 1);
    std::vector<char*> argv, envp;
    for (auto& a : strings.args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  if (in[0] >= 0) ::close(in[0]);
  if (out[1] >= 0) ::close(out[1]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ChildResult r;
  r.killed = WIFSIGNALED(status);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (!pipes.err_file.empty()) r.err = read_file(pipes.err_file);
  return r;
}

TEST(HostileInputs, AClosedStderrPipeDoesNotStopTheRun) {
  Fixture f;
  write_file(f.job, tw_create_job(300));
  const auto r = run_with_pipes(run_args(f.job, {"--concurrency", "4"}), sim_environment(f.where),
                                {.input = {}, .output_closed = true, .err_file = {}});
  EXPECT_FALSE(r.killed) << "killed by SIGPIPE";
  EXPECT_EQ(r.exit_code, 0);
  const auto results = read_results(f.dir.file("job.results.csv"));
  EXPECT_EQ(results.size(), 300u);
  EXPECT_EQ(count_status(results, "ok"), 300u);
  EXPECT_EQ(store_count(f.sim, "tw_creates"), 300u);

  // A refusal still exits 2, not 141.
  const auto refused = run_with_pipes({"run", f.job.string(), "--job", "tw.nothing"}, {},
                                      {.input = {}, .output_closed = true, .err_file = {}});
  EXPECT_FALSE(refused.killed);
  EXPECT_EQ(refused.exit_code, 2);
}

// ---- 10. decimals, non-regular job files, dangling symlinks -------------------

TEST(HostileInputs, TimeoutsTakeDecimalsLikeBareNumbers) {
  Fixture f;
  const auto decimal = f.run({"--timeout", "2.5"});
  EXPECT_EQ(decimal.exit_code, 0) << decimal.err;
  const auto with_unit = f.run({"--timeout", "0.5m", "--out", f.dir.file("b.csv").string()});
  EXPECT_EQ(with_unit.exit_code, 0) << with_unit.err;
  const auto too_fine = f.run({"--timeout", "0.0005", "--out", f.dir.file("c.csv").string()});
  EXPECT_EQ(too_fine.exit_code, 2);
  EXPECT_TRUE(contains(too_fine.err, "finer than a millisecond")) << too_fine.err;
  EXPECT_EQ(store_count(f.sim, "tw_creates"), 6u);
}

TEST(HostileInputs, AJobFileThatIsNotARegularFileNeedsOut) {
  Fixture f;
  const auto env = sim_environment(f.where);
  const auto refused = run_with_pipes({"run", "/dev/stdin", "--job", "tw.create"}, env,
                                      {.input = tw_create_job(3), .output_closed = false, .err_file = f.dir.file("err1")});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_TRUE(contains(refused.err, "/dev/stdin is not a regular file")) << refused.err;
  EXPECT_TRUE(contains(refused.err, "give --out FILE")) << refused.err;
  EXPECT_FALSE(fs::exists("/dev/stdin.results.csv"));
  EXPECT_EQ(answers(f.sim), 0u);

  const auto out = f.dir.file("from-stdin.csv");
  const auto ran = run_with_pipes({"run", "/dev/stdin", "--job", "tw.create", "--out", out.string()}, env,
                                  {.input = tw_create_job(3), .output_closed = false, .err_file = f.dir.file("err2")});
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(count_status(read_results(out), "ok"), 3u);
  EXPECT_EQ(store_count(f.sim, "tw_creates"), 3u);
}

TEST(HostileInputs, DanglingSymlinksAtTheResultsOrItsJournalAreRefused) {
  Fixture f;
  const auto target = f.dir.file("elsewhere.csv");
  fs::create_symlink(target, f.dir.file("job.results.csv"));
  const auto results_link = f.run({});
  EXPECT_EQ(results_link.exit_code, 2);
  expect_one_error_line(results_link);
  EXPECT_TRUE(contains(results_link.err, "is a symbolic link to a file that does not exist")) << results_link.err;
  EXPECT_FALSE(fs::exists(target)) << "its target is not created";

  fs::remove(f.dir.file("job.results.csv"));
  const auto journal_target = f.dir.file("elsewhere.journal");
  fs::create_symlink(journal_target, f.dir.file("job.results.csv.journal"));
  const auto journal_link = f.run({});
  EXPECT_EQ(journal_link.exit_code, 2);
  EXPECT_TRUE(contains(journal_link.err, "the results' journal")) << journal_link.err;
  EXPECT_FALSE(fs::exists(journal_target));
  EXPECT_FALSE(fs::exists(f.dir.file("job.results.csv")));

  const auto metrics_target = f.dir.file("gone/metrics.prom");
  fs::remove(f.dir.file("job.results.csv.journal"));
  fs::create_symlink(metrics_target, f.dir.file("m.prom"));
  const auto metrics_link = f.run({"--metrics", f.dir.file("m.prom").string()});
  EXPECT_EQ(metrics_link.exit_code, 2);
  EXPECT_TRUE(contains(metrics_link.err, "--metrics")) << metrics_link.err;
  EXPECT_EQ(answers(f.sim), 0u);
}

// ---- 8. a certificate that does not verify ----------------------------------------

class UntrustedTls : public ::testing::Test {
 protected:
  ScratchDir dir;
  fs::path cert = dir.file("cert.pem"), key = dir.file("key.pem");
  void make_certificate(const std::string& name) {
    const std::string command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
                                " -subj /CN=" + name + " -addext subjectAltName=DNS:" + name + " -keyout " +
                                key.string() + " -out " + cert.string() + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << "openssl could not make a test certificate";
  }
  SimOptions tls_options() const {
    SimOptions options;
    options.tls_cert = cert.string();
    options.tls_key = key.string();
    return options;
  }
  // figure from the --metrics file: "audience_batch_NAME{...} N"
  static std::uint64_t metric(const std::string& text, const std::string& name) {
    const auto at = text.find("\naudience_batch_" + name + "{");
    if (at == std::string::npos) return 999;
    const auto space = text.find("} ", at);
    return std::stoull(text.substr(space + 2));
  }
};

TEST_F(UntrustedTls, ASelfSignedCertificateEndsTheRunAtOnceWithExitTwo) {
  make_certificate("127.0.0.1");
  Simulator sim(tls_options());
  const auto where = sim.start();
  write_file(dir.file("job.csv"), tw_create_job(5));
  const auto r = run_cli(child({"run", dir.file("job.csv").string(), "--job", "tw.create", "--max-attempts", "8",
                                "--concurrency", "1", "--metrics", dir.file("m.prom").string()},
                               sim_environment(where)));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "TLS: the certificate of 127.0.0.1")) << r.err;
  EXPECT_TRUE(contains(r.err, "self-signed certificate")) << r.err;
  const auto metrics = read_file(dir.file("m.prom"));
  EXPECT_EQ(metric(metrics, "requests_total"), 1u) << "one attempt, no retry:\n" << metrics;
  EXPECT_EQ(metric(metrics, "retries_total"), 0u) << metrics;
  EXPECT_EQ(answers(sim), 0u);
  EXPECT_EQ(store_count(sim, "tw_creates"), 0u);
  // No row is final: the rerun with the right CA sends them all.
  const auto results = read_results(dir.file("job.results.csv"));
  EXPECT_TRUE(results.empty());
}

TEST_F(UntrustedTls, ACertificateForAnotherHostNamesTheHost) {
  make_certificate("other.example");
  Simulator sim(tls_options());
  const auto where = sim.start();
  write_file(dir.file("job.csv"), tw_create_job(5));
  const auto r = run_cli(
      child({"run", dir.file("job.csv").string(), "--job", "tw.create", "--ca-file", cert.string()},
            sim_environment(where)));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "TLS: the certificate of 127.0.0.1")) << r.err;
  EXPECT_TRUE(contains(r.err, "not issued to 127.0.0.1")) << r.err;
  EXPECT_EQ(answers(sim), 0u);
}

// ---- 6. a full disk ---------------------------------------------------------------

// `rows` tw.create rows of `job` whose results go to a 64 KiB tmpfs: the
// first run stops with every answer kept, a rerun on the still-full disk
// sends nothing, and one after the disk grew finishes every row once.
void fill_the_disk(const std::string& job, std::size_t rows, const std::vector<std::string>& more_args) {
  ScratchDir dir;
  const auto small = dir.file("small");
  fs::create_directories(small);
  if (::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=64k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno) << ")";
  struct Unmount {
    fs::path at;
    ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
  } unmount{small};

  // 3,000 creates: X's published 450 writes a minute would make this a test of pacing.
  SimOptions options;
  options.tw_published_budgets = false;
  Simulator sim(options);
  const auto where = sim.start();
  write_file(dir.file("job.csv"), job);
  const auto out = small / "results.csv";
  ChildOptions run;
  run.args = {"run", dir.file("job.csv").string(), "--job", "tw.create", "--out", out.string(), "--progress", "lines"};
  run.args.insert(run.args.end(), more_args.begin(), more_args.end());
  run.env = sim_environment(where);

  const auto first = run_cli(run);
  EXPECT_EQ(first.exit_code, 3) << first.err;
  // Whichever of the results file and its sidecar found the disk full first.
  EXPECT_TRUE(contains(first.err, out.string() + ": No space left on device") ||
              contains(first.err, out.string() + ".journal: No space left on device"))
      << first.err;
  const auto kept = read_results(out);
  ASSERT_GT(kept.size(), 0u);
  ASSERT_LT(kept.size(), rows);
  EXPECT_EQ(count_status(kept, "ok"), kept.size());
  // Every create the simulator carried out has its row ok, with its id, on disk.
  EXPECT_EQ(store_count(sim, "tw_creates"), kept.size());
  std::set<std::string> ids;
  for (const auto& [row, r] : kept) {
    EXPECT_FALSE(r.id.empty()) << "row " << row;
    ids.insert(r.id);
  }
  EXPECT_EQ(ids.size(), kept.size());
  // The summary counts what is on disk.
  const std::string n = std::to_string(kept.size());
  EXPECT_TRUE(contains(first.err, "summary: " + n + " rows ended: " + n + " ok")) << first.err;

  // The disk is still full: nothing is sent, and the reason is said.
  const auto requests_before = answers(sim);
  const auto second = run_cli(run);
  EXPECT_EQ(second.exit_code, 2) << second.err;
  EXPECT_TRUE(contains(second.err, "No space left on device")) << second.err;
  EXPECT_TRUE(contains(second.err, "nothing was sent")) << second.err;
  EXPECT_EQ(answers(sim), requests_before);
  EXPECT_EQ(read_results(out).size(), kept.size());

  // Space freed: the rest is sent, the rows answered before keep their ids.
  ASSERT_EQ(::mount("tmpfs", small.c_str(), "tmpfs", MS_REMOUNT, "size=4m"), 0) << std::strerror(errno);
  const auto third = run_cli(run);
  EXPECT_EQ(third.exit_code, 0) << third.err;
  const auto all = read_results(out);
  EXPECT_EQ(all.size(), rows);
  EXPECT_EQ(count_status(all, "ok"), rows);
  for (const auto& [row, r] : kept) EXPECT_EQ(all.at(row).id, r.id) << "row " << row;
  EXPECT_EQ(store_count(sim, "tw_creates"), rows) << "none created twice";
}

TEST(FullDisk, EveryAnswerIsKeptARerunOnAFullDiskSendsNothingAndOneWithRoomFinishes) {
  fill_the_disk(tw_create_job(3000), 3000, {"--concurrency", "4"});
}

// Echoed cells make a final line longer than the room reckoned for a row
// (256 bytes): the room held grows with the widest echo read.
TEST(FullDisk, WideEchoedCellsAreCountedInTheRoomHeld) {
  constexpr std::size_t rows = 400;
  std::ostringstream job;
  job << "name,description\n";
  for (std::size_t i = 1; i <= rows; ++i) job << "Wide audience " << i << "," << std::string(1500, 'w') << "\n";
  fill_the_disk(job.str(), rows, {"--echo", "description", "--concurrency", "16"});
}

}  // namespace
}  // namespace ab::e2e
