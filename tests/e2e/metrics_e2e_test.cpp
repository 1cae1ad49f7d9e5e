// --metrics FILE and --pushgateway URL as monitoring reads them: the file
// passes Debian's promtool, the Pushgateway started here holds the figures.
#include "e2e/support/e2e.hpp"
#include "e2e/support/servers.hpp"

#include <gtest/gtest.h>


namespace ab::e2e {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(MetricsE2e, FilePassesPromtoolAndCarriesTheLastRun) {
  Simulator sim({});
  ScratchDir dir;
  write_file(dir.file("job.csv"), nf_create_rows(20, 5));
  const auto metrics = dir.file("audience.prom");
  auto run = cli({"run", dir.file("job.csv").string(), "--job", "nf.create", "--metrics", metrics.string()},
                   sim_environment(sim.start()));
  auto first = run_cli(run);
  ASSERT_EQ(first.exit_code, 1) << first.err;
  const auto text = read_file(metrics);
  EXPECT_TRUE(contains(text, "audience_batch_rows_total{kind=\"nf.create\",status=\"ok\"} 16")) << text;
  EXPECT_TRUE(contains(text, "audience_batch_rows_total{kind=\"nf.create\",status=\"invalid\"} 4")) << text;
  EXPECT_TRUE(contains(text, "audience_batch_responses_total{kind=\"nf.create\",code=\"2xx\"} ")) << text;
  EXPECT_TRUE(contains(text, "audience_batch_last_exit_code{kind=\"nf.create\"} 1")) << text;
  EXPECT_TRUE(contains(text, "audience_batch_last_run_end_timestamp_seconds{kind=\"nf.create\"} ")) << text;
  EXPECT_FALSE(contains(text, "last_success_timestamp_seconds")) << "no run has succeeded yet\n" << text;
  EXPECT_FALSE(contains(text, "job=")) << text;
  EXPECT_FALSE(std::filesystem::exists(metrics.string() + ".tmp"));

  const auto promtool = run_shell("promtool check metrics < " + metrics.string());
  EXPECT_EQ(promtool.exit_code, 0) << promtool.output << text;

  // The rerun skips every final row and says so; the previous exit code was
  // kept until this run's end replaced it.
  auto second = run_cli(run);
  ASSERT_EQ(second.exit_code, 1) << second.err;
  const auto again = read_file(metrics);
  EXPECT_TRUE(contains(again, "audience_batch_rows_skipped_total{kind=\"nf.create\"} 20")) << again;
  EXPECT_TRUE(contains(again, "audience_batch_requests_total{kind=\"nf.create\"} 0")) << again;
  EXPECT_EQ(run_shell("promtool check metrics < " + metrics.string()).exit_code, 0);
}

TEST(MetricsE2e, WrittenDuringTheRunNotOnlyAtTheEnd) {
  SimOptions slow;
  slow.latency = std::chrono::milliseconds(200);
  Simulator sim(slow);
  ScratchDir dir;
  write_file(dir.file("job.csv"), nf_create_rows(40, 0));
  const auto metrics = dir.file("audience.prom");
  // Killed before the end: only a periodic write can have made the file.
  auto result = run_cli(ChildOptions{{"run", dir.file("job.csv").string(), "--job", "nf.create", "--concurrency", "1",
                          "--metrics", metrics.string(), "--metrics-interval", "200ms"},
                         sim_environment(sim.start()), std::chrono::milliseconds(5000), std::nullopt});
  EXPECT_TRUE(result.killed) << result.err;
  const auto text = read_file(metrics);
  EXPECT_TRUE(contains(text, "audience_batch_running{kind=\"nf.create\"} 1")) << text;
  EXPECT_FALSE(contains(text, "audience_batch_last_exit_code")) << text;
  EXPECT_EQ(run_shell("promtool check metrics < " + metrics.string()).exit_code, 0) << text;
}

TEST(MetricsE2e, PushgatewayHoldsTheFiguresOfTheRun) {
  ScratchDir dir;
  const auto port = free_loopback_port();
  ServerProcess gateway({"/usr/bin/prometheus-pushgateway", "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                        dir.file("pushgateway.log"));
  ASSERT_TRUE(wait_for_listener(port, std::chrono::seconds(20))) << read_file(dir.file("pushgateway.log"));

  Simulator sim({});
  write_file(dir.file("job.csv"), nf_create_rows(12, 0));
  auto result = run_cli(cli({"run", dir.file("job.csv").string(), "--job", "nf.create", "--pushgateway",
                          "http://127.0.0.1:" + std::to_string(port) + "/"},
                         sim_environment(sim.start())));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(contains(result.err, "warning")) << result.err;

  const auto scraped = http_get(port, "/metrics");
  ASSERT_TRUE(scraped);
  ASSERT_EQ(scraped->status, 200u);
  EXPECT_TRUE(contains(scraped->body,
                       "audience_batch_rows_total{instance=\"\",job=\"audience_batch\",kind=\"nf.create\","
                       "status=\"ok\"} 12"))
      << scraped->body;
  EXPECT_TRUE(contains(scraped->body, "audience_batch_last_exit_code{instance=\"\",job=\"audience_batch\","
                                      "kind=\"nf.create\"} 0"))
      << scraped->body;
}

TEST(MetricsE2e, AnUnreachablePushgatewayIsAWarningNotAFailedRun) {
  Simulator sim({});
  ScratchDir dir;
  write_file(dir.file("job.csv"), nf_create_rows(3, 0));
  const auto port = free_loopback_port();
  auto result = run_cli(cli({"run", dir.file("job.csv").string(), "--job", "nf.create", "--pushgateway",
                          "http://127.0.0.1:" + std::to_string(port)},
                         sim_environment(sim.start())));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "warning: pushgateway: ")) << result.err;
}

}  // namespace
}  // namespace ab::e2e
