#include "engine/report/metrics_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <unistd.h>

namespace ab {
namespace {

using std::chrono::milliseconds;

TEST(MetricsText, KindLabelCountersAndNoJobLabel) {
  Metrics m;
  m.row_finished(RowStatus::ok);
  m.row_finished(RowStatus::failed);
  m.request_sent();
  m.request_sent();
  m.answered(200, milliseconds(20));
  m.answered(429, milliseconds(3));
  m.retried();
  m.budget_waited(milliseconds(1500));
  const auto text = m.prometheus(MetricsContext{"tw.count", 2.5, 7, true, {}});
  for (const char* line : {"audience_batch_rows_total{kind=\"tw.count\",status=\"ok\"} 1\n",
                           "audience_batch_rows_total{kind=\"tw.count\",status=\"failed\"} 1\n",
                           "audience_batch_rows_skipped_total{kind=\"tw.count\"} 7\n",
                           "audience_batch_requests_total{kind=\"tw.count\"} 2\n",
                           "audience_batch_responses_total{kind=\"tw.count\",code=\"2xx\"} 1\n",
                           "audience_batch_responses_total{kind=\"tw.count\",code=\"4xx\"} 1\n",
                           "audience_batch_throttled_total{kind=\"tw.count\"} 1\n",
                           "audience_batch_retries_total{kind=\"tw.count\"} 1\n",
                           "audience_batch_budget_waits_total{kind=\"tw.count\"} 1\n",
                           "audience_batch_budget_wait_seconds_total{kind=\"tw.count\"} 1.5\n",
                           "audience_batch_request_duration_seconds_bucket{kind=\"tw.count\",le=\"0.005\"} 1\n",
                           "audience_batch_request_duration_seconds_bucket{kind=\"tw.count\",le=\"+Inf\"} 2\n",
                           "audience_batch_run_duration_seconds{kind=\"tw.count\"} 2.5\n",
                           "audience_batch_running{kind=\"tw.count\"} 1\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line << text;
  EXPECT_EQ(text.find("job="), std::string::npos);
  EXPECT_EQ(text.find("last_exit_code"), std::string::npos) << "unknown until a run has ended";
}

TEST(MetricsText, LastRunRoundTripsThroughTheFile) {
  const LastRun before{1.7e9, 0, 1.7e9};
  const auto after = after_run(before, 1764960000.25, 1);
  EXPECT_EQ(*after.exit_code, 1);
  EXPECT_EQ(*after.end_time, 1764960000.25);
  EXPECT_EQ(*after.success_time, 1.7e9) << "a failed run keeps the last success";
  EXPECT_EQ(*after_run(after, 1764960100, 0).success_time, 1764960100);

  Metrics m;
  const auto text = m.prometheus(MetricsContext{"nf.create", 1, 0, false, after});
  const auto read = parse_last_run(text);
  EXPECT_EQ(read.end_time, after.end_time);
  EXPECT_EQ(read.exit_code, after.exit_code);
  EXPECT_EQ(read.success_time, after.success_time);
  EXPECT_FALSE(parse_last_run("").exit_code);
  EXPECT_FALSE(parse_last_run("audience_batch_last_exit_code_other 3\n").exit_code);
}

TEST(MetricsSchedule, DueOncePerInterval) {
  MetricsSchedule s(milliseconds(15'000), milliseconds(1'000));
  EXPECT_FALSE(s.due(milliseconds(1'000)));
  EXPECT_FALSE(s.due(milliseconds(15'999)));
  EXPECT_TRUE(s.due(milliseconds(16'000)));
  EXPECT_FALSE(s.due(milliseconds(16'050)));
  EXPECT_FALSE(s.due(milliseconds(30'999)));
  EXPECT_TRUE(s.due(milliseconds(31'000)));
}

TEST(MetricsFile, ReplacedWholeAndNoTemporaryLeft) {
  const auto dir = std::filesystem::temp_directory_path() / ("ab-metrics-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "run.prom";
  ASSERT_EQ(write_atomically(file, "first 1\n"), "");
  ASSERT_EQ(write_atomically(file, "second 2\n"), "");
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_EQ(s.str(), "second 2\n");
  EXPECT_FALSE(std::filesystem::exists(dir / "run.prom.tmp"));
  EXPECT_NE(write_atomically(dir / "missing" / "run.prom", "x"), "");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ab
