// `run --sim` ends with the simulator store's size (issue 22): the mode, the
// audiences the run created and their bytes each, so that a rehearsal shows
// what a night of its size costs; bench/rehearsal.sh reads this line.
#include "e2e/support/e2e.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace ab::e2e {
namespace {

struct StoreLine {
  std::string mode;
  std::size_t audiences = 0;
  double bytes_per_audience = 0;
};

std::optional<StoreLine> store_line(const std::string& err) {
  static const std::regex line(R"(simulator store: (\w+), (\d+) audiences created, ([0-9.]+) bytes an audience \([0-9.]+ MiB\))");
  std::smatch m;
  if (!std::regex_search(err, m, line)) return std::nullopt;
  return StoreLine{m[1], std::stoul(m[2]), std::stod(m[3])};
}

TEST(SimStoreReport, ARehearsalEndsWithTheStoresModeAudiencesAndBytesEach) {
  ScratchDir dir;
  const auto job = dir.file("night.csv");
  write_file(job, nf_create_rows(400, 100));  // rows 100, 200, 300, 400 invalid: nothing created for them
  for (std::string mode : {"full", "ids"}) {
    std::filesystem::remove(dir.file("night.results.csv"));
    std::filesystem::remove(dir.file("night.results.csv.journal"));
    auto child = run_cli(cli({"run", job.string(), "--job", "nf.create", "--sim", "--sim-store", mode}, {}));
    EXPECT_EQ(child.exit_code, 1) << "four invalid rows: " << child.err;
    EXPECT_EQ(count_status(read_results(dir.file("night.results.csv")), "ok"), 396u);
    const auto line = store_line(child.err);
    ASSERT_TRUE(line) << child.err;
    EXPECT_EQ(line->mode, mode);
    EXPECT_EQ(line->audiences, 396u) << "one audience per valid row";
    // A few hundred audiences carry the store's first blocks: only say that the figure is there.
    EXPECT_GT(line->bytes_per_audience, 0.0);
  }
}

TEST(SimStoreReport, NoLineWhenTheRunCreatedNothing) {
  ScratchDir dir;
  const auto job = dir.file("nothing.csv");
  write_file(job, nf_create_rows(3, 1));  // every row invalid
  auto child = run_cli(cli({"run", job.string(), "--job", "nf.create", "--sim"}, {}));
  EXPECT_NE(child.err.find("simulator referee: "), std::string::npos) << child.err;
  EXPECT_EQ(child.err.find("simulator store: "), std::string::npos) << child.err;
}

}  // namespace
}  // namespace ab::e2e
