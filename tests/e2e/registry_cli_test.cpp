// The CLI, `check` and `run` read one table of kinds (jobs/registry.cpp): they
// accept exactly its names and budgets, and refuse the same headers.
#include "app/cli_options.hpp"
#include "e2e/support/e2e.hpp"
#include "jobs/registry.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace {

using namespace ab;
using namespace ab::e2e;

Command parse(std::vector<std::string> args) {
  return parse_command_line(args, [](const char* name) -> std::optional<std::string> {
    if (std::string_view(name) == "TWITTER_ADS_ACCOUNT_ID") return "18ce54d4x5t";
    return std::nullopt;
  });
}

std::string usage_error(const Command& c) {
  auto* e = std::get_if<UsageError>(&c);
  return e ? e->message : std::string();
}

TEST(RegistryCli, JobAcceptsExactlyTheTablesNames) {
  for (std::string_view name : job_kind_names()) {
    const auto check = parse({"check", "j.csv", "--job", std::string(name)});
    EXPECT_TRUE(std::holds_alternative<CheckCommand>(check)) << name << ": " << usage_error(check);
    const auto run = parse({"run", "j.csv", "--job", std::string(name)});
    EXPECT_TRUE(std::holds_alternative<RunCommand>(run)) << name << ": " << usage_error(run);
  }
  for (const char* stranger : {"nf.list", "tw.Count", "nf.", "create", "tw.count "}) {
    const auto c = parse({"run", "j.csv", "--job", stranger});
    EXPECT_EQ(usage_error(c), "--job: unknown kind \"" + std::string(stranger) + "\"; one of " + job_kind_list());
  }
}

TEST(RegistryCli, HelpListsEveryKindAndEveryBudgetDefault) {
  const auto help = std::get<HelpCommand>(parse({"--help"})).text;
  for (std::string_view name : job_kind_names()) EXPECT_NE(help.find(name), std::string::npos) << name;
  EXPECT_NE(help.find("tw.total_count=200/15m, tw.members=1500/1m"), std::string::npos) << help;
}

TEST(RegistryCli, RateAcceptsExactlyTheDeclaredBudgets) {
  for (std::string_view budget : budget_names()) {
    const auto c = parse({"run", "j.csv", "--job", "tw.count", "--rate", std::string(budget) + "=5/1s"});
    ASSERT_TRUE(std::holds_alternative<RunCommand>(c)) << budget << ": " << usage_error(c);
  }
  EXPECT_TRUE(usage_error(parse({"run", "j.csv", "--job", "tw.count", "--rate", "tw.totalcount=5/1s"}))
                  .starts_with("--rate: no budget is named \"tw.totalcount\" (did you mean tw.total_count?)"));
}

TEST(RegistryCli, RateWarnsWhenTheKindDoesNotChargeTheBudget) {
  const auto c = parse({"run", "j.csv", "--job", "tw.create", "--rate", "tw.total_count=5/1s"});
  ASSERT_TRUE(std::holds_alternative<RunCommand>(c)) << usage_error(c);
  const auto& warnings = std::get<RunCommand>(c).warnings;
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "--rate tw.total_count does nothing for tw.create: only tw.count charges it");
  const auto counted = parse({"run", "j.csv", "--job", "tw.count", "--rate", "tw.total_count=5/1s"});
  EXPECT_TRUE(std::get<RunCommand>(counted).warnings.empty());
}

TEST(RegistryCli, AKindsOwnFlagIsRefusedWithAnyOtherKind) {
  EXPECT_EQ(usage_error(parse({"run", "j.csv", "--job", "nf.create", "--create"})),
            "--create is for --job nf.url-import only, not nf.create");
  EXPECT_TRUE(std::holds_alternative<RunCommand>(parse({"run", "j.csv", "--job", "nf.url-import", "--create"})));
}

// Every kind, given a header without any of its columns: `check` and `run`
// answer alike (exit 2 with the same reason when a column is required,
// nothing to do when none is), and nothing is sent.
TEST(RegistryCli, CheckAndRunRefuseTheSameHeaders) {
  Simulator sim(SimOptions{});
  const auto where = sim.start();
  ScratchDir dir;
  for (const KindDeclaration* declared : job_kinds()) {
    SCOPED_TRACE(std::string(declared->name));
    const auto job = dir.file(std::string(declared->name) + ".csv");
    write_file(job, "unrelated\nx\n");
    RunOptions options = options_for(where, job, std::string(declared->name));
    std::ostringstream report;
    const auto requests_before = stats(sim).at("total_requests").to_number<std::uint64_t>();
    const CheckSummary checked = check_job(job, options.kind, options.job, report);
    const Summary ran = run_job(options, std::cerr);
    const auto requests = stats(sim).at("total_requests").to_number<std::uint64_t>() - requests_before;
    const bool requires_a_column =
        std::any_of(declared->columns.begin(), declared->columns.end(), [](const Column& c) { return c.required; });
    if (requires_a_column) {
      EXPECT_EQ(checked.exit_code, 2);
      EXPECT_EQ(ran.exit_code, 2);
      EXPECT_TRUE(checked.error.starts_with(job.string() + ": missing required column")) << checked.error;
      EXPECT_EQ(ran.error, checked.error);
      EXPECT_EQ(requests, 0u);
    } else {
      EXPECT_EQ(checked.exit_code, 0);
      EXPECT_NE(ran.exit_code, 2) << ran.error;
    }
  }
  EXPECT_EQ(violations(sim), 0u);
}

}  // namespace
