// -q, -v and --log-format json on the real binary, and no secret in anything
// a run writes, whatever the log level.
#include "e2e/support/e2e.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

namespace ab::e2e {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::size_t count_lines_starting(const std::string& text, const std::string& start) {
  std::size_t n = 0;
  for (const auto& line : lines_of(text)) n += line.starts_with(start);
  return n;
}

// The figure before `label` in the summary's second line ("12 retries").
std::uint64_t summary_figure(const std::string& err, const std::string& label) {
  std::string summary;
  for (const auto& line : lines_of(err))
    if (line.starts_with("summary: ") && line.find(" requests, ") != std::string::npos) summary = line;
  std::smatch m;
  const std::regex figure("(\\d+) " + label);
  EXPECT_TRUE(std::regex_search(summary, m, figure)) << err;
  return m.empty() ? 0 : std::stoull(m[1]);
}

TEST(LoggingE2e, QuietKeepsTheSummaryAndDropsProgress) {
  SimOptions slow;
  slow.latency = std::chrono::milliseconds(30);
  Simulator sim(slow);
  ScratchDir dir;
  write_file(dir.file("job.csv"), nf_create_rows(30));
  auto result = run_cli(cli({"run", dir.file("job.csv").string(), "--job", "nf.create", "--concurrency", "1", "-q",
                          "--progress-interval", "100ms"},
                         sim_environment(sim.start())));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err.find("progress:"), std::string::npos) << result.err;
  EXPECT_EQ(count_lines_starting(result.err, "summary: "), 2u) << result.err;
  EXPECT_EQ(lines_of(result.err).size(), 2u) << result.err;
}

TEST(LoggingE2e, VerboseNamesEveryRetryAndPauseWithWhy) {
  SimOptions faulty;
  faulty.error_rate = 0.2;
  faulty.throttle_rate = 0.1;
  faulty.seed = 7;
  Simulator sim(faulty);
  ScratchDir dir;
  write_file(dir.file("job.csv"), nf_create_rows(40));
  auto result = run_cli(cli({"run", dir.file("job.csv").string(), "--job", "nf.create", "-v", "--rate", "nf=20/1s"},
                         sim_environment(sim.start())));
  ASSERT_LE(result.exit_code, 1) << result.err;
  const auto retries = summary_figure(result.err, "retries");
  EXPECT_GT(retries, 0u) << result.err;
  EXPECT_EQ(count_lines_starting(result.err, "retry: "), retries) << result.err;
  static const std::regex retry_line(R"(retry: (GET|POST|PUT|PATCH|DELETE) /\S* after (HTTP \d{3}|.+) \(attempt \d+\), in \d+\.\ds)");
  static const std::regex pause_line(R"(pause: (GET|POST|PUT|PATCH|DELETE) /\S* waits \d+\.\ds for budget nf(\.token)?)");
  std::size_t pauses = 0;
  for (const auto& line : lines_of(result.err)) {
    if (line.starts_with("retry: ")) {
      EXPECT_TRUE(std::regex_match(line, retry_line)) << line;
    }
    if (line.starts_with("pause: ")) {
      EXPECT_TRUE(std::regex_match(line, pause_line)) << line;
      ++pauses;
    }
  }
  EXPECT_GT(pauses, 0u) << "40 creates at 20/s wait for the budget\n" << result.err;
}

TEST(LoggingE2e, JsonIsOneObjectALineWithTimeLevelAndEvent) {
  SimOptions faulty;
  faulty.error_rate = 0.2;
  faulty.latency = std::chrono::milliseconds(20);
  Simulator sim(faulty);
  ScratchDir dir;
  write_file(dir.file("job.csv"), nf_create_rows(30));
  auto result = run_cli(cli({"run", dir.file("job.csv").string(), "--job", "nf.create", "--log-format", "json", "-v",
                          "--concurrency", "2", "--progress-interval", "100ms"},
                         sim_environment(sim.start())));
  ASSERT_LE(result.exit_code, 1) << result.err;
  std::map<std::string, std::size_t> events;
  for (const auto& line : lines_of(result.err)) {
    boost::system::error_code ec;
    auto value = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << "not JSON: " << line;
    ASSERT_TRUE(value.is_object()) << line;
    const auto& o = value.as_object();
    ASSERT_TRUE(o.contains("time") && o.contains("level") && o.contains("event")) << line;
    EXPECT_TRUE(std::regex_match(std::string(o.at("time").as_string()),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
        << line;
    const std::string event(o.at("event").as_string());
    ++events[event];
    if (event == "summary") {
      EXPECT_EQ(o.at("rows_ok").to_number<std::int64_t>() + o.at("rows_unknown").to_number<std::int64_t>() +
                    o.at("rows_failed").to_number<std::int64_t>(),
                30);
      EXPECT_EQ(o.at("exit_code").to_number<int>(), result.exit_code);
    }
  }
  EXPECT_EQ(events["summary"], 1u) << result.err;
  EXPECT_GE(events["progress"], 1u) << result.err;
  EXPECT_GE(events["retry"], 1u) << result.err;
}

TEST(LoggingE2e, NoSecretInAnyOutputAtAnyLevel) {
  SimOptions faulty;
  faulty.error_rate = 0.2;
  faulty.throttle_rate = 0.1;
  faulty.token_ttl = std::chrono::seconds(1);
  Simulator sim(faulty);
  const auto endpoints = sim.start();
  const std::vector<std::string> secrets{endpoints.client_secret, endpoints.consumer_secret, endpoints.access_token,
                                         endpoints.access_token_secret};
  for (const auto& flags : std::vector<std::vector<std::string>>{{"-v"}, {"-v", "--log-format", "json"}, {"-q"}}) {
    for (const std::string kind : {"nf.create", "tw.create"}) {
      ScratchDir dir;
      write_file(dir.file("job.csv"), kind == "nf.create" ? nf_create_rows(20) : "name,description\nA,b\nC,d\n");
      std::vector<std::string> args{"run",       dir.file("job.csv").string(), "--job",
                                    kind,        "--metrics",                  dir.file("m.prom").string(),
                                    "--responses", dir.file("responses.jsonl").string()};
      args.insert(args.end(), flags.begin(), flags.end());
      auto result = run_cli(cli(args, sim_environment(endpoints)));
      ASSERT_LE(result.exit_code, 1) << result.err;
      std::string everything = result.out + result.err;
      for (const auto& entry : std::filesystem::directory_iterator(dir.path())) everything += read_file(entry.path());
      for (const auto& secret : secrets) {
        ASSERT_GE(secret.size(), 6u);
        EXPECT_EQ(everything.find(secret), std::string::npos) << kind << " printed a secret";
      }
    }
  }
}

TEST(LoggingE2e, QuietAndVerboseTogetherAreRefused) {
  auto result = run_cli(cli({"run", "job.csv", "--job", "nf.create", "-q", "-v"}, {}));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("-q and -v"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace ab::e2e
