// tw.members on the real binary against the simulator over real sockets:
// 100,000 rows over three audiences, adds then removes, under resets and lost
// replies. The audiences' member sets must equal what the file says, no raw
// identifier may reach the API (the referee's raw_pii_sent) or the results,
// no request may pass the API's limits, and every row ends exactly once, also
// when the run is killed with SIGKILL and run again.
#include "e2e/support/e2e.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <array>
#include <set>
#include <sstream>

namespace ab::e2e {
namespace {

namespace json = boost::json;

// SHA-256, lower-case hex: computed here with OpenSSL directly, not by the code under test.
std::string sha256(const std::string& text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int n = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &n, EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

using MemberSet = std::set<std::pair<std::string, std::string>>;  // (type, value sent)

// One person of the generated CRM export: the cells as a messy export
// writes them, and the values the API must receive for them.
struct Person {
  std::string cells;  // email,handle,twitter_id,device_id,phone_number,partner_user_id
  MemberSet expected;
};

Person person(std::size_t i, bool shouting) {
  const std::string n = std::to_string(i);
  std::string email = "Customer." + n + "@Example.COM";
  std::string handle = "@Fan_" + n;
  Person p;
  const std::string email_cell = shouting ? " " + std::string("CUSTOMER.") + n + "@EXAMPLE.com\t" : email;
  p.cells = "\"" + email_cell + "\"";
  p.expected.insert({"email", sha256("customer." + n + "@example.com")});
  switch (i % 5) {
    case 0:  // a handle, in any case, with or without its @
      p.cells += "," + (shouting ? std::string("FAN_") + n : handle) + ",,,,";
      p.expected.insert({"handle", sha256("fan_" + n)});
      break;
    case 1: {  // a twitter id with leading zeros
      p.cells += ",,000" + std::to_string(1000000 + i) + ",,,";
      p.expected.insert({"twitter_id", sha256(std::to_string(1000000 + i))});
      break;
    }
    case 2: {  // an IDFA in capitals
      char idfa[64];
      std::snprintf(idfa, sizeof idfa, "%08zX-47CC-4056-A16A-C8217E029462", i);
      std::string lower = idfa;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      p.cells += std::string(",,,") + idfa + ",,";
      p.expected.insert({"device_id", sha256(lower)});
      break;
    }
    case 3: {  // a phone number as people write them, and a partner id
      const std::string digits = std::to_string(4155550000 + i);
      p.cells += ",,,,+1 (" + digits.substr(0, 3) + ") " + digits.substr(3, 3) + "-" + digits.substr(6) + ",crm-" + n;
      p.expected.insert({"phone_number", sha256("+1" + digits)});
      p.expected.insert({"partner_user_id", "crm-" + n});
      break;
    }
    default: {  // the email already hashed upstream, in capitals
      std::string hashed = sha256("customer." + n + "@example.com");
      std::string upper = hashed;
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      p.cells = upper + ",,,,,";
      break;
    }
  }
  return p;
}

struct MembersJob {
  std::string csv;
  std::map<std::string, MemberSet> expected;  // by audience
  std::size_t rows = 0;
  std::set<std::size_t> invalid_rows, refused_rows;
};

// `adds` people spread over the audiences, then removes of every fourth of
// them with their identifiers written differently; a few invalid rows and a
// few the API refuses (partner_user_id over its 255 characters) among them.
MembersJob members_job(const std::vector<std::string>& audiences, std::size_t adds) {
  MembersJob job;
  job.csv = "audience_id,operation,email,handle,twitter_id,device_id,phone_number,partner_user_id\n";
  auto row = [&](const std::string& text) {
    job.csv += text + "\n";
    return ++job.rows;
  };
  for (std::size_t i = 0; i < adds; ++i) {
    const auto& audience = audiences[i % audiences.size()];
    if (i % 20'000 == 7) job.invalid_rows.insert(row(audience + ",add,not-an-email,,,,,"));
    if (i % 25'000 == 11)
      job.refused_rows.insert(row(audience + ",add,,,,,," + std::string(300, 'p') + std::to_string(i)));
    const Person p = person(i, false);
    row(audience + ",add," + p.cells);
    job.expected[audience].insert(p.expected.begin(), p.expected.end());
  }
  for (std::size_t i = 0; i < adds; i += 4) {
    const auto& audience = audiences[i % audiences.size()];
    const Person p = person(i, true);
    row(audience + ",remove," + p.cells);
    for (const auto& member : p.expected) job.expected[audience].erase(member);
  }
  return job;
}

MemberSet members_of(const Simulator& sim, const std::string& audience) {
  MemberSet out;
  const auto seen = json::parse(sim.inspect_json("tw/members/" + audience));
  if (!seen.is_object()) return out;
  for (const auto& [type, values] : seen.as_object())
    for (const auto& v : values.as_array()) out.insert({std::string(type), std::string(v.as_string())});
  return out;
}

std::uint64_t rule_count(const Simulator& sim, const char* rule) {
  const auto s = stats(sim);
  const auto* n = s.at("violations").as_object().if_contains(rule);
  return n ? n->to_number<std::uint64_t>() : 0;
}

std::vector<std::string> create_audiences(const SimEndpoints& where, const ScratchDir& dir, std::size_t n) {
  std::string csv = "name\n";
  for (std::size_t i = 0; i < n; ++i) csv += "Members " + std::to_string(i) + "\n";
  write_file(dir.file("audiences.csv"), csv);
  const auto created = run_cli({{"run", dir.file("audiences.csv").string(), "--job", "tw.create"},
                                sim_environment(where), std::nullopt, std::nullopt});
  EXPECT_EQ(created.exit_code, 0) << created.err;
  std::vector<std::string> ids;
  for (const auto& [row, line] : read_results(dir.file("audiences.results.csv"))) ids.push_back(line.id);
  return ids;
}

void expect_no_raw_identifier(const std::string& text, const std::string& where) {
  for (const char* raw : {"example.com", "EXAMPLE", "Fan_", "FAN_", "not-an-email", "(415)", "47CC-4056"})
    EXPECT_EQ(text.find(raw), std::string::npos) << where << " holds a raw identifier: " << raw;
}

// Every row ended once, none unknown, the invalid and refused rows with
// their reasons; each audience's member set is what the file leaves; the
// referee saw no rule broken.
void expect_ended_as_the_file_says(const Simulator& sim, const std::filesystem::path& results_file,
                                   const MembersJob& job, const std::vector<std::string>& audiences) {
  const auto results = read_results(results_file);
  EXPECT_EQ(results.size(), job.rows) << "every row ends, once (read_results fails a second line)";
  EXPECT_EQ(count_status(results, "unknown"), 0u);
  EXPECT_EQ(count_status(results, "invalid"), job.invalid_rows.size());
  EXPECT_EQ(count_status(results, "failed"), job.refused_rows.size());
  EXPECT_EQ(count_status(results, "ok"), job.rows - job.invalid_rows.size() - job.refused_rows.size());
  for (auto row : job.invalid_rows) EXPECT_EQ(results.at(row).error, "email: not an email address: no @");
  for (auto row : job.refused_rows)
    EXPECT_NE(results.at(row).error.find("partner_user_id must be 1 to 255 characters"), std::string::npos)
        << results.at(row).error;
  for (const auto& audience : audiences) {
    const MemberSet actual = members_of(sim, audience);
    EXPECT_EQ(actual.size(), job.expected.at(audience).size()) << audience;
    EXPECT_TRUE(actual == job.expected.at(audience)) << "audience " << audience << " differs from the file";
  }
  EXPECT_EQ(violations(sim), 0u) << sim.stats_json();
}

TEST(MembersE2e, HundredThousandRowsAddsThenRemovesUnderResetsAndLostRepliesEndAsTheFileSays) {
  SimOptions sim_options;
  sim_options.reset_rate = 0.05;
  sim_options.lost_reply_rate = 0.02;
  sim_options.seed = 17;
  Simulator sim(sim_options);
  const auto where = sim.start();
  ScratchDir dir;
  const auto audiences = create_audiences(where, dir, 3);
  ASSERT_EQ(audiences.size(), 3u);
  const MembersJob job = members_job(audiences, 80'000);
  ASSERT_EQ(job.rows, 100'000u + job.invalid_rows.size() + job.refused_rows.size());
  write_file(dir.file("members.csv"), job.csv);

  const auto run = run_cli({{"run", dir.file("members.csv").string(), "--job", "tw.members", "--responses",
                             dir.file("members.jsonl").string(), "--progress", "lines"},
                            sim_environment(where), std::nullopt, std::nullopt});
  EXPECT_EQ(run.exit_code, 1) << run.err;  // the invalid and refused rows

  expect_ended_as_the_file_says(sim, dir.file("members.results.csv"), job, audiences);
  EXPECT_EQ(read_results(dir.file("members.results.csv")).at(1).id, audiences[0]);
  EXPECT_EQ(rule_count(sim, "raw_pii_sent"), 0u);
  EXPECT_EQ(rule_count(sim, "members_over_2500"), 0u);
  EXPECT_EQ(rule_count(sim, "members_body_over_limit"), 0u);
  // The faults did strike, and were sent through.
  const auto s = stats(sim);
  EXPECT_GT(s.at("requests").as_object().at("fault.reset").as_object().at("0").to_number<std::uint64_t>(), 0u);
  EXPECT_GT(s.at("requests").as_object().at("fault.lost_reply").as_object().at("0").to_number<std::uint64_t>(), 0u);

  expect_no_raw_identifier(read_file(dir.file("members.results.csv")), "the results file");
  expect_no_raw_identifier(run.err, "stderr");
  EXPECT_TRUE(!std::filesystem::exists(dir.file("members.jsonl")) || read_file(dir.file("members.jsonl")).empty());
}

TEST(MembersE2e, KilledWithSigkillAndRunAgainEveryRowEndsOnceAndTheSetsMatch) {
  SimOptions sim_options;
  sim_options.latency = std::chrono::milliseconds(100);
  sim_options.lost_reply_rate = 0.02;
  sim_options.tw_members_short_rate = 0.05;
  sim_options.seed = 23;
  Simulator sim(sim_options);
  const auto where = sim.start();
  ScratchDir dir;
  const auto audiences = create_audiences(where, dir, 2);
  ASSERT_EQ(audiences.size(), 2u);
  const MembersJob job = members_job(audiences, 24'000);
  write_file(dir.file("members.csv"), job.csv);

  ChildOptions child{{"run", dir.file("members.csv").string(), "--job", "tw.members", "--concurrency", "1"},
                     sim_environment(where), std::nullopt, std::nullopt};
  kill_at_random_moments(child, 4, std::chrono::milliseconds(250), std::chrono::milliseconds(600), 3);
  const auto last = run_cli(child);
  EXPECT_EQ(last.exit_code, 1) << last.err;

  expect_ended_as_the_file_says(sim, dir.file("members.results.csv"), job, audiences);
}

// People added and removed next to each other, in both orders, some adds
// with an expires_at (another operation): the file's order must hold inside
// one request's grouped operations and across the requests sent again.
MembersJob interleaved_job(const std::vector<std::string>& audiences, std::size_t people) {
  MembersJob job;
  job.csv = "audience_id,operation,email,handle,twitter_id,device_id,phone_number,partner_user_id,expires_at\n";
  auto row = [&](const std::string& audience, const char* op, const Person& p, const char* expires = "") {
    job.csv += audience + "," + op + "," + p.cells + "," + expires + "\n";
    ++job.rows;
  };
  for (std::size_t i = 0; i < people; ++i) {
    const auto& audience = audiences[i % audiences.size()];
    const Person p = person(i, false);
    const Person shouted = person(i, true);  // the same person, written differently
    auto& expected = job.expected[audience];
    if (i % 3 == 0) {  // added, then removed: absent
      row(audience, "add", p, i % 2 ? "2027-01-01T00:00:00Z" : "");
      row(audience, "remove", shouted);
    } else if (i % 3 == 1) {  // removed, then added: present
      row(audience, "remove", shouted);
      row(audience, "add", p, i % 7 == 0 ? "2027-01-01T00:00:00Z" : "");
      expected.insert(p.expected.begin(), p.expected.end());
    } else {
      row(audience, "add", p);
      expected.insert(p.expected.begin(), p.expected.end());
    }
  }
  return job;
}

std::uint64_t requests_in_summary(const std::string& log) {
  const auto at = log.find(" requests, ");
  if (at == std::string::npos) return 0;
  const auto start = log.rfind(' ', at - 1) + 1;
  return std::stoull(log.substr(start, at - start));
}

TEST(MembersE2e, AnAddAndARemoveOfOnePersonLandInTheFilesOrderInGroupedRequests) {
  for (const bool faults : {false, true}) {
    SCOPED_TRACE(faults ? "short answers and lost replies" : "no faults");
    SimOptions sim_options;
    if (faults) {
      sim_options.tw_members_short_rate = 0.2;
      sim_options.lost_reply_rate = 0.05;
      sim_options.seed = 41;
    }
    Simulator sim(sim_options);
    const auto where = sim.start();
    ScratchDir dir;
    const auto audiences = create_audiences(where, dir, 2);
    ASSERT_EQ(audiences.size(), 2u);
    const MembersJob job = interleaved_job(audiences, 6'000);
    write_file(dir.file("members.csv"), job.csv);

    const auto run = run_cli({{"run", dir.file("members.csv").string(), "--job", "tw.members"},
                              sim_environment(where), std::nullopt, std::nullopt});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    expect_ended_as_the_file_says(sim, dir.file("members.results.csv"), job, audiences);
    EXPECT_EQ(rule_count(sim, "raw_pii_sent"), 0u);
    if (!faults) {
      // 5,000 rows an audience, grouped: 2 full requests each, and the start's look-up.
      EXPECT_EQ(requests_in_summary(run.err), 2u * 2u + 1u) << run.err;
    }
  }
}

TEST(MembersE2e, AHeaderWithoutAnIdentifierColumnIsRefusedBeforeAnythingIsSent) {
  Simulator sim({});
  ScratchDir dir;
  write_file(dir.file("members.csv"), "audience_id,operation,Email\nabc1,add,jane@example.com\n");
  const auto run = run_cli(cli({"run", dir.file("members.csv").string(), "--job", "tw.members"},
                               sim_environment(sim.start())));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("no identifier column: tw.members needs at least one of email, handle, twitter_id, "
                         "device_id, phone_number, partner_user_id (the header has 'Email': did you mean 'email'?)"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(answers(sim), 0u) << "not even a request";
  EXPECT_FALSE(std::filesystem::exists(dir.file("members.results.csv")));
  const auto checked = run_cli(cli({"check", dir.file("members.csv").string(), "--job", "tw.members"}, {}));
  EXPECT_EQ(checked.exit_code, 2);
  EXPECT_NE(checked.err.find("no identifier column"), std::string::npos) << checked.err;
  expect_no_raw_identifier(run.err + checked.err + checked.out, "the refusal");
}

}  // namespace
}  // namespace ab::e2e
