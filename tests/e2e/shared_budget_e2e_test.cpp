// Several processes, one account: the real binary four times at once against
// one simulator, its budgets shared through a real redis-server started
// here. The referee counts what the server saw: 429s, broken rules, each
// audience created once, and when the first and the last answer went out.
// Also --shard (every row exactly once across four results files, merged by
// `report`) and the store's faults (unreachable at start, killed and
// restarted mid-run).
#include "e2e/support/e2e.hpp"
#include "support/redis_server.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <optional>
#include <sstream>
#include <thread>

namespace ab::e2e {
namespace {

using namespace std::chrono_literals;

std::string count_job(std::size_t rows, const std::string& prefix) {
  std::ostringstream job;
  job << "q\n";
  for (std::size_t i = 1; i <= rows; ++i) job << prefix << " " << i << "\n";
  return job.str();
}

std::string create_job(std::size_t rows, const std::string& prefix) { return nf_create_rows(rows, 0, prefix); }

// The children at once. Started with posix_spawn from this thread and waited
// for here: run_cli on several threads would fork while another thread may
// hold the allocator's lock, and a child could hang before its exec.
std::vector<ChildResult> run_together(const std::vector<ChildOptions>& children) {
  ScratchDir io;
  std::vector<pid_t> pids;
  for (std::size_t i = 0; i < children.size(); ++i) {
    std::vector<std::string> args{AB_BINARY};
    args.insert(args.end(), children[i].args.begin(), children[i].args.end());
    std::vector<std::string> env = child_environment(children[i].env);
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    const auto out = io.file("out" + std::to_string(i)), err = io.file("err" + std::to_string(i));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = -1;
    EXPECT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()), 0);
    posix_spawn_file_actions_destroy(&actions);
    pids.push_back(pid);
  }
  std::vector<ChildResult> results(children.size());
  for (std::size_t i = 0; i < pids.size(); ++i) {
    int status = 0;
    if (pids[i] > 0 && ::waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status))
      results[i].exit_code = WEXITSTATUS(status);
    results[i].out = read_file(io.file("out" + std::to_string(i)));
    results[i].err = read_file(io.file("err" + std::to_string(i)));
  }
  return results;
}

// Seconds between the first and the last answer on `endpoint`, as the server saw them.
double makespan(const Simulator& sim, const char* endpoint) {
  const auto all = stats(sim);
  const auto& span = all.at("span").at(endpoint).as_object();
  return span.at("last").to_number<double>() - span.at("first").to_number<double>();
}

// How full the server's windows were over the steady part of a run: every
// window of `window_s` seconds strictly between the first and the last one
// that let a request through (those two are cut by the start and the end),
// empty ones included, as the referee counted them. Nothing here depends on
// how fast the machine is, only on whether each window's budget was sent.
struct SteadyUse {
  double used = 0;       // requests let through / (limit x windows)
  double median = 0;     // the middle window's count / limit
  std::size_t windows = 0;
  std::string counts;    // each window's count, for the failure message
};

SteadyUse steady_use(const std::map<std::int64_t, std::uint64_t>& by_reset, std::uint64_t limit,
                     std::int64_t window_s) {
  SteadyUse use;
  if (by_reset.size() < 3) return use;
  std::uint64_t sent = 0;
  std::vector<std::uint64_t> each;
  for (auto reset = by_reset.begin()->first + window_s; reset < by_reset.rbegin()->first; reset += window_s) {
    const auto it = by_reset.find(reset);
    const std::uint64_t n = it == by_reset.end() ? 0 : it->second;
    sent += n;
    each.push_back(n);
    ++use.windows;
    use.counts += (use.counts.empty() ? "" : " ") + std::to_string(n);
  }
  if (use.windows) {
    use.used = static_cast<double>(sent) / static_cast<double>(limit * use.windows);
    std::sort(each.begin(), each.end());
    use.median = static_cast<double>(each[each.size() / 2]) / static_cast<double>(limit);
  }
  return use;
}

ChildOptions child(const SimEndpoints& where, std::vector<std::string> args) {
  args.insert(args.end(), {"--progress", "lines"});
  return ChildOptions{std::move(args), sim_environment(where), std::nullopt, std::nullopt};
}

// Processes that run at once, the p-th (from 1) over a job file of its own,
// `<stem><p>.csv`, whose results go beside it.
struct Fleet {
  const ScratchDir& dir;
  std::string stem;
  int processes;

  std::filesystem::path job(int p) const { return dir.file(stem + std::to_string(p) + ".csv"); }
  std::filesystem::path results(int p) const { return dir.file(stem + std::to_string(p) + ".results.csv"); }

  // Writes each job file from `text(p)`; each child runs `run JOB --job KIND` and `flags`.
  std::vector<ChildOptions> children(const SimEndpoints& where, const std::function<std::string(int)>& text,
                                     const std::string& kind, const std::vector<std::string>& flags) const {
    std::vector<ChildOptions> all;
    for (int p = 1; p <= processes; ++p) {
      write_file(job(p), text(p));
      std::vector<std::string> args{"run", job(p).string(), "--job", kind};
      args.insert(args.end(), flags.begin(), flags.end());
      all.push_back(child(where, std::move(args)));
    }
    return all;
  }

  // Every run ended 0 with a line for each of its `rows` rows, all `ok`.
  void expect_every_row_ok(const std::vector<ChildResult>& runs, std::size_t rows) const {
    for (int p = 1; p <= processes; ++p) {
      EXPECT_EQ(runs[p - 1].exit_code, 0) << runs[p - 1].err;
      const auto lines = read_results(results(p));
      EXPECT_EQ(lines.size(), rows) << stem << p;
      EXPECT_EQ(count_status(lines, "ok"), rows) << stem << p;
    }
  }
};

// What the server saw of runs that shared its budget well: no 429, no rule broken.
void expect_no_429_and_no_broken_rule(const Simulator& sim) {
  EXPECT_EQ(answers(sim, 429), 0u) << sim.stats_json();
  EXPECT_EQ(violations(sim), 0u) << sim.stats_json();
}

// A simulator whose neuroflash budget is `per_second` requests a second.
SimOptions nf_limited_to(unsigned per_second) {
  SimOptions o;
  o.nf_rate_limit = per_second;
  o.nf_rate_window = 1s;
  return o;
}

// `prefix p` and the row's number name each row of the p-th process.
std::function<std::string(int)> creates(std::size_t rows, const std::string& prefix) {
  return [=](int p) { return create_job(rows, prefix + " " + std::to_string(p)); };
}

TEST(SharedBudgetE2e, FourCountRunsShareTheTotalCountBudgetWithoutA429) {
  test::RedisServer redis;
  SimOptions tight;
  tight.total_count_limit = 200;
  tight.total_count_window = 10s;
  Simulator sim(tight);
  const auto where = sim.start();
  ScratchDir dir;
  const Fleet fleet{dir, "count", 4};
  const auto runs = run_together(fleet.children(
      where, [](int p) { return count_job(100, "Newsletter " + std::to_string(p)); }, "tw.count",
      {"--rate", "tw.total_count=200/10s", "--concurrency", "8", "--budget-store", redis.url()}));
  fleet.expect_every_row_ok(runs, 100);
  expect_no_429_and_no_broken_rule(sim);
  // In the server's own windows, not in seconds: the 400 counts fill two
  // windows of 200, and the second opens with the first count after the
  // first window ends (its reset a window after the first's; a window opens
  // on the whole second of its first request, so a count sent later than the
  // first reset plus a second would name a later one).
  const auto counts = window_counts(sim, "tw.total_count");
  std::string held;
  for (const auto& [reset, n] : counts) held += " " + std::to_string(reset) + ":" + std::to_string(n);
  std::cerr << "four tw.count runs, 400 rows, 200/10s: windows (reset:counts)" << held << ", first to last answer "
            << makespan(sim, "tw.list") << " s\n";
  ASSERT_EQ(counts.size(), 2u) << "two full windows, no third:" << held;
  EXPECT_EQ(counts.begin()->second, 200u) << held;
  EXPECT_EQ(counts.rbegin()->second, 200u) << held;
  EXPECT_EQ(counts.rbegin()->first - counts.begin()->first, 10) << "no window left idle between them:" << held;
}

// Where the server stands from the runs: `path_delay` away each way (a
// request counted that late), its clock `clock_behind` ours, answering
// after `latency`; and the runs' --concurrency (0: their default).
struct ServerSide {
  std::chrono::milliseconds path_delay{0};
  std::chrono::milliseconds clock_behind{0};
  std::chrono::milliseconds latency{0};
  unsigned concurrency = 0;
};

// `processes` runs of nf.create, `rows` each, at --rate nf=500/1s against a
// server budget of 500/1s (sharing `store` when given), as far as `server`
// says: never over, no rule broken, the
// middle steady window at least 95 % used and all of them together at least
// 90 %, as the referee counted them. (A test machine loaded by the tests
// beside this one can stall a window, 422 of 500 once in a clean-clone CI
// with the others at 460-500; an engine that falls short falls short in most.)
void create_runs_fill_the_servers_windows(int processes, std::size_t rows, const std::string& store,
                                          ServerSide server = {}) {
  SimOptions options = nf_limited_to(500);
  options.path_delay = server.path_delay;
  options.clock_behind = server.clock_behind;
  options.latency = server.latency;
  const auto path_delay = server.path_delay;
  Simulator sim(options);
  const auto where = sim.start();
  ScratchDir dir;
  const Fleet fleet{dir, "create", processes};
  std::vector<std::string> flags{"--rate", "nf=500/1s"};
  if (!store.empty()) flags.insert(flags.end(), {"--budget-store", store});
  if (server.concurrency > 0) flags.insert(flags.end(), {"--concurrency", std::to_string(server.concurrency)});
  const auto runs = run_together(fleet.children(where, creates(rows, "Process"), "nf.create", flags));
  fleet.expect_every_row_ok(runs, rows);
  if (server.clock_behind > 0ms) {
    // Its first window's edge may come before its clock's lag is known.
    EXPECT_LE(answers(sim, 429), static_cast<std::uint64_t>(processes)) << sim.stats_json();
    EXPECT_EQ(violations(sim), 0u) << sim.stats_json();
  } else {
    expect_no_429_and_no_broken_rule(sim);
  }
  EXPECT_EQ(store_count(sim, "nf_creates"), rows * processes);
  const auto counts = window_counts(sim, "nf");
  for (const auto& [reset, n] : counts) EXPECT_LE(n, 500u) << "the window ending at " << reset;
  const auto use = steady_use(counts, 500, 1);
  std::cerr << processes << " nf.create run(s), " << rows * processes << " rows, 500/1s, " << path_delay.count()
            << " ms away, its clock " << server.clock_behind.count() << " ms behind: " << use.windows
            << " steady windows held " << use.counts << ": " << use.used * 100 << " % of the budget used\n";
  EXPECT_GE(use.windows, 3u) << "the run is too short to have a steady part";
  EXPECT_GE(use.median, 0.95) << "steady windows: " << use.counts;
  EXPECT_GE(use.used, 0.90) << "steady windows: " << use.counts;
}

TEST(SharedBudgetE2e, OneCreateRunUsesTheServersWindowsAndNeverGoesOver) {
  create_runs_fill_the_servers_windows(1, 3000, "");
}

TEST(SharedBudgetE2e, FourCreateRunsUseTheSharedRateAndNeverGoOver) {
  test::RedisServer redis;
  create_runs_fill_the_servers_windows(4, 750, redis.url());
}

// A server 40 ms away each way: the guard band follows the round trips (80
// ms and more, four times its fixed floor) and every window is still filled.
TEST(SharedBudgetE2e, OneCreateRunFarFromTheServerNeverGoesOver) {
  // 500 round trips of 80 ms a second.
  create_runs_fill_the_servers_windows(1, 3000, "", {.path_delay = 40ms, .concurrency = 64});
}

TEST(SharedBudgetE2e, FourCreateRunsFarFromTheServerShareTheRateAndNeverGoOver) {
  test::RedisServer redis;
  create_runs_fill_the_servers_windows(4, 750, redis.url(), {.path_delay = 40ms, .concurrency = 64});
}

// The server's clock 2.5 s behind ours, more than a window: every reset it
// names has passed on our clock when we hear it. Read that way, no answer
// ever said where the budget stands, and a request went alone after each
// answer: 100 a second at 10 ms a round trip, a fifth of each window. The
// lag its answers show (server_clock.hpp) puts the resets back where they
// are: every window filled, still never over.
TEST(SharedBudgetE2e, AServerWhoseClockIsSecondsBehindStillHasItsWindowsFilled) {
  create_runs_fill_the_servers_windows(1, 3000, "", {.clock_behind = 2500ms, .latency = 10ms, .concurrency = 8});
}

TEST(SharedBudgetE2e, FourRunsSharingARateWithAServerWhoseClockIsSecondsBehindFillItsWindows) {
  test::RedisServer redis;
  create_runs_fill_the_servers_windows(4, 750, redis.url(),
                                       {.clock_behind = 2500ms, .latency = 10ms, .concurrency = 8});
}

// The store's clock 300 ms behind the runs' and the server's, as another
// machine's may be. Each run's own budget lets a window's first sends go at
// its reset; the store's script counts the window from the same reset on
// its own clock. Read as the runs heard it, the reset passed there 300 ms
// later: the count began after the window's first sends, and the window's
// budget went a second time (184 and 210 refusals in two tries). Each take
// brings the store's time back (store_clock.hpp), and resets go to it on its
// clock.
TEST(SharedBudgetE2e, FourRunsSharingAStoreWhoseClockIsBehindFillTheServersWindowsWithoutARefusal) {
  test::RedisServer redis(-300ms);
  create_runs_fill_the_servers_windows(4, 750, redis.url());
}

// ... and 300 ms ahead: its count would begin before the window's first
// sends (the runs' own budgets still hold them until the reset).
TEST(SharedBudgetE2e, FourRunsSharingAStoreWhoseClockIsAheadFillTheServersWindowsWithoutARefusal) {
  test::RedisServer redis(300ms);
  create_runs_fill_the_servers_windows(4, 750, redis.url());
}

// The server's clock 300 ms behind ours, and the run's sends all at the
// start of each window: read on our clock, each reset opens a window early,
// while the server still counts the one it has spent. Its answers show the
// lag (server_clock.hpp): at least how late we sent before its resets, at
// most how soon after its Date's tick we heard it, and the band covers what
// lies between. It was refused 4-5 times in 7 windows before the band, 0-2
// since; every row still ends ok, each audience made once.
TEST(SharedBudgetE2e, AServerWhoseClockIsBehindIsRefusedOnlyWhileItsLagIsLearned) {
  SimOptions options = nf_limited_to(500);
  options.clock_behind = 300ms;
  Simulator sim(options);
  const auto where = sim.start();
  ScratchDir dir;
  const Fleet fleet{dir, "create", 1};
  const auto runs = run_together(fleet.children(where, creates(3000, "Behind"), "nf.create", {"--rate", "nf=500/1s"}));
  fleet.expect_every_row_ok(runs, 3000);
  EXPECT_EQ(store_count(sim, "nf_creates"), 3000u);
  const auto windows = window_counts(sim, "nf").size();
  const auto refused = answers(sim, 429);
  std::cerr << "3,000 nf.create rows, 500/1s, the server's clock 300 ms behind: " << refused << " refusals in "
            << windows << " windows, " << violations(sim) << " rules broken\n";
  EXPECT_LE(refused, 3u) << sim.stats_json();
  EXPECT_EQ(violations(sim), 0u) << "no request before a reset a refusal named: " << sim.stats_json();
}

TEST(SharedBudgetE2e, RedisKilledAndRestartedMidRunLosesAndDuplicatesNothing) {
  test::RedisServer redis;
  Simulator sim(nf_limited_to(300));
  const auto where = sim.start();
  ScratchDir dir;
  const Fleet fleet{dir, "create", 4};
  const auto children = fleet.children(where, creates(300, "Restart"), "nf.create",
                                       {"--rate", "nf=300/1s", "--budget-store", redis.url()});
  // Killed once every run has joined the store (each logs in after) and the
  // sends are under way: a loaded machine starts the runs late, and a store
  // gone before a run joined ends that run (exit 2) instead.
  auto under_way = [&] {
    const auto requests = stats(sim).at("requests").as_object();
    auto count = [&](const char* route, const char* status) -> std::uint64_t {
      const auto* by_status = requests.if_contains(route);
      const auto* n = by_status ? by_status->as_object().if_contains(status) : nullptr;
      return n ? n->to_number<std::uint64_t>() : 0;
    };
    return count("nf.token", "200") >= 4 && count("nf.create", "201") >= 100;
  };
  std::thread chaos([&] {
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    while (!under_way() && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(10ms);
    std::this_thread::sleep_for(200ms);
    redis.kill();
    std::this_thread::sleep_for(300ms);
    redis.start_again();
  });
  const auto runs = run_together(children);
  chaos.join();
  fleet.expect_every_row_ok(runs, 300);
  const bool saw_restart = std::any_of(runs.begin(), runs.end(), [](const ChildResult& run) {
    return run.err.find("lost the budget store") != std::string::npos;
  });
  EXPECT_TRUE(saw_restart) << "the store went while the runs were still sending: make them longer";
  EXPECT_EQ(store_count(sim, "nf_creates"), 1200u) << "each audience exactly once";
  expect_no_429_and_no_broken_rule(sim);
}

TEST(SharedBudgetE2e, AnUnreachableStoreEndsTheRunBeforeAnyRequest) {
  std::uint16_t closed_port = 0;
  {
    test::RedisServer gone;
    closed_port = gone.port();
  }
  Simulator sim(SimOptions{});
  const auto where = sim.start();
  ScratchDir dir;
  write_file(dir.file("job.csv"), create_job(5, "Never"));
  auto c = child(where, {"run", dir.file("job.csv").string(), "--job", "nf.create"});
  c.env["AUDIENCE_BATCH_BUDGET_STORE"] = "redis://127.0.0.1:" + std::to_string(closed_port);
  const auto run = run_cli(c);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("budget store redis://127.0.0.1:" + std::to_string(closed_port)), std::string::npos)
      << run.err;
  EXPECT_EQ(answers(sim), 0u) << "nothing sent, not even the token request";
}

TEST(SharedBudgetE2e, AStoreGoneForLongerThanTheTimeoutStopsTheRunAndARerunFinishes) {
  auto redis = std::make_unique<test::RedisServer>();
  Simulator sim(nf_limited_to(50));
  const auto where = sim.start();
  ScratchDir dir;
  write_file(dir.file("job.csv"), create_job(200, "Outage"));
  auto c = child(where, {"run", dir.file("job.csv").string(), "--job", "nf.create", "--rate", "nf=50/1s",
                         "--timeout", "1s", "--budget-store", redis->url()});
  std::thread chaos([&] {
    std::this_thread::sleep_for(1200ms);
    redis->kill();
  });
  const auto stopped = run_cli(c);
  chaos.join();
  EXPECT_EQ(stopped.exit_code, 3) << stopped.err;
  EXPECT_NE(stopped.err.find("unreachable for longer than --timeout"), std::string::npos) << stopped.err;
  const auto partial = read_results(dir.file("job.results.csv"));
  EXPECT_LT(partial.size(), 200u);
  EXPECT_EQ(store_count(sim, "nf_creates"), count_status(partial, "ok"));
  // The store back: the same command finishes the job, every row once.
  redis->start_again();
  const auto rerun = run_cli(c);
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  const auto all = read_results(dir.file("job.results.csv"));
  EXPECT_EQ(all.size(), 200u);
  EXPECT_EQ(count_status(all, "ok"), 200u) << rerun.err;
  EXPECT_EQ(store_count(sim, "nf_creates"), 200u) << "each audience exactly once";
  EXPECT_EQ(violations(sim), 0u) << sim.stats_json();
}

// A redis-server that listens for TLS only (rediss://), with a self-signed
// certificate for 127.0.0.1 made here in `dir`.
struct TlsRedis {
  explicit TlsRedis(const ScratchDir& dir) : cert(dir.file("redis.crt")), key(dir.file("redis.key")) {
    make_loopback_certificate(cert, key);
    server.emplace(cert, key);
  }
  std::string url() const { return server->url(); }
  std::filesystem::path cert, key;
  std::optional<test::RedisServer> server;
};

// rediss:// verified against --ca-file, as https is.
TEST(SharedBudgetE2e, RedissSharesTheBudgetOverTlsVerifiedAgainstTheCaFile) {
  ScratchDir dir;
  TlsRedis redis(dir);
  Simulator sim(nf_limited_to(100));
  const auto where = sim.start();
  const Fleet fleet{dir, "tls", 2};
  const auto runs = run_together(fleet.children(
      where, creates(60, "Tls"), "nf.create",
      {"--rate", "nf=100/1s", "--ca-file", redis.cert.string(), "--budget-store", redis.url()}));
  fleet.expect_every_row_ok(runs, 60);
  EXPECT_EQ(store_count(sim, "nf_creates"), 120u);
  expect_no_429_and_no_broken_rule(sim);
}

TEST(SharedBudgetE2e, ARedisCertificateThatDoesNotVerifyEndsTheRunBeforeAnyRequest) {
  ScratchDir dir;
  TlsRedis redis(dir);
  Simulator sim(SimOptions{});
  const auto where = sim.start();
  write_file(dir.file("job.csv"), create_job(5, "Untrusted"));
  // No --ca-file: the system's store does not know the test's self-signed certificate.
  const auto run = run_cli(child(where, {"run", dir.file("job.csv").string(), "--job", "nf.create",
                                         "--budget-store", redis.url()}));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("budget store " + redis.url() + ": TLS: the certificate of 127.0.0.1 does not verify"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(answers(sim), 0u) << "nothing sent, not even the token request";
}

// rediss:// to a Redis that asks every client for a certificate
// (tls-auth-clients yes) and trusts only the one made here.
TEST(SharedBudgetE2e, RedissWithAClientCertificateSharesTheBudgetAndWithoutOneEndsBeforeAnyRequest) {
  ScratchDir dir;
  const auto cert = dir.file("redis.crt"), key = dir.file("redis.key");
  const auto client_cert = dir.file("client.crt"), client_key = dir.file("client.key");
  make_loopback_certificate(cert, key);
  make_loopback_certificate(client_cert, client_key);
  test::RedisServer redis(cert, key, client_cert);
  Simulator sim(nf_limited_to(100));
  const auto where = sim.start();

  write_file(dir.file("none.csv"), create_job(5, "No certificate"));
  const auto refused = run_cli(child(where, {"run", dir.file("none.csv").string(), "--job", "nf.create",
                                             "--ca-file", cert.string(), "--budget-store", redis.url()}));
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("budget store " + redis.url() + ": "), std::string::npos) << refused.err;
  EXPECT_EQ(answers(sim), 0u) << "nothing sent, not even the token request";

  const Fleet fleet{dir, "mtls", 2};
  auto children = fleet.children(where, creates(60, "Mtls"), "nf.create",
                                 {"--rate", "nf=100/1s", "--ca-file", cert.string(), "--budget-store", redis.url()});
  children[0].args.insert(children[0].args.end(), {"--budget-store-cert", client_cert.string(),
                                                   "--budget-store-key", client_key.string()});
  children[1].env["AUDIENCE_BATCH_BUDGET_STORE_CERT"] = client_cert.string();  // or from the environment
  children[1].env["AUDIENCE_BATCH_BUDGET_STORE_KEY"] = client_key.string();
  const auto runs = run_together(children);
  fleet.expect_every_row_ok(runs, 60);
  EXPECT_EQ(store_count(sim, "nf_creates"), 120u);
  expect_no_429_and_no_broken_rule(sim);
}

TEST(SharedBudgetE2e, FourShardsTakeEveryRowExactlyOnceAndReportMergesThem) {
  test::RedisServer redis;
  Simulator sim(SimOptions{});
  const auto where = sim.start();
  ScratchDir dir;
  const auto job = dir.file("big.csv");
  write_file(job, create_job(401, "Shard"));
  std::vector<ChildOptions> children;
  for (int k = 1; k <= 4; ++k)
    children.push_back(child(where, {"run", job.string(), "--job", "nf.create", "--shard", std::to_string(k) + "/4",
                                     "--budget-store", redis.url()}));
  children[3].args[5] = "auto/4";  // the fourth as a Kubernetes Indexed Job's pod 3 would run it
  children[3].env["JOB_COMPLETION_INDEX"] = "3";
  // Three shards first: report points at the fourth's rows.
  const auto first = run_together({children[0], children[1], children[2]});
  for (const auto& r : first) EXPECT_EQ(r.exit_code, 0) << r.err;
  auto open = run_cli(ChildOptions{{"report", job.string()}, {}, std::nullopt, std::nullopt});
  EXPECT_EQ(open.exit_code, 3) << open.err;
  EXPECT_NE(open.out.find("301 final: 301 ok, 0 invalid, 0 failed, 0 unknown; 100 still open"), std::string::npos)
      << open.out;
  EXPECT_NE(open.out.find("open rows: 4 (shard 4/4), 8 (shard 4/4)"), std::string::npos) << open.out;

  EXPECT_EQ(run_cli(children[3]).exit_code, 0);
  std::map<std::size_t, int> seen;
  for (int k = 1; k <= 4; ++k) {
    const auto file = dir.file("big.shard-" + std::to_string(k) + "-of-4.results.csv");
    for (const auto& [row, line] : read_results(file)) {
      ++seen[row];
      EXPECT_EQ((row - 1) % 4, static_cast<std::size_t>(k - 1)) << "row " << row << " in shard " << k;
      EXPECT_EQ(line.status, "ok");
    }
  }
  EXPECT_EQ(seen.size(), 401u);
  for (const auto& [row, n] : seen) EXPECT_EQ(n, 1) << "row " << row;
  EXPECT_EQ(store_count(sim, "nf_creates"), 401u);
  const auto done = run_cli(ChildOptions{{"report", job.string()}, {}, std::nullopt, std::nullopt});
  EXPECT_EQ(done.exit_code, 0) << done.err;
  EXPECT_NE(done.out.find("401 final: 401 ok, 0 invalid, 0 failed, 0 unknown; 0 still open"), std::string::npos)
      << done.out;
}

}  // namespace
}  // namespace ab::e2e
