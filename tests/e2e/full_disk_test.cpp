// Issue 21.6, a full disk: every answer the run received is on disk (or its
// request was never sent); once the results file cannot grow no request
// leaves; a rerun on the disk still full sends nothing and says so; after
// space is freed the rows answered before end ok with their ids, and none is
// created twice. The disk is a 64 KiB tmpfs, grown by a remount to free space.
#include "e2e/support/e2e.hpp"

#include <gtest/gtest.h>

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <sstream>

namespace ab::e2e {
namespace {

namespace fs = std::filesystem;

std::string tw_create_job(std::size_t rows) {
  std::ostringstream job;
  job << "name,description\n";
  for (std::size_t i = 1; i <= rows; ++i) job << "Full disk audience " << i << ",made by a test\n";
  return job.str();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(FullDisk, EveryAnswerIsKeptARerunOnAFullDiskSendsNothingAndOneWithRoomFinishes) {
  ScratchDir dir;
  const auto small = dir.file("small");
  fs::create_directories(small);
  if (::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=64k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno) << ")";
  struct Unmount {
    fs::path at;
    ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
  } unmount{small};

  Simulator sim({});
  const auto where = sim.start();
  constexpr std::size_t rows = 3000;
  write_file(dir.file("job.csv"), tw_create_job(rows));
  const auto out = small / "results.csv";
  ChildOptions run;
  run.args = {"run", dir.file("job.csv").string(), "--job", "tw.create", "--out", out.string(), "--concurrency", "4",
              "--progress", "lines"};
  run.env = sim_environment(where);

  const auto first = run_cli(run);
  EXPECT_EQ(first.exit_code, 3) << first.err;
  EXPECT_TRUE(contains(first.err, out.string() + ": No space left on device")) << first.err;
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

}  // namespace
}  // namespace ab::e2e
