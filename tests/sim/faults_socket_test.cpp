// Each bad-night option over real sockets, at a rate of 1 (or statistically
// with a fixed seed): what the client sees, and what the server changed.
#include "sim/support/sim_fixture.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <iomanip>
#include <set>
#include <sstream>
#include <thread>

namespace ab::sim::test {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

const std::string create_body =
    R"({"name":"Night shift","genderDistribution":{"female":0.5,"male":0.4,"nonBinary":0.07,"preferNotToSay":0.03}})";

class FaultsOverSockets : public SimulatorTest {
 protected:
  // A create on a fresh connection, as a client retrying after a drop would.
  HttpReply create() {
    auto mine = make_client();
    return mine.request("POST", path, create_body,
                        {{"Authorization", "Bearer " + bearer}, {"Content-Type", "application/json"}});
  }
  json::value creates() { return stats().at("store").at("nf_creates"); }
  void start_with(SimOptions options) {
    start(std::move(options));
    token();  // the token endpoint is never faulted, only delayed
    path = "/nf/api/audience-service/v1/workspaces/" + first_workspace() + "/target-audiences";
  }
  // Asked until a fault lets it through; at a fault rate of 1 nothing reaches
  // the API anyway, so any workspace does.
  std::string first_workspace() {
    for (int tries = 0; tries < 100; ++tries) {
      auto reply = nf("GET", "/workspace-service/v1/workspaces");
      if (reply.status == 200) return std::string(reply.json().at("_embedded").at("workspaces").at(0).at("id").as_string());
      client->close();
    }
    return "never-reached";
  }
  std::string path;
};

TEST_F(FaultsOverSockets, AResetDropsTheConnectionAndChangesNothing) {
  start({.reset_rate = 1});
  EXPECT_EQ(ask_token().status, 200u);
  auto mine = make_client();
  auto reply = mine.request("POST", "/nf/api/audience-service/v1/workspaces/x/target-audiences", create_body,
                            {{"Content-Type", "application/json"}});
  EXPECT_FALSE(reply.answered());
  EXPECT_TRUE(reply.error);
  const auto s = stats();
  EXPECT_EQ(s.at("store").at("nf_creates"), 0);
  EXPECT_EQ(s.at("requests").at("fault.reset").at("0"), 1);
  EXPECT_FALSE(s.at("requests").as_object().contains("nf.create"));
}

TEST_F(FaultsOverSockets, ALostReplyCarriesTheRequestOutButNeverAnswers) {
  start({.lost_reply_rate = 1});
  token();  // never faulted
  // No answer comes, yet the request was served.
  auto mine = make_client();
  auto reply = mine.request("GET", "/nf/api/workspace-service/v1/workspaces", {}, {{"Authorization", "Bearer " + bearer}});
  EXPECT_FALSE(reply.answered());
  const auto s = stats();
  EXPECT_EQ(s.at("requests").at("nf.workspaces").at("200"), 1);
  EXPECT_EQ(s.at("requests").at("fault.lost_reply").at("0"), 1);
}

// The case that makes clients create duplicates: no answer, yet the audience exists.
TEST_F(FaultsOverSockets, ALostCreateStillCreates) {
  start_with({.lost_reply_rate = 0.5, .seed = 3});
  int lost = 0, answered = 0;
  for (int i = 0; i < 40; ++i) {
    auto reply = create();
    if (reply.answered()) {
      EXPECT_EQ(reply.status, 201u);
      ++answered;
    } else {
      ++lost;
    }
  }
  EXPECT_GT(lost, 5);
  EXPECT_GT(answered, 5);
  EXPECT_EQ(creates(), 40);
}

TEST_F(FaultsOverSockets, ErrorsAre5xxWithAJsonBodyAndChangeNothing) {
  start_with({.error_rate = 1, .seed = 8});
  std::set<unsigned> statuses;
  for (int i = 0; i < 40; ++i) {
    auto reply = create();
    statuses.insert(reply.status);
    EXPECT_EQ(reply.json().at("code"), "SIMULATED_FAULT");
    if (reply.has_header("retry-after")) {
      EXPECT_EQ(reply.status, 503u);
    }
  }
  EXPECT_EQ(statuses, (std::set<unsigned>{500, 502, 503, 504}));
  EXPECT_EQ(creates(), 0);
}

TEST_F(FaultsOverSockets, RandomThrottlesAre429WithoutARetryTime) {
  start_with({.throttle_rate = 1});
  auto reply = create();
  EXPECT_EQ(reply.status, 429u);
  EXPECT_FALSE(reply.has_header("retry-after"));
  EXPECT_FALSE(reply.has_header("x-rate-limit-reset"));
  EXPECT_EQ(creates(), 0);
  EXPECT_EQ(stats().at("violations").as_object().size(), 0u);  // ignoring them breaks no rule
}

TEST_F(FaultsOverSockets, RatesMixAsConfiguredWithAFixedSeed) {
  start_with({.error_rate = 0.2, .throttle_rate = 0.2, .reset_rate = 0.2, .seed = 17});
  int ok = 0, errors = 0, throttles = 0, drops = 0;
  for (int i = 0; i < 200; ++i) {
    auto reply = create();
    if (!reply.answered()) ++drops;
    else if (reply.status == 201) ++ok;
    else if (reply.status == 429) ++throttles;
    else if (reply.status >= 500) ++errors;
  }
  EXPECT_EQ(ok + errors + throttles + drops, 200);
  for (int n : {ok, errors, throttles, drops}) EXPECT_GT(n, 20);
  EXPECT_GT(ok, 60);
  EXPECT_EQ(creates(), ok);
}

TEST_F(FaultsOverSockets, LatencyDelaysAnswersWithoutBlockingTheServer) {
  start({.latency = milliseconds(1000), .threads = 1});
  std::atomic<bool> slow_answered{false};
  std::chrono::steady_clock::duration slow_took{};
  std::thread slow([&] {
    const auto begin = std::chrono::steady_clock::now();
    auto reply = make_client().request("GET", "/nowhere");
    slow_took = std::chrono::steady_clock::now() - begin;
    slow_answered = reply.status == 404;
  });
  // Once the slow request is being delayed, the one server thread still answers others.
  for (int polls = 0; polls < 10'000 && !stats().at("requests").as_object().contains("unknown"); ++polls) {
  }
  EXPECT_FALSE(slow_answered.load());
  slow.join();
  EXPECT_TRUE(slow_answered.load());
  EXPECT_GE(slow_took, milliseconds(800));  // the latency, less its jitter
}

TEST_F(FaultsOverSockets, APathDelayCountsARequestLateAndAnswersItLaterStill) {
  start({.path_delay = milliseconds(300), .threads = 1});
  const double sent = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const auto begin = std::chrono::steady_clock::now();
  auto reply = make_client().request("GET", "/nowhere");
  const auto took = std::chrono::steady_clock::now() - begin;
  EXPECT_EQ(reply.status, 404u);
  EXPECT_GE(took, milliseconds(600));  // the way there and the way back
  // The server handled (and counted) it a path's delay after it was sent.
  EXPECT_GE(stats().at("span").at("unknown").at("first").to_number<double>(), sent + 0.3);
}

// Every answer carries the API's Date, and --clock-behind sets the API's
// clock back: its Date and the resets it publishes, read independently here.
TEST_F(FaultsOverSockets, AClockBehindShiftsTheDateAndTheResetsTheApiPublishes) {
  start_with({.clock_behind = milliseconds(3000), .nf_rate_limit = 5});
  const auto before = std::chrono::system_clock::now();
  const auto reply = create();
  const auto after = std::chrono::system_clock::now();
  ASSERT_EQ(reply.status, 201u) << reply.body;
  std::tm fields{};
  std::istringstream date(reply.header("date"));
  date >> std::get_time(&fields, "%a, %d %b %Y %H:%M:%S GMT");
  ASSERT_FALSE(date.fail()) << reply.header("date");
  const auto stamped = std::chrono::system_clock::from_time_t(timegm(&fields));
  EXPECT_GE(stamped, std::chrono::floor<std::chrono::seconds>(before - std::chrono::seconds(3)));
  EXPECT_LE(stamped, after - std::chrono::seconds(3));
  // A window of a second that opened on the API's clock ends a second after its whole second.
  const auto reset = std::chrono::sys_seconds(std::chrono::seconds(std::stoll(reply.header("x-rate-limit-reset"))));
  EXPECT_EQ(reset, std::chrono::floor<std::chrono::seconds>(stamped) + std::chrono::seconds(1));
}

TEST_F(FaultsOverSockets, TheSameSeedGivesTheSameNightOverTheWire) {
  auto run = [this](std::uint64_t seed) {
    start_with({.error_rate = 0.3, .throttle_rate = 0.2, .reset_rate = 0.1, .seed = seed});
    std::vector<unsigned> seen;
    for (int i = 0; i < 30; ++i) seen.push_back(create().status);
    sim->stop();
    return seen;
  };
  const auto first = run(5);
  EXPECT_EQ(run(5), first);
  EXPECT_NE(run(6), first);
}

}  // namespace
}  // namespace ab::sim::test
