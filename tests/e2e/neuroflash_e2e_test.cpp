// The nf.* kinds against the simulator over real sockets: the seed's whole
// lifecycle (url-import --create, get, update, delete), a 10,000-row create
// with invalid rows on a bad night, token expiry mid-run, refused credentials.
// The referee must count no broken rule (no partial PUT, no invalid body).
#include "e2e/support/e2e.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <iostream>
#include <sstream>

namespace ab::e2e {
namespace {

namespace json = boost::json;

// Requests the simulator answered on `endpoint` ("nf.token", "nf.create", ...), `status` 0: any.
std::uint64_t requests_to(const Simulator& sim, const std::string& endpoint, unsigned status = 0) {
  auto s = stats(sim);
  const auto* per_endpoint = s.at("requests").as_object().if_contains(endpoint);
  if (!per_endpoint) return 0;
  std::uint64_t n = 0;
  for (const auto& [code, count] : per_endpoint->as_object())
    if (status == 0 || code == std::to_string(status)) n += count.to_number<std::uint64_t>();
  return n;
}

// --responses lines by row.
std::map<std::size_t, std::vector<json::object>> read_responses(const std::filesystem::path& file) {
  std::map<std::size_t, std::vector<json::object>> by_row;
  std::istringstream lines(read_file(file));
  for (std::string line; std::getline(lines, line);) {
    auto object = json::parse(line).as_object();
    by_row[object.at("row").to_number<std::size_t>()].push_back(object);
  }
  return by_row;
}

Summary run(const SimEndpoints& where, const ScratchDir& dir, const std::string& kind, const std::string& csv,
            bool create = false) {
  const auto job = dir.file(kind + ".csv");
  write_file(job, csv);
  auto options = options_for(where, job, kind);
  options.responses = dir.file(kind + ".jsonl");
  options.job.create = create;
  return run_job(options, std::cerr);
}

std::map<std::size_t, ResultLine> results_of(const ScratchDir& dir, const std::string& kind) {
  return read_results(dir.file(kind + ".results.csv"));
}

TEST(NeuroflashE2e, TheSeedsLifecycleFromAUrlToADelete) {
  Simulator sim({});
  const auto where = sim.start();
  ScratchDir dir;

  // Bootstrap two audiences from URLs and store them (no --nf-workspace: the first listed).
  auto s = run(where, dir, "nf.url-import",
               "url,name\nhttps://your-brand.com,Brand visitors\nhttps://shop.example.com https://blog.example.com,\n",
               /*create=*/true);
  EXPECT_EQ(s.exit_code, 0) << s.error;
  auto created = results_of(dir, "nf.url-import");
  ASSERT_EQ(count_status(created, "ok"), 2u);
  const std::string first = created.at(1).id, second = created.at(2).id;
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(read_responses(dir.file("nf.url-import.jsonl")).size(), 2u);  // the two profiles

  // Fetch both; the second is named after its first URL's host.
  s = run(where, dir, "nf.get", "id\n" + first + "\n" + second + "\n");
  EXPECT_EQ(s.exit_code, 0) << s.error;
  auto got = read_responses(dir.file("nf.get.jsonl"));
  EXPECT_EQ(got.at(1).at(0).at("data").at("name"), "Brand visitors");
  EXPECT_EQ(got.at(2).at(0).at("data").at("name"), "shop.example.com");

  // Change one field of each: the simulator sees full PUTs only.
  s = run(where, dir, "nf.update", "id,name,maxAge\n" + first + ",Senior brand visitors,\n" + second + ",,64\n");
  EXPECT_EQ(s.exit_code, 0) << s.error;
  auto updated = read_responses(dir.file("nf.update.jsonl"));
  EXPECT_EQ(updated.at(1).at(0).at("data").at("name"), "Senior brand visitors");
  EXPECT_EQ(updated.at(2).at(0).at("data").at("maxAge"), 64);
  EXPECT_EQ(updated.at(2).at(0).at("data").at("name"), "shop.example.com");

  // Delete the first; fetching it afterwards fails with the API's words.
  s = run(where, dir, "nf.delete", "id\n" + first + "\n");
  EXPECT_EQ(s.exit_code, 0) << s.error;
  std::filesystem::remove(dir.file("nf.get.results.csv"));
  s = run(where, dir, "nf.get", "id\n" + first + "\n");
  EXPECT_EQ(s.exit_code, 1);
  auto gone = results_of(dir, "nf.get").at(1);
  EXPECT_EQ(gone.status, "failed");
  EXPECT_EQ(gone.http_status, 404u);
  EXPECT_NE(gone.error.find("TARGET_AUDIENCE_NOT_FOUND"), std::string::npos) << gone.error;

  EXPECT_EQ(requests_to(sim, "nf.workspaces"), 5u) << "looked up once per run";
  EXPECT_EQ(requests_to(sim, "nf.token"), 5u) << "one token per run";
  EXPECT_EQ(violations(sim), 0u) << sim.stats_json();
}

TEST(NeuroflashE2e, AnotherUsersAudienceCanBeReadButNotChanged) {
  Simulator sim({});
  const auto where = sim.start();
  const std::string foreign(stats(sim).at("store").at("nf_foreign_ids").at(0).as_string());
  ScratchDir dir;
  EXPECT_EQ(run(where, dir, "nf.get", "id\n" + foreign + "\n").exit_code, 0);
  EXPECT_EQ(run(where, dir, "nf.update", "id,residence\n" + foreign + ",Paris\n").exit_code, 1);
  EXPECT_EQ(run(where, dir, "nf.delete", "id\n" + foreign + "\n").exit_code, 1);
  for (const char* kind : {"nf.update", "nf.delete"}) {
    auto r = results_of(dir, kind).at(1);
    EXPECT_EQ(r.status, "failed") << kind;
    EXPECT_EQ(r.http_status, 403u) << kind;
    EXPECT_NE(r.error.find("FORBIDDEN: only the user who created"), std::string::npos) << r.error;
  }
  EXPECT_EQ(requests_to(sim, "nf.update", 403) + requests_to(sim, "nf.delete", 403), 2u) << "403 is never retried";
  EXPECT_EQ(violations(sim), 0u) << sim.stats_json();
}

// Row i is invalid when i % 100 < 3 (3 %), each in one of three ways.
std::string create_job(std::size_t rows) {
  std::ostringstream job;
  job << "name,female,male,nonBinary,preferNotToSay,country,minAge,maxAge,interests,shared\n";
  for (std::size_t i = 1; i <= rows; ++i) {
    job << "Night audience " << i;
    switch (i % 100) {
      case 0: job << ",0.5,0.5,0.1,0,US,25,45,AI|content,true\n"; break;        // sums to 1.1
      case 1: job << ",0.7,0.1,0.1,0.1,US,46,45,AI|content,true\n"; break;      // minAge > maxAge
      case 2: job << ",0.35,0.35,0.21,0.09,US,25,45,AI|content,perhaps\n"; break;  // not a boolean
      default: job << (i % 2 ? ",0.7,0.1,0.1,0.1" : ",0.35,0.35,0.21,0.09") << ",DE,18,65,AI|content,false\n";
    }
  }
  return job.str();
}

// Throttled at random and slow: every valid row ends ok, exactly once. (Under
// 5xx and dropped connections a create may have been applied and neuroflash
// offers no look-up, so such rows end `unknown`: EngineE2e's bad night.)
TEST(NeuroflashE2e, TenThousandCreatesOnAThrottlingNightEndExactlyOnce) {
  SimOptions night;
  night.throttle_rate = 0.10;
  night.latency = std::chrono::milliseconds(2);
  night.seed = 11;
  Simulator sim(night);
  const auto where = sim.start();
  ScratchDir dir;
  const auto job = dir.file("nf.create.csv");
  write_file(job, create_job(10'000));
  auto options = options_for(where, job, "nf.create");
  const auto summary = run_job(options, std::cerr);

  const auto results = read_results(dir.file("nf.create.results.csv"));
  ASSERT_EQ(results.size(), 10'000u);
  for (const auto& [row, r] : results) {
    EXPECT_EQ(r.status, row % 100 < 3 ? "invalid" : "ok") << row << ": " << r.error;
  }
  EXPECT_EQ(count_status(results, "invalid"), 300u);
  EXPECT_GT(answers(sim, 429), 0u);
  EXPECT_EQ(store_count(sim, "nf_creates"), 9'700u) << "each valid audience once";
  EXPECT_EQ(store_count(sim, "nf_audiences"), 9'700u);
  EXPECT_EQ(violations(sim), 0u) << sim.stats_json();
  EXPECT_EQ(summary.exit_code, 1);
}

TEST(NeuroflashE2e, TokenExpiryMidRunCostsNoRow) {
  SimOptions short_tokens;
  short_tokens.token_ttl = std::chrono::seconds(1);
  short_tokens.latency = std::chrono::milliseconds(4);
  Simulator sim(short_tokens);
  const auto where = sim.start();
  ScratchDir dir;
  const auto job = dir.file("nf.create.csv");
  std::ostringstream csv;
  csv << "name,female,male,nonBinary,preferNotToSay\n";
  for (int i = 1; i <= 1500; ++i) csv << "Expiring " << i << ",0.25,0.25,0.25,0.25\n";
  write_file(job, csv.str());
  auto options = options_for(where, job, "nf.create");
  options.concurrency = 4;
  const auto summary = run_job(options, std::cerr);

  EXPECT_EQ(summary.exit_code, 0) << summary.error;
  const auto results = read_results(dir.file("nf.create.results.csv"));
  EXPECT_EQ(count_status(results, "ok"), 1500u);
  EXPECT_GE(requests_to(sim, "nf.token"), 2u) << "the run outlived its first token";
  EXPECT_EQ(store_count(sim, "nf_creates"), 1500u);
  EXPECT_EQ(violations(sim), 0u) << sim.stats_json();
}

TEST(NeuroflashE2e, RefusedCredentialsStopTheRunBeforeAnyRow) {
  Simulator sim({});
  auto where = sim.start();
  where.client_secret = "not-the-secret";
  ScratchDir dir;
  const auto summary = run(where, dir, "nf.create", "name,female,male,nonBinary,preferNotToSay\nA,1,0,0,0\n");
  EXPECT_EQ(summary.exit_code, 2);
  EXPECT_NE(summary.error.find("refused"), std::string::npos) << summary.error;
  EXPECT_EQ(summary.error.find("not-the-secret"), std::string::npos);
  EXPECT_EQ(requests_to(sim, "nf.create"), 0u);
  EXPECT_EQ(store_count(sim, "nf_creates"), 0u);
}

TEST(NeuroflashE2e, ImportOnlyWritesProfilesAndCreatesNothing) {
  Simulator sim({});
  const auto where = sim.start();
  ScratchDir dir;
  const auto s = run(where, dir, "nf.url-import", "url\nhttps://your-brand.com\nnot a url\n");
  EXPECT_EQ(s.exit_code, 1);
  const auto results = results_of(dir, "nf.url-import");
  EXPECT_EQ(results.at(1).status, "ok");
  EXPECT_EQ(results.at(1).id, "");
  EXPECT_EQ(results.at(2).status, "invalid");
  const auto profiles = read_responses(dir.file("nf.url-import.jsonl"));
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_TRUE(profiles.at(1).at(0).at("data").as_object().contains("genderDistribution"));
  EXPECT_EQ(store_count(sim, "nf_creates"), 0u);
  EXPECT_EQ(requests_to(sim, "nf.url-import"), 1u);
  EXPECT_EQ(violations(sim), 0u) << sim.stats_json();
}

}  // namespace
}  // namespace ab::e2e
