// --budget-store, AUDIENCE_BATCH_BUDGET_STORE, --shard K/N and auto/N, and
// `report`: what the command line accepts and what it refuses (exit 2).
#include "app/cli_options.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace {

ab::Command parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return ab::parse_command_line(args, [env = std::move(env)](const char* name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
}

std::string usage_error(const ab::Command& c) {
  auto* e = std::get_if<ab::UsageError>(&c);
  return e ? e->message : std::string("(not a usage error)");
}

const ab::RunOptions& run_options(const ab::Command& c) {
  static const ab::RunOptions none;
  auto* r = std::get_if<ab::RunCommand>(&c);
  if (!r) ADD_FAILURE() << usage_error(c);
  return r ? r->options : none;
}

TEST(CliSharedOptions, BudgetStoreFromFlagElseEnvironment) {
  EXPECT_EQ(run_options(parse({"run", "j.csv", "--job", "nf.create", "--budget-store", "redis://r:6379/1"})).budget_store,
            "redis://r:6379/1");
  EXPECT_EQ(run_options(parse({"run", "j.csv", "--job", "nf.create"}, {{"AUDIENCE_BATCH_BUDGET_STORE", "redis://e:1"}}))
                .budget_store,
            "redis://e:1");
  EXPECT_EQ(run_options(parse({"run", "j.csv", "--job", "nf.create"})).budget_store, "");
}

TEST(CliSharedOptions, TlsIsAcceptedAndMalformedStoresAreRefused) {
  EXPECT_EQ(run_options(parse({"run", "j.csv", "--job", "nf.create", "--budget-store", "rediss://r:6380"})).budget_store,
            "rediss://r:6380");
  const auto scheme = usage_error(parse({"run", "j.csv", "--job", "nf.create", "--budget-store", "http://r:6380"}));
  EXPECT_NE(scheme.find("--budget-store: unsupported scheme \"http\""), std::string::npos) << scheme;
  const auto secret = usage_error(parse({"run", "j.csv", "--job", "nf.create"},
                                        {{"AUDIENCE_BATCH_BUDGET_STORE", "redis://u:hunter2@r:6379/x"}}));
  EXPECT_NE(secret.find("--budget-store"), std::string::npos) << secret;
  EXPECT_EQ(secret.find("hunter2"), std::string::npos) << "no secret in a message";
}

TEST(CliSharedOptions, AClientCertificateComesWithItsKeyForRedissOnly) {
  const std::string readable = "/proc/self/cmdline";  // any file this process can read
  const std::vector<std::string> tls{"run", "j.csv", "--job", "nf.create", "--budget-store", "rediss://r:6380"};
  auto with = [&](std::vector<std::string> more, std::vector<std::string> base) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
  };
  const auto both = parse(with({"--budget-store-cert", readable, "--budget-store-key", readable}, tls));
  EXPECT_EQ(run_options(both).budget_store_cert, readable);
  EXPECT_EQ(run_options(both).budget_store_key, readable);
  const auto env = parse(tls, {{"AUDIENCE_BATCH_BUDGET_STORE_CERT", readable},
                               {"AUDIENCE_BATCH_BUDGET_STORE_KEY", readable}});
  EXPECT_EQ(run_options(env).budget_store_cert, readable);
  EXPECT_NE(usage_error(parse(with({"--budget-store-cert", readable}, tls))).find("go together"), std::string::npos);
  EXPECT_NE(usage_error(parse(tls, {{"AUDIENCE_BATCH_BUDGET_STORE_KEY", readable}})).find("go together"),
            std::string::npos);
  EXPECT_NE(usage_error(parse(with({"--budget-store-cert", "/nonexistent/c.pem", "--budget-store-key", readable}, tls)))
                .find("--budget-store-cert: cannot read /nonexistent/c.pem"),
            std::string::npos);
  EXPECT_NE(usage_error(parse(with({"--budget-store-cert", readable, "--budget-store-key", "/nonexistent/k.pem"}, tls)))
                .find("--budget-store-key: cannot read /nonexistent/k.pem"),
            std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.create", "--budget-store", "redis://r:6379",
                               "--budget-store-cert", readable, "--budget-store-key", readable}))
                .find("needs rediss://"),
            std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.create", "--budget-store-cert", readable,
                               "--budget-store-key", readable}))
                .find("no --budget-store"),
            std::string::npos);
}

TEST(CliSharedOptions, ShardIsOneBasedAndAutoTakesTheCompletionIndex) {
  // The commands are kept: run_options() gives a reference into one.
  const auto given = parse({"run", "j.csv", "--job", "nf.create", "--shard", "2/4"});
  EXPECT_EQ(run_options(given).shard, 2u);
  EXPECT_EQ(run_options(given).shards, 4u);
  const auto pod = parse({"run", "j.csv", "--job", "nf.create", "--shard", "auto/4"}, {{"JOB_COMPLETION_INDEX", "0"}});
  EXPECT_EQ(run_options(pod).shard, 1u) << "Kubernetes counts pods from 0, shards count from 1";
  EXPECT_EQ(run_options(pod).shards, 4u);

  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.create", "--shard", "0/4"})).find("1 to N"), std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.create", "--shard", "5/4"})).find("1 to N"), std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.create", "--shard", "4"})).find("K/N"), std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.create", "--shard", "auto/4"})).find("JOB_COMPLETION_INDEX"),
            std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.create", "--shard", "auto/4"}, {{"JOB_COMPLETION_INDEX", "4"}}))
                .find("not below 4"),
            std::string::npos);
}

TEST(CliSharedOptions, ReportTakesTheJobFileAndResultsFiles) {
  auto c = parse({"report", "j.csv", "--results", "a.csv", "--results", "b.csv"});
  auto* r = std::get_if<ab::ReportCommand>(&c);
  ASSERT_NE(r, nullptr) << usage_error(c);
  EXPECT_EQ(r->job_file, "j.csv");
  EXPECT_EQ(r->results.size(), 2u);
  EXPECT_NE(usage_error(parse({"report"})).find("job file"), std::string::npos);
}

}  // namespace
