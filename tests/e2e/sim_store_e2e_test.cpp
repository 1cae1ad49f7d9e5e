// --sim-store (issue 22): the option on both commands, and a rehearsal on the
// ids-only store over real sockets, refereed as strictly as on the full one.
#include "app/cli_options.hpp"
#include "e2e/support/e2e.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

namespace ab::e2e {
namespace {

// Valid nf.create rows, every profile distinct.
std::string create_job(std::size_t rows) {
  std::ostringstream job;
  job << "name,female,male,nonBinary,preferNotToSay,country,minAge,maxAge,interests,shared\n";
  for (std::size_t i = 1; i <= rows; ++i)
    job << "Rehearsal audience " << i << (i % 2 ? ",0.7,0.1,0.1,0.1" : ",0.35,0.35,0.21,0.09") << ",DE,18,"
        << 30 + i % 40 << ",AI|content," << (i % 3 ? "true" : "false") << "\n";
  return job.str();
}

Command parse(std::vector<std::string> args) {
  return parse_command_line(args, [](const char*) -> std::optional<std::string> { return std::nullopt; });
}

std::string usage_error(const Command& c) {
  auto* e = std::get_if<UsageError>(&c);
  return e ? e->message : std::string("(not a usage error)");
}

TEST(SimStoreOption, BothCommandsTakeItAndOnlyFullOrIds) {
  auto sim = parse({"sim", "--sim-store", "ids"});
  ASSERT_TRUE(std::holds_alternative<SimCommand>(sim)) << usage_error(sim);
  EXPECT_EQ(std::get<SimCommand>(sim).options.store, SimStore::ids);
  auto sim_default = parse({"sim"});
  ASSERT_TRUE(std::holds_alternative<SimCommand>(sim_default));
  EXPECT_EQ(std::get<SimCommand>(sim_default).options.store, SimStore::full);

  auto run = parse({"run", "j.csv", "--job", "nf.create", "--sim", "--sim-store", "ids"});
  ASSERT_TRUE(std::holds_alternative<RunCommand>(run)) << usage_error(run);
  EXPECT_TRUE(std::get<RunCommand>(run).options.sim_store_ids);
  auto run_full = parse({"run", "j.csv", "--job", "nf.create", "--sim", "--sim-store", "full"});
  ASSERT_TRUE(std::holds_alternative<RunCommand>(run_full)) << usage_error(run_full);
  EXPECT_FALSE(std::get<RunCommand>(run_full).options.sim_store_ids);

  EXPECT_NE(usage_error(parse({"sim", "--sim-store", "names"})).find("--sim-store: full or ids"), std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.create", "--sim-store", "ids"})).find("add --sim"),
            std::string::npos)
      << "without --sim there is no simulator to keep anything";
}

TEST(SimStoreE2e, AnIdsOnlyRehearsalCreatesEachAudienceOnceAndBreaksNoRule) {
  SimOptions night;
  night.store = SimStore::ids;
  night.throttle_rate = 0.10;
  night.seed = 13;
  Simulator sim(night);
  const auto where = sim.start();
  ScratchDir dir;
  const auto job = dir.file("nf.create.csv");
  write_file(job, create_job(3'000));
  const auto summary = run_job(options_for(where, job, "nf.create"), std::cerr);
  EXPECT_EQ(summary.exit_code, 0) << summary.error;

  const auto results = read_results(dir.file("nf.create.results.csv"));
  ASSERT_EQ(results.size(), 3'000u);
  EXPECT_EQ(count_status(results, "ok"), 3'000u);
  EXPECT_GT(answers(sim, 429), 0u);
  EXPECT_EQ(store_count(sim, "nf_creates"), 3'000u) << "each audience once";
  EXPECT_EQ(store_count(sim, "nf_audiences"), 3'000u);
  EXPECT_EQ(stats(sim).at("store").at("nf_store"), "ids");
  EXPECT_EQ(violations(sim), 0u) << sim.stats_json();

  // The ids it answered are the ones it knows: each deletes once, then is gone.
  std::string ids = "id\n";
  for (std::size_t row = 1; row <= 5; ++row) ids += results.at(row).id + "\n";
  write_file(dir.file("nf.delete.csv"), ids);
  EXPECT_EQ(run_job(options_for(where, dir.file("nf.delete.csv"), "nf.delete"), std::cerr).exit_code, 0);
  EXPECT_EQ(store_count(sim, "nf_audiences"), 2'995u);
  EXPECT_EQ(violations(sim), 0u) << sim.stats_json();
}

TEST(SimStoreE2e, RunSimWithTheIdsStoreFromTheCommandLine) {
  ScratchDir dir;
  const auto job = dir.file("night.csv");
  write_file(job, create_job(500));
  ChildOptions rehearsal;
  rehearsal.args = {"run", job.string(), "--job", "nf.create", "--sim", "--sim-store", "ids", "--progress", "lines"};
  auto child = run_cli(rehearsal);
  EXPECT_EQ(child.exit_code, 0) << child.err;
  const auto results = read_results(dir.file("night.results.csv"));
  EXPECT_EQ(count_status(results, "ok"), 500u);

  ChildOptions without_sim;
  without_sim.args = {"run", job.string(), "--job", "nf.create", "--sim-store", "ids"};
  auto refused = run_cli(without_sim);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--sim-store"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace ab::e2e
