// The command line as SPEC.md §2-§8 names it: flags, environment, defaults,
// and exit code 2 with a one-line reason for any misuse.
#include "app/cli_options.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <map>
#include <string>
#include <sys/wait.h>

namespace {

using ab::Command;

ab::Environment env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Command parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return ab::parse_command_line(args, env_of(std::move(env)));
}

std::string usage_error(const Command& c) {
  auto* e = std::get_if<ab::UsageError>(&c);
  return e ? e->message : std::string("(not a usage error)");
}

TEST(CliOptions, RunTakesDefaultsFromSpec) {
  auto c = parse({"run", "jobs.csv", "--job", "nf.create"});
  ASSERT_TRUE(std::holds_alternative<ab::RunCommand>(c)) << usage_error(c);
  const auto& o = std::get<ab::RunCommand>(c).options;
  EXPECT_EQ(o.job_file, "jobs.csv");
  EXPECT_EQ(o.kind, "nf.create");
  EXPECT_EQ(o.concurrency, 32u);
  EXPECT_EQ(o.max_attempts, 8u);
  EXPECT_EQ(o.timeout, std::chrono::seconds(30));
  EXPECT_FALSE(o.deadline.has_value());
  EXPECT_EQ(o.job.nf.api, "https://app.neuroflash.com/api");
  EXPECT_EQ(o.job.nf.token_url, "https://id.neuroflash.com/oauth/v2/token");
  EXPECT_EQ(o.job.tw.api, "https://ads-api.x.com/12");  // the version X serves today (API.md §B11)
  EXPECT_EQ(o.job.audience_model, "538b1efc6f88ad88feebf7acd8c618facb54fe82");
}

TEST(CliOptions, FlagBeatsEnvironmentBeatsDefault) {
  auto c = parse({"run", "j.csv", "--job", "nf.get", "--nf-api", "https://flag.example/api"},
                 {{"NEUROFLASH_API_URL", "https://env.example/api"},
                  {"NEUROFLASH_TOKEN_URL", "https://id.env.example/token"},
                  {"NEUROFLASH_WORKSPACE_ID", "ws-7"},
                  {"NEUROFLASH_CLIENT_ID", "cid"},
                  {"NEUROFLASH_CLIENT_SECRET", "csecret"}});
  ASSERT_TRUE(std::holds_alternative<ab::RunCommand>(c)) << usage_error(c);
  const auto& nf = std::get<ab::RunCommand>(c).options.job.nf;
  EXPECT_EQ(nf.api, "https://flag.example/api");
  EXPECT_EQ(nf.token_url, "https://id.env.example/token");
  EXPECT_EQ(nf.workspace, "ws-7");
  EXPECT_EQ(nf.client_id, "cid");
  EXPECT_EQ(nf.client_secret, "csecret");
}

TEST(CliOptions, MarksDirectoryComesFromTheEnvironmentElseDevShm) {
  auto plain = parse({"run", "j.csv", "--job", "nf.create"});
  ASSERT_TRUE(std::holds_alternative<ab::RunCommand>(plain)) << usage_error(plain);
  EXPECT_EQ(std::get<ab::RunCommand>(plain).options.marks_directory, "/dev/shm");
  auto named = parse({"run", "j.csv", "--job", "nf.create"}, {{"AUDIENCE_BATCH_MARKS_DIR", "/run/user/1000/nights"}});
  ASSERT_TRUE(std::holds_alternative<ab::RunCommand>(named)) << usage_error(named);
  EXPECT_EQ(std::get<ab::RunCommand>(named).options.marks_directory, "/run/user/1000/nights");
  auto empty = parse({"run", "j.csv", "--job", "nf.create"}, {{"AUDIENCE_BATCH_MARKS_DIR", ""}});
  ASSERT_TRUE(std::holds_alternative<ab::RunCommand>(empty)) << usage_error(empty);
  EXPECT_EQ(std::get<ab::RunCommand>(empty).options.marks_directory, "/dev/shm") << "empty is no choice";
}

TEST(CliOptions, TwApiMustNameAVersionTheTableKnows) {
  for (const char* url : {"https://ads-api.x.com/8", "https://ads-api.x.com/11", "https://ads-api.x.com/12/"}) {
    auto c = parse({"run", "j.csv", "--job", "tw.get", "--tw-account", "a", "--tw-api", url});
    EXPECT_TRUE(std::holds_alternative<ab::RunCommand>(c)) << url << ": " << usage_error(c);
  }
  for (const char* url : {"https://ads-api.x.com/7", "https://ads-api.x.com/99", "https://ads-api.x.com"}) {
    const auto message = usage_error(parse({"check", "j.csv", "--job", "tw.get", "--tw-api", url}));
    EXPECT_NE(message.find("--tw-api"), std::string::npos) << message;
    EXPECT_NE(message.find("8, 9, 10, 11, 12"), std::string::npos) << message;
  }
  // Only tw.* jobs care which X version a stray environment names.
  auto nf = parse({"run", "j.csv", "--job", "nf.get"}, {{"TWITTER_ADS_API_URL", "https://ads-api.x.com/7"}});
  EXPECT_TRUE(std::holds_alternative<ab::RunCommand>(nf)) << usage_error(nf);
}

TEST(CliOptions, SecretsAreNotFlags) {
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.create", "--client-secret", "x"})).find("client-secret"),
            std::string::npos);
}

TEST(CliOptions, DurationsRatesAndLimitsAreChecked) {
  auto c = parse({"run", "j.csv", "--job", "tw.count", "--tw-account", "acc", "--timeout", "500ms", "--deadline",
                  "1h30m", "--rate", "tw.total_count=200/15m", "--rate", "nf=20/1s", "--concurrency", "4"});
  ASSERT_TRUE(std::holds_alternative<ab::RunCommand>(c)) << usage_error(c);
  const auto& o = std::get<ab::RunCommand>(c).options;
  EXPECT_EQ(o.timeout, std::chrono::milliseconds(500));
  EXPECT_EQ(*o.deadline, std::chrono::minutes(90));
  ASSERT_EQ(o.rates.size(), 2u);
  EXPECT_EQ(o.rates[0].name, "tw.total_count");
  EXPECT_EQ(o.rates[0].limit, 200u);
  EXPECT_EQ(o.rates[0].window, std::chrono::minutes(15));
  EXPECT_EQ(o.rates[1].window, std::chrono::seconds(1));
  EXPECT_EQ(o.concurrency, 4u);

  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.get", "--timeout", "soon"})).find("--timeout"),
            std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.get", "--rate", "nf=20"})).find("--rate"),
            std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.get", "--rate", "=1/1s"})).find("--rate"),
            std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.get", "--concurrency", "0"})).find("--concurrency"),
            std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.get", "--max-attempts", "0"})).find("--max-attempts"),
            std::string::npos);
}

TEST(CliOptions, JobKindAndFileAreRequired) {
  EXPECT_NE(usage_error(parse({"run", "j.csv"})).find("--job"), std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "--job", "nf.create"})).find("job file"), std::string::npos);
  auto unknown = usage_error(parse({"run", "j.csv", "--job", "nf.explode"}));
  EXPECT_NE(unknown.find("nf.explode"), std::string::npos);
  EXPECT_NE(unknown.find("tw.flexible"), std::string::npos) << "lists the kinds";
}

TEST(CliOptions, TwitterJobsNeedAnAccountUnlessSimulated) {
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "tw.create"})).find("--tw-account"), std::string::npos);
  EXPECT_TRUE(std::holds_alternative<ab::RunCommand>(parse({"run", "j.csv", "--job", "tw.create", "--sim"})));
  EXPECT_TRUE(std::holds_alternative<ab::RunCommand>(
      parse({"run", "j.csv", "--job", "tw.create"}, {{"TWITTER_ADS_ACCOUNT_ID", "abc"}})));
  EXPECT_TRUE(std::holds_alternative<ab::CheckCommand>(parse({"check", "j.csv", "--job", "tw.create"})));
}

TEST(CliOptions, UrlsMustBeAbsoluteHttp) {
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.get", "--nf-api", "app.neuroflash.com"})).find("--nf-api"),
            std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.get", "--tw-api", "ftp://x/8"})).find("--tw-api"),
            std::string::npos);
}

TEST(CliOptions, SimOptions) {
  auto c = parse({"sim", "--port", "0", "--latency", "50ms", "--error-rate", "0.2", "--throttle-rate", "0.1",
                  "--reset-rate", "0.05", "--lost-reply-rate", "0.02", "--total-count-limit", "200/10s", "--seed", "7",
                  "--tls", "cert.pem", "key.pem"});
  ASSERT_TRUE(std::holds_alternative<ab::SimCommand>(c)) << usage_error(c);
  const auto& o = std::get<ab::SimCommand>(c).options;
  EXPECT_EQ(o.port, 0);
  EXPECT_EQ(o.latency, std::chrono::milliseconds(50));
  EXPECT_DOUBLE_EQ(o.error_rate, 0.2);
  EXPECT_DOUBLE_EQ(o.lost_reply_rate, 0.02);
  EXPECT_EQ(o.total_count_limit, 200u);
  EXPECT_EQ(o.total_count_window, std::chrono::seconds(10));
  EXPECT_EQ(o.seed, 7u);
  EXPECT_EQ(o.tls_cert, "cert.pem");
  EXPECT_EQ(o.tls_key, "key.pem");

  EXPECT_NE(usage_error(parse({"sim", "--error-rate", "1.5"})).find("--error-rate"), std::string::npos);
  EXPECT_NE(usage_error(parse({"sim", "--tls", "only-cert.pem"})).find("--tls"), std::string::npos);
  EXPECT_NE(usage_error(parse({"sim", "--job", "nf.create"})).find("not an option of 'sim'"), std::string::npos);
  EXPECT_NE(usage_error(parse({"run", "j.csv", "--job", "nf.get", "--latency", "1s"})).find("not an option of 'run'"),
            std::string::npos);
}

TEST(CliOptions, HelpAndVersion) {
  auto help = parse({"--help"});
  ASSERT_TRUE(std::holds_alternative<ab::HelpCommand>(help));
  const auto& text = std::get<ab::HelpCommand>(help).text;
  for (const char* must : {"run", "check", "sim", "--concurrency", "--rate", "--deadline", "examples", "NEUROFLASH_CLIENT_ID"})
    EXPECT_NE(text.find(must), std::string::npos) << must;
  EXPECT_TRUE(std::holds_alternative<ab::VersionCommand>(parse({"--version"})));
  EXPECT_TRUE(std::holds_alternative<ab::HelpCommand>(parse({"run", "--help"})));
  EXPECT_TRUE(std::holds_alternative<ab::UsageError>(parse({})));
  EXPECT_TRUE(std::holds_alternative<ab::UsageError>(parse({"launch"})));
}

// The binary itself: exit codes and the one-line reason on stderr.
struct Ran {
  int code = -1;
  std::string out;
};

Ran run_binary(const std::string& args) {
  Ran r;
  std::string cmd = std::string(AB_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (auto n = fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(CliBinary, HelpVersionAndMisuse) {
  auto help = run_binary("--help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("audience-batch run"), std::string::npos);
  auto version = run_binary("--version");
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.out.rfind("audience-batch ", 0), 0u);
  auto misuse = run_binary("run nothing.csv --job nf.create --concurrency lots");
  EXPECT_EQ(misuse.code, 2);
  EXPECT_EQ(std::count(misuse.out.begin(), misuse.out.end(), '\n'), 1) << misuse.out;
  auto unreadable = run_binary("check /nonexistent/jobs.csv --job nf.create");
  EXPECT_EQ(unreadable.code, 2) << unreadable.out;
}

}  // namespace
