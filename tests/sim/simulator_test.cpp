// The embeddable Simulator and `audience-batch sim`: the startup line of
// SPEC.md §8, the URLs and credentials it names, and a clean stop on SIGTERM.
#include "sim/support/sim_fixture.hpp"
#include "sim/twitter/api.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <thread>
#include <poll.h>
#include <unistd.h>

namespace ab::sim::test {
namespace {

namespace json = boost::json;

const std::vector<std::string> startup_keys{"nf_api",          "nf_token_url", "tw_api",
                                            "tw_api_v8",       "tw_account",   "client_id",
                                            "client_secret",   "consumer_key", "consumer_secret",
                                            "access_token",    "access_token_secret"};

void expect_startup_line(const std::string& line, std::uint16_t port) {
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto parsed = json::parse(line).as_object();
  std::vector<std::string> keys;
  for (const auto& member : parsed) {
    keys.emplace_back(member.key());
    EXPECT_TRUE(member.value().is_string()) << member.key();
    EXPECT_FALSE(member.value().as_string().empty()) << member.key();
  }
  EXPECT_EQ(keys, startup_keys);
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  EXPECT_EQ(parsed.at("nf_api"), json::value(base + "/nf/api"));
  EXPECT_EQ(parsed.at("nf_token_url"), json::value(base + "/nf/oauth/v2/token"));
  // The version X serves today; v8 beside it (API.md §B11).
  EXPECT_EQ(parsed.at("tw_api"), json::value(base + "/tw/12"));
  EXPECT_EQ(parsed.at("tw_api_v8"), json::value(base + "/tw/8"));
}

TEST_F(SimulatorTest, TheStartupLineNamesExactlyTheDocumentedKeys) {
  start();
  expect_startup_line(where.to_json(), where.port);
  EXPECT_EQ(where.tw_account, TwitterConfig{}.account);
}

TEST_F(SimulatorTest, TheAnnouncedCredentialsAreTheOnesAccepted) {
  start();
  EXPECT_EQ(ask_token().status, 200u);
  where.client_secret = "wrong";
  EXPECT_EQ(ask_token().status, 401u);
}

TEST_F(SimulatorTest, StartTwiceReturnsTheSameEndpointsAndStopTwiceIsHarmless) {
  start();
  EXPECT_EQ(sim->start().port, where.port);
  sim->stop();
  sim->stop();
}

TEST(Simulator, StatsBeforeStartAreEmptyButShapedTheSame) {
  Simulator idle({});
  const auto stats = json::parse(idle.stats_json());
  EXPECT_EQ(stats.at("total_requests"), 0);
  EXPECT_TRUE(stats.at("store").as_object().empty());
}

TEST_F(SimulatorTest, AWildcardBindIsAnnouncedOnLoopback) {
  start({.host = "0.0.0.0"});
  EXPECT_TRUE(where.nf_api.starts_with("http://127.0.0.1:"));
  EXPECT_EQ(client->request("GET", "/__stats").status, 200u);
}

TEST(RunSimulator, PrintsTheStartupLineServesAndStopsOnSigterm) {
  // Catch stdout in a pipe, as a parent process reading the line would.
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  std::fflush(stdout);
  const int saved_stdout = ::dup(STDOUT_FILENO);
  ::dup2(pipe_fds[1], STDOUT_FILENO);
  int exit_code = -1;
  std::thread server([&] { exit_code = run_simulator({}); });

  std::string line;
  char c;
  pollfd readable{pipe_fds[0], POLLIN, 0};
  // Bounded: a simulator that failed to start prints nothing.
  while (::poll(&readable, 1, 10'000) == 1 && ::read(pipe_fds[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  std::fflush(stdout);
  ::dup2(saved_stdout, STDOUT_FILENO);
  ::close(saved_stdout);

  const auto announced = json::parse(line);
  const auto api = split_url(std::string(announced.at("nf_api").as_string()));
  expect_startup_line(line, api.port);
  HttpTestClient client(api.host, api.port);
  EXPECT_EQ(client.request("GET", "/__stats").status, 200u);

  ::kill(::getpid(), SIGTERM);  // handled by the simulator's signal set, not fatal
  server.join();
  EXPECT_EQ(exit_code, 0);
  EXPECT_FALSE(client.request("GET", "/__stats").answered());
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

TEST(RunSimulator, ReturnsTwoWhenItCannotListen) {
  Simulator first({});
  const auto port = first.start().port;
  testing::internal::CaptureStderr();
  EXPECT_EQ(run_simulator({.port = port}), 2);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("cannot listen"), std::string::npos);
}

}  // namespace
}  // namespace ab::sim::test
