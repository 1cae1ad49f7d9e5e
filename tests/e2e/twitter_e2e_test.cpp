// The tw.* kinds against the simulator over real sockets, every request
// signed: a whole lifecycle (create, get, update, count, list, flexible,
// delete), creates under lost replies without a duplicate, tw.count paced by
// the 200-per-window total_count budget with no 429, ids and batches within
// the API's limits. The referee must count no broken rule. Every test runs
// twice: against v8 (tailored_audiences) and the version X serves today
// (custom_audiences), the simulator serving both over one store.
#include "e2e/support/e2e.hpp"
#include "engine/journal/journal.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

namespace ab::e2e {
namespace {

namespace json = boost::json;

struct Job {
  Summary summary;
  std::map<std::size_t, ResultLine> results;
  std::map<std::size_t, std::vector<json::object>> responses;  // --responses lines by row
};

Job run_tw(const SimEndpoints& where, const ScratchDir& dir, const std::string& kind, const std::string& csv,
           const std::function<void(RunOptions&)>& adjust = {}) {
  const auto job = dir.file(kind + ".csv");
  const auto out = dir.file(kind + ".results.csv");
  const auto responses = dir.file(kind + ".jsonl");
  std::filesystem::remove(out);
  std::filesystem::remove(sidecar_path(out));
  std::filesystem::remove(responses);
  write_file(job, csv);
  auto options = options_for(where, job, kind);
  options.responses = responses;
  if (adjust) adjust(options);
  Job ran{run_job(options, std::cerr), read_results(out), {}};
  if (std::filesystem::exists(responses)) {
    std::istringstream lines(read_file(responses));
    for (std::string line; std::getline(lines, line);) {
      auto object = json::parse(line).as_object();
      ran.responses[object.at("row").to_number<std::size_t>()].push_back(std::move(object));
    }
  }
  return ran;
}

// The simulator's count of answers on one endpoint ("tw.batch", "tw.list"), by status.
std::map<unsigned, std::uint64_t> answered(const Simulator& sim, const std::string& endpoint) {
  std::map<unsigned, std::uint64_t> by_status;
  const auto s = stats(sim);
  if (const auto* per = s.at("requests").as_object().if_contains(endpoint))
    for (const auto& [status, n] : per->as_object())
      by_status[static_cast<unsigned>(std::stoul(std::string(status)))] += n.to_number<std::uint64_t>();
  return by_status;
}

std::uint64_t total(const std::map<unsigned, std::uint64_t>& by_status) {
  std::uint64_t n = 0;
  for (const auto& [status, count] : by_status) n += count;
  return n;
}

std::string name_of(const json::object& line) { return std::string(line.at("data").at("name").as_string()); }

// The suite's parameter: the X Ads API version the job's --tw-api names.
class TwitterE2e : public ::testing::TestWithParam<unsigned> {
 protected:
  // `where` with tw_api at the version under test.
  SimEndpoints at_version(SimEndpoints where) const {
    if (GetParam() == 8) where.tw_api = where.tw_api_v8;
    return where;
  }
};

INSTANTIATE_TEST_SUITE_P(Versions, TwitterE2e, ::testing::Values(8u, 12u),
                         [](const ::testing::TestParamInfo<unsigned>& version) {
                           return "v" + std::to_string(version.param);
                         });

std::string flexible_row(const std::string& name, const std::string& first, const std::string& second) {
  return name + ",\"{\"\"boolean_operator\"\":\"\"AND\"\",\"\"child_segments\"\":[{\"\"tailored_audience_id\"\":\"\"" + first +
         "\"\",\"\"lookback_window\"\":30},{\"\"boolean_operator\"\":\"\"OR\"\",\"\"child_segments\"\":[{\"\"tailored_audience_id\"\":\"\"" +
         second + "\"\",\"\"lookback_window\"\":7,\"\"negate\"\":true}]}]}\"\n";
}

TEST_P(TwitterE2e, ALifecycleFromCreateToDelete) {
  Simulator sim({});
  const auto where = at_version(sim.start());
  ScratchDir dir;

  // One at a time: the list below is sorted by created_at, which concurrent
  // creates would leave to the order their requests happened to arrive in.
  auto created = run_tw(where, dir, "tw.create",
                        "name,description\nLifecycle alpha,first of three\nLifecycle beta,\nLifecycle gamma,third\n",
                        [](RunOptions& o) { o.concurrency = 1; });
  EXPECT_EQ(created.summary.exit_code, 0) << created.summary.error;
  ASSERT_EQ(count_status(created.results, "ok"), 3u);
  const std::string alpha = created.results.at(1).id, beta = created.results.at(2).id, gamma = created.results.at(3).id;
  EXPECT_EQ(name_of(created.responses.at(2).at(0)), "Lifecycle beta");

  auto got = run_tw(where, dir, "tw.get", "id\n" + alpha + "\n" + gamma + "\nzzzzzzzz\n" + alpha + "\n");
  EXPECT_EQ(got.summary.exit_code, 1);
  EXPECT_EQ(got.results.at(1).status, "ok");
  EXPECT_EQ(got.results.at(4).status, "ok") << "a duplicate id is answered too";
  EXPECT_EQ(got.results.at(3).status, "failed");
  EXPECT_NE(got.results.at(3).error.find("not found"), std::string::npos);
  EXPECT_EQ(name_of(got.responses.at(2).at(0)), "Lifecycle gamma");

  auto updated = run_tw(where, dir, "tw.update", "id,name,description\n" + beta + ",Lifecycle beta renamed,\n");
  EXPECT_EQ(updated.summary.exit_code, 0) << updated.summary.error;
  EXPECT_EQ(name_of(updated.responses.at(1).at(0)), "Lifecycle beta renamed");

  auto counted = run_tw(where, dir, "tw.count", "q,with_deleted\nlifecycle,false\nLifecycle beta,\nNo such prefix,\n");
  EXPECT_EQ(counted.summary.exit_code, 0) << counted.summary.error;
  EXPECT_EQ(counted.responses.at(1).at(0).at("total_count"), 3);
  EXPECT_EQ(counted.responses.at(2).at(0).at("total_count"), 1);
  EXPECT_EQ(counted.responses.at(3).at(0).at("total_count"), 0);
  EXPECT_EQ(counted.responses.at(1).at(0).at("q"), "lifecycle");

  auto listed = run_tw(where, dir, "tw.list", "q,sort_by\nLifecycle,created_at-desc\n");
  EXPECT_EQ(listed.summary.exit_code, 0) << listed.summary.error;
  ASSERT_EQ(listed.responses.at(1).size(), 3u);
  EXPECT_EQ(name_of(listed.responses.at(1).at(0)), "Lifecycle gamma");

  auto flexible = run_tw(where, dir, "tw.flexible",
                         "name,segments\n" + flexible_row("Lifecycle flex one", alpha, beta) +
                             flexible_row("Lifecycle flex broken", alpha, "zzzzzzzz") +
                             flexible_row("Lifecycle flex two", gamma, alpha));
  EXPECT_EQ(flexible.summary.exit_code, 1);
  EXPECT_EQ(flexible.results.at(1).status, "ok");
  EXPECT_EQ(flexible.results.at(3).status, "ok") << "the good items land despite the bad one";
  EXPECT_EQ(flexible.results.at(2).status, "failed");
  EXPECT_NE(flexible.results.at(2).error.find("zzzzzzzz"), std::string::npos) << flexible.results.at(2).error;
  EXPECT_EQ(total(answered(sim, "tw.batch")), 2u) << "one refused batch, one without the bad item";

  auto deleted = run_tw(where, dir, "tw.delete", "id\n" + alpha + "\n" + gamma + "\n");
  EXPECT_EQ(deleted.summary.exit_code, 0) << deleted.summary.error;
  EXPECT_TRUE(deleted.responses.at(1).at(0).at("data").at("deleted").as_bool());
  auto after = run_tw(where, dir, "tw.get", "id\n" + alpha + "\n");
  EXPECT_EQ(after.results.at(1).status, "ok") << "a get finds deleted audiences too";
  EXPECT_TRUE(after.responses.at(1).at(0).at("data").at("deleted").as_bool());

  EXPECT_EQ(violations(sim), 0u) << sim.stats_json();
}

TEST_P(TwitterE2e, CreatesUnderLostRepliesAreNeverDuplicated) {
  SimOptions lossy;
  lossy.lost_reply_rate = 0.05;
  lossy.seed = 5;
  Simulator sim(lossy);
  const auto where = at_version(sim.start());
  ScratchDir dir;
  std::ostringstream csv;
  csv << "name,description\n";
  for (int i = 1; i <= 300; ++i) csv << "Lossy night " << i << ",row " << i << "\n";
  auto created = run_tw(where, dir, "tw.create", csv.str());

  EXPECT_EQ(created.summary.exit_code, 0) << created.summary.error;
  EXPECT_EQ(count_status(created.results, "ok"), 300u);
  EXPECT_EQ(store_count(sim, "tw_creates"), 300u) << "every lost reply reconciled, none created twice";
  EXPECT_GT(total(answered(sim, "fault.lost_reply")), 0u) << "the night did lose replies";
  EXPECT_GT(total(answered(sim, "tw.list")), 1u) << "lost creates were looked up (one list is the start check)";
  EXPECT_EQ(stats(sim).at("violations").as_object().if_contains("duplicate_create"), nullptr) << sim.stats_json();
  EXPECT_EQ(violations(sim), 0u) << sim.stats_json();
}

TEST_P(TwitterE2e, BulkExportAndLookupsStayWithinTheApisLimits) {
  // X's published write budget (450 a minute) would pace 1,050 creates over
  // three minutes; this test is about ids and batches, not that pace.
  SimOptions unpaced;
  unpaced.tw_published_budgets = false;
  Simulator sim(unpaced);
  const auto where = at_version(sim.start());
  ScratchDir dir;
  std::ostringstream names;
  names << "name\n";
  for (int i = 1; i <= 1050; ++i) names << "Bulk " << i << "\n";
  auto created = run_tw(where, dir, "tw.create", names.str());
  ASSERT_EQ(count_status(created.results, "ok"), 1050u) << created.summary.error;

  const auto list_requests_before = total(answered(sim, "tw.list"));
  auto listed = run_tw(where, dir, "tw.list", "q\nbulk\n");
  EXPECT_EQ(listed.summary.exit_code, 0) << listed.summary.error;
  EXPECT_EQ(listed.responses.at(1).size(), 1050u) << "both pages of 1000 exported";
  EXPECT_EQ(total(answered(sim, "tw.list")) - list_requests_before, 3u) << "start check + two pages";

  std::ostringstream ids;
  ids << "id\n";
  for (const auto& [row, r] : created.results) ids << r.id << "\n";
  const auto before_get = total(answered(sim, "tw.list"));
  auto got = run_tw(where, dir, "tw.get", ids.str());
  EXPECT_EQ(got.summary.exit_code, 0) << got.summary.error;
  EXPECT_EQ(count_status(got.results, "ok"), 1050u);
  const auto get_requests = total(answered(sim, "tw.list")) - before_get;  // tw.get sends no start check
  EXPECT_GE(get_requests, 6u) << "at most 200 ids a request";
  EXPECT_LT(get_requests, 60u) << "ids are coalesced, not one request each";

  std::ostringstream flex;
  flex << "name,segments\n";
  for (int i = 1; i <= 25; ++i)
    flex << flexible_row("Bulk flex " + std::to_string(i), created.results.at(1).id, created.results.at(2).id);
  auto flexible = run_tw(where, dir, "tw.flexible", flex.str());
  EXPECT_EQ(flexible.summary.exit_code, 0) << flexible.summary.error;
  EXPECT_EQ(count_status(flexible.results, "ok"), 25u);
  EXPECT_GE(total(answered(sim, "tw.batch")), 3u) << "at most 10 items a batch";

  EXPECT_EQ(violations(sim), 0u) << sim.stats_json();
}

// 600 tw.count rows against a simulator that allows 200 total_count requests
// per 10 s, the engine told `told_limit` per 10 s.
struct TightCount {
  Job job;
  std::uint64_t throttled = 0;  // 429 answers the simulator gave
  std::uint64_t total_violations = 0;
  boost::json::object violations;  // by rule
  std::string stats;
};

TightCount count_600_rows(std::uint64_t told_limit, unsigned concurrency, unsigned version) {
  SimOptions tight;
  tight.total_count_limit = 200;
  tight.total_count_window = std::chrono::seconds(10);
  Simulator sim(tight);
  auto where = sim.start();
  if (version == 8) where.tw_api = where.tw_api_v8;
  ScratchDir dir;
  std::ostringstream csv;
  csv << "q\n";
  for (int i = 1; i <= 600; ++i) csv << "Newsletter " << i << "\n";
  auto job = run_tw(where, dir, "tw.count", csv.str(), [&](RunOptions& o) {
    o.rates.push_back(RateSpec{"tw.total_count", told_limit, std::chrono::seconds(10)});
    o.concurrency = concurrency;
  });
  return {std::move(job), answers(sim, 429), violations(sim), stats(sim).at("violations").as_object(), sim.stats_json()};
}

TEST_P(TwitterE2e, CountKeepsTheTotalCountBudgetWithoutA429) {
  // Three windows' worth: about 20 s (not asserted: the referee's counts are).
  const auto run = count_600_rows(200, 32, GetParam());
  EXPECT_EQ(run.job.summary.exit_code, 0) << run.job.summary.error;
  EXPECT_EQ(count_status(run.job.results, "ok"), 600u);
  EXPECT_EQ(run.job.responses.size(), 600u);
  EXPECT_EQ(run.throttled, 0u) << run.stats;
  EXPECT_EQ(run.job.summary.throttled, 0u);
  EXPECT_EQ(run.total_violations, 0u) << run.stats;
}

TEST_P(TwitterE2e, CountToldTooHighARateLearnsTheRealPaceAndLosesNoRow) {
  constexpr unsigned concurrency = 8;
  const auto run = count_600_rows(400, concurrency, GetParam());
  EXPECT_EQ(run.job.summary.exit_code, 0) << run.job.summary.error;
  EXPECT_EQ(count_status(run.job.results, "ok"), 600u);
  // The server's x-rate-limit-remaining caps what is in flight, so even told
  // twice the real rate the engine never runs into the server's limit.
  EXPECT_EQ(run.throttled, 0u) << run.stats;
  EXPECT_EQ(run.total_violations, 0u) << run.stats;
}

TEST_P(TwitterE2e, RefusedCredentialsEndTheRunBeforeAnyRow) {
  Simulator sim({});
  auto where = at_version(sim.start());
  where.consumer_secret = "not-the-consumer-secret";
  ScratchDir dir;
  auto created = run_tw(where, dir, "tw.create", "name\nNever made\n");
  EXPECT_EQ(created.summary.exit_code, 2);
  EXPECT_NE(created.summary.error.find("refused the credentials"), std::string::npos) << created.summary.error;
  EXPECT_EQ(created.summary.error.find("not-the-consumer-secret"), std::string::npos);
  EXPECT_TRUE(created.results.empty());
  EXPECT_EQ(store_count(sim, "tw_creates"), 0u);
}

TEST_P(TwitterE2e, RefusedCredentialsEndATwGetBeforeAnyRowThoughItSendsNoProvingRequest) {
  Simulator sim({});
  auto where = at_version(sim.start());
  where.consumer_secret = "not-the-consumer-secret";
  ScratchDir dir;
  auto got = run_tw(where, dir, "tw.get", "id\n123\n456\n");
  EXPECT_EQ(got.summary.exit_code, 2);
  EXPECT_NE(got.summary.error.find("refused the credentials"), std::string::npos) << got.summary.error;
  EXPECT_EQ(got.summary.error.find("not-the-consumer-secret"), std::string::npos);
  EXPECT_TRUE(got.results.empty());
}

TEST_P(TwitterE2e, MissingAccountEndsTheRunBeforeAnyRequest) {
  Simulator sim({});
  auto where = at_version(sim.start());
  where.tw_account.clear();
  ScratchDir dir;
  auto listed = run_tw(where, dir, "tw.list", "q\nx\n");
  EXPECT_EQ(listed.summary.exit_code, 2);
  EXPECT_NE(listed.summary.error.find("TWITTER_ADS_ACCOUNT_ID"), std::string::npos) << listed.summary.error;
  EXPECT_EQ(total(answered(sim, "tw.list")), 0u);
}

// Not per version: a version the table does not know.

TEST(TwitterE2eVersions, AnUnknownVersionIsExitTwoBeforeAnyRequest) {
  Simulator sim({});
  const auto where = sim.start();
  ScratchDir dir;
  const auto root = where.tw_api.substr(0, where.tw_api.rfind('/'));
  for (const std::string version : {"7", "99"}) {
    auto with_version = where;
    with_version.tw_api = root + "/" + version;
    auto listed = run_tw(with_version, dir, "tw.list", "q\nx\n");
    EXPECT_EQ(listed.summary.exit_code, 2) << version;
    EXPECT_NE(listed.summary.error.find("8, 9, 10, 11, 12"), std::string::npos) << listed.summary.error;
    EXPECT_TRUE(listed.results.empty());

    write_file(dir.file("cli.csv"), "name\nNever made\n");
    auto env = sim_environment(with_version);
    const auto cli = run_cli({{"run", dir.file("cli.csv").string(), "--job", "tw.create"}, env, {}, {}});
    EXPECT_EQ(cli.exit_code, 2) << cli.err;
    EXPECT_NE(cli.err.find("must end in a version audience-batch knows (8, 9, 10, 11, 12"), std::string::npos)
        << cli.err;
  }
  EXPECT_EQ(answers(sim), 0u) << "nothing was sent: " << sim.stats_json();
}

TEST(TwitterE2eVersions, RunSimRehearsesABadNightAndPrintsTheReferee) {
  ScratchDir dir;
  std::string csv = "name\n";
  for (int i = 1; i <= 30; ++i) csv += "Rehearsal " + std::to_string(i) + "\n";
  write_file(dir.file("job.csv"), csv);
  // X-shaped throttles name a reset: the engine waits for it, breaking no rule.
  const auto night = run_cli({{"run", dir.file("job.csv").string(), "--job", "tw.create", "--sim", "--sim-latency",
                               "2ms", "--sim-throttle-rate", "0.1", "--sim-error-rate", "0.1", "--sim-seed", "3"},
                              {}, {}, {}});
  EXPECT_EQ(night.exit_code, 0) << night.err;
  EXPECT_EQ(count_status(read_results(dir.file("job.results.csv")), "ok"), 30u);
  EXPECT_NE(night.err.find("throttled (429)"), std::string::npos) << night.err;
  EXPECT_NE(night.err.find("simulator referee: "), std::string::npos) << night.err;
  EXPECT_NE(night.err.find("no rule broken"), std::string::npos) << night.err;

  const auto without_sim =
      run_cli({{"run", dir.file("job.csv").string(), "--job", "nf.create", "--sim-error-rate", "0.1"}, {}, {}, {}});
  EXPECT_EQ(without_sim.exit_code, 2);
  EXPECT_NE(without_sim.err.find("--sim-error-rate shapes the embedded simulator: add --sim"), std::string::npos)
      << without_sim.err;
}

}  // namespace
}  // namespace ab::e2e
