// What a run writes besides the results file: --responses as the API wrote it.
#include "e2e/support/e2e.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <regex>

namespace ab::e2e {
namespace {

TEST(FilesE2e, ResponsesKeepTheApisNumbers) {
  Simulator sim({});
  ScratchDir dir;
  write_file(dir.file("job.csv"),
             "name,female,male,nonBinary,preferNotToSay,country,minAge,maxAge,interests\n"
             "Shares,0.53,0.27,0.1,0.1,US,25,45,AI|content\n");
  auto options = options_for(sim.start(), dir.file("job.csv"), "nf.create");
  options.responses = dir.file("responses.jsonl");
  ASSERT_EQ(run_job(options, std::cerr).exit_code, 0);
  const auto text = read_file(dir.file("responses.jsonl"));
  EXPECT_NE(text.find(":0.53"), std::string::npos) << text;
  EXPECT_NE(text.find(":0.27"), std::string::npos) << text;
  EXPECT_FALSE(std::regex_search(text, std::regex(R"([:\[,]-?\d+(\.\d+)?[eE][-+]?\d)"))) << "no exponents\n" << text;
  EXPECT_TRUE(text.starts_with("{\"row\":1,")) << text;
  const auto line = boost::json::parse(text).as_object();
  EXPECT_EQ(line.at("row").to_number<int>(), 1);
}

}  // namespace
}  // namespace ab::e2e

namespace ab::e2e {
namespace {

const char* three_rows =
    "name,female,male,nonBinary,preferNotToSay,country,minAge,maxAge,interests\n"
    "One,0.7,0.1,0.1,0.1,US,25,45,AI\n"
    "Two,0.5,0.5,0.1,0,US,25,45,AI\n"
    "Three,0.7,0.1,0.1,0.1,US,25,45,AI\n";

TEST(FilesE2e, JobFromStandardInputResultsToStandardOutput) {
  Simulator sim({});
  auto run = cli({"run", "-", "--job", "nf.create", "--out", "-"}, sim_environment(sim.start()));
  auto result = run_cli(run, three_rows);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_TRUE(result.out.starts_with("row,status,http_status,id,attempts,error\n")) << result.out;
  EXPECT_NE(result.out.find("\n1,ok,"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\n2,invalid,"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\n3,ok,"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("summary:"), std::string::npos) << "the summary stays on stderr";
  EXPECT_NE(result.err.find("summary: 3 rows ended: 2 ok, 1 invalid"), std::string::npos) << result.err;
  EXPECT_EQ(store_count(sim, "nf_creates"), 2u);
}

TEST(FilesE2e, JobFromStandardInputIntoAResultsFile) {
  Simulator sim({});
  ScratchDir dir;
  auto run = cli({"run", "-", "--job", "nf.create", "--out", dir.file("out.csv").string()},
                   sim_environment(sim.start()));
  auto result = run_cli(run, three_rows);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const auto results = read_results(dir.file("out.csv"));
  EXPECT_EQ(count_status(results, "ok"), 2u);
  EXPECT_EQ(count_status(results, "invalid"), 1u);
}

TEST(FilesE2e, StandardInputWithoutOutIsRefused) {
  auto run = cli({"run", "-", "--job", "nf.create"}, {});
  auto result = run_cli(run, three_rows);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--out"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace ab::e2e
