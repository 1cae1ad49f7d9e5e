// --echo and `check -` on the real binary: input columns copied into the
// results after `error`, refusals (exit 2, nothing sent) for a column the file
// lacks, a personal identifier, or a rerun with other columns; a job checked
// from standard input, and messages that name it "standard input".
#include "e2e/support/e2e.hpp"

#include <gtest/gtest.h>

namespace ab::e2e {
namespace {

// Three nf.create rows with a key of the user's own; row 2 is invalid.
const char* keyed_rows =
    "crm_key,name,female,male,nonBinary,preferNotToSay,country,minAge,maxAge,interests\n"
    "K-1,One,0.7,0.1,0.1,0.1,US,25,45,AI\n"
    "\"K,2\",Two,0.5,0.5,0.1,0,DE,25,45,AI\n"
    "K-3,Three,0.7,0.1,0.1,0.1,FR,25,45,AI\n";

TEST(EchoE2e, NamedColumnsFollowErrorOnEveryLineAndARerunKeepsThem) {
  Simulator sim({});
  const auto env = sim_environment(sim.start());
  ScratchDir dir;
  write_file(dir.file("job.csv"), keyed_rows);
  const auto run = cli({"run", dir.file("job.csv").string(), "--job", "nf.create", "--echo", "crm_key,country"}, env);
  const auto first = run_cli(run);
  EXPECT_EQ(first.exit_code, 1) << first.err;
  const auto text = read_file(dir.file("job.results.csv"));
  EXPECT_TRUE(text.starts_with("row,status,http_status,id,attempts,error,crm_key,country\n")) << text;
  const auto results = read_results(dir.file("job.results.csv"));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results.at(1).status, "ok");
  EXPECT_EQ(results.at(1).echo, (std::vector<std::string>{"K-1", "US"}));
  EXPECT_EQ(results.at(2).status, "invalid");
  EXPECT_EQ(results.at(2).echo, (std::vector<std::string>{"K,2", "DE"})) << "an invalid row is echoed too";
  EXPECT_EQ(results.at(3).echo, (std::vector<std::string>{"K-3", "FR"}));

  // The same command again: nothing left to send, the file as it was.
  const auto again = run_cli(run);
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_EQ(read_file(dir.file("job.results.csv")), text);

  // Other columns on the same results file: refused, nothing sent.
  const auto other = run_cli(cli({"run", dir.file("job.csv").string(), "--job", "nf.create", "--retry", "invalid",
                                  "--echo", "crm_key"},
                                 env));
  EXPECT_EQ(other.exit_code, 2) << other.err;
  EXPECT_NE(other.err.find("was begun with --echo crm_key,country: run again with --echo crm_key,country"),
            std::string::npos)
      << other.err;
  EXPECT_EQ(store_count(sim, "nf_creates"), 2u);
  EXPECT_EQ(read_file(dir.file("job.results.csv")), text);
}

TEST(EchoE2e, WithoutEchoTheHeaderIsTheSpecs) {
  Simulator sim({});
  auto result = run_cli(cli({"run", "-", "--job", "nf.create", "--out", "-"}, sim_environment(sim.start())),
                        keyed_rows);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_TRUE(result.out.starts_with("row,status,http_status,id,attempts,error\n")) << result.out;
  EXPECT_NE(result.out.find("\n1,ok,201,"), std::string::npos) << result.out;
}

TEST(EchoE2e, AnUnknownColumnIsRefusedWithANearNameBeforeAnythingIsSent) {
  Simulator sim({});
  ScratchDir dir;
  write_file(dir.file("job.csv"), keyed_rows);
  const auto result = run_cli(
      cli({"run", dir.file("job.csv").string(), "--job", "nf.create", "--echo", "crmkey"}, sim_environment(sim.start())));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--echo: the job file has no column 'crmkey' (did you mean 'crm_key'?)"), std::string::npos)
      << result.err;
  EXPECT_EQ(answers(sim), 0u) << "not even a login";
  EXPECT_FALSE(std::filesystem::exists(dir.file("job.results.csv")));
  // check refuses it as a run would.
  const auto checked = run_cli(cli({"check", dir.file("job.csv").string(), "--job", "nf.create", "--echo", "crmkey"}, {}));
  EXPECT_EQ(checked.exit_code, 2);
  EXPECT_NE(checked.err.find("(did you mean 'crm_key'?)"), std::string::npos) << checked.err;
}

TEST(EchoE2e, MisusesThatNeedNoFileAreRefusedByTheCommandLine) {
  for (const auto& [given, said] : std::vector<std::pair<std::string, std::string>>{
           {"crm_key,,country", "--echo: a column name is empty"},
           {"crm_key,crm_key", "--echo: 'crm_key' is named twice"},
           {"id", "--echo: 'id' is a column of the results file already"}}) {
    const auto result = run_cli(cli({"run", "job.csv", "--job", "nf.create", "--echo", given}, {}));
    EXPECT_EQ(result.exit_code, 2) << given;
    EXPECT_NE(result.err.find(said), std::string::npos) << result.err;
  }
}

TEST(EchoE2e, TwMembersNeverEchoesAnIdentifierButMayEchoThePartnerId) {
  Simulator sim({});
  const auto env = sim_environment(sim.start());
  ScratchDir dir;
  write_file(dir.file("members.csv"),
             "audience_id,email,partner_user_id\nabc1,Jane.Doe@Example.com,crm-1\nabc1,not-an-email,crm-2\n");
  const auto refused = run_cli(cli({"run", dir.file("members.csv").string(), "--job", "tw.members", "--echo",
                                    "partner_user_id,email"},
                                   env));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("'email' holds personal identifiers"), std::string::npos) << refused.err;
  EXPECT_EQ(answers(sim), 0u);

  const auto run = run_cli(
      cli({"run", dir.file("members.csv").string(), "--job", "tw.members", "--echo", "partner_user_id"}, env));
  const auto results = read_results(dir.file("members.results.csv"));
  ASSERT_EQ(results.size(), 2u) << run.err;
  EXPECT_EQ(results.at(2).status, "invalid");
  EXPECT_EQ(results.at(2).echo, std::vector<std::string>{"crm-2"});
  EXPECT_EQ(read_file(dir.file("members.results.csv")).find("Example"), std::string::npos);
}

TEST(CheckFromStandardInput, JudgesEveryRowAndNeedsNoOut) {
  const auto result = run_cli(cli({"check", "-", "--job", "nf.create"}, {}), keyed_rows);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("row 2: "), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("check: 3 rows, 2 valid, 1 invalid"), std::string::npos) << result.err;
}

TEST(CheckFromStandardInput, AMissingColumnNamesStandardInputNotATemporaryFile) {
  const auto checked = run_cli(cli({"check", "-", "--job", "nf.create"}, {}), "name\nOne\n");
  EXPECT_EQ(checked.exit_code, 2);
  EXPECT_NE(checked.err.find("standard input: missing required columns"), std::string::npos) << checked.err;
  EXPECT_EQ(checked.err.find("/tmp"), std::string::npos) << checked.err;
  Simulator sim({});
  const auto run = run_cli(cli({"run", "-", "--job", "nf.create", "--out", "-"}, sim_environment(sim.start())),
                           "name\nOne\n");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("standard input: missing required columns"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("/tmp"), std::string::npos) << run.err;
  EXPECT_EQ(answers(sim), 0u);
}

TEST(CheckFromStandardInput, AnEmptyInputIsRefusedForWhatItIs) {
  const auto checked = run_cli(cli({"check", "-", "--job", "nf.create"}, {}), "");
  EXPECT_EQ(checked.exit_code, 2);
  EXPECT_NE(checked.err.find("standard input"), std::string::npos) << checked.err;
  EXPECT_EQ(checked.err.find("/tmp"), std::string::npos) << checked.err;
}

}  // namespace
}  // namespace ab::e2e
