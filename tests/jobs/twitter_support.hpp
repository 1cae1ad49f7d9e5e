// What the tw.* job-kind tests share: a context on made-up endpoints with a
// clock the test sets and seeded nonces, rows judged as a run judges them,
// and X Ads API answers written the way the seed shows them.
#pragma once

#include "engine/run/run_options.hpp"
#include "engine/input/csv_reader.hpp"
#include "engine/run/job_kind.hpp"
#include "engine/input/row_validation.hpp"
#include "jobs/twitter/context.hpp"
#include "jobs/kind_list.hpp"
#include "jobs/twitter/nonce.hpp"
#include "support/scripted_api.hpp"

#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace ab::tw::testing {

using ab::testing::answer;
using ab::testing::RecordingSink;
using ab::testing::run_sync;
using ab::testing::ScriptedApi;

inline constexpr const char* kAudiences = "https://ads.test/8/accounts/18ce54d4x5t/tailored_audiences";
inline constexpr const char* kBatch = "https://ads.test/8/batch/accounts/18ce54d4x5t/tailored_audiences";

inline TwitterEndpoints endpoints() {
  TwitterEndpoints e;
  e.api = "https://ads.test/8";
  e.account = "18ce54d4x5t";
  e.consumer_key = "ck";
  e.consumer_secret = "cs";
  e.access_token = "at";
  e.access_token_secret = "ats";
  return e;
}

// 2024-05-01T12:00:00Z, when the tests' runs happen unless they move it.
inline SystemTime test_now() { return SystemTime{std::chrono::seconds{1714564800}}; }

// A clock the test sets by hand; kinds read it through the context.
struct FakeWallClock {
  SystemTime now = test_now();
};

inline Context context(FakeWallClock& clock) {
  return make_context(endpoints(), [&clock] { return clock.now; }, SeededNonces(42));
}

// Every record of `csv`, judged as a run judges it.
inline std::vector<Validation> validate_all(const JobKind& kind, std::string csv) {
  auto reader = CsvReader::from_string(std::move(csv));
  const ColumnChecker columns(reader.header().names, kind.columns());
  std::vector<Validation> out;
  while (auto record = reader.next()) out.push_back(validate_row(kind, *record, columns));
  return out;
}

inline std::vector<Task> tasks_of(const JobKind& kind, std::string csv) {
  std::vector<Task> out;
  for (auto& v : validate_all(kind, std::move(csv))) {
    if (const auto* error = std::get_if<RowError>(&v))
      throw std::logic_error("expected a valid row, got " + error->column + ": " + error->reason);
    out.push_back(std::get<Task>(std::move(v)));
  }
  return out;
}

inline RowError error_of(const JobKind& kind, std::string csv) {
  auto all = validate_all(kind, std::move(csv));
  if (all.size() != 1 || !std::holds_alternative<RowError>(all.front()))
    throw std::logic_error("expected one invalid row");
  return std::get<RowError>(all.front());
}

// An audience as B1/B3 return it.
inline boost::json::object audience(const std::string& id, const std::string& name,
                                    const std::string& created_at = "2024-05-01T12:00:05Z", bool deleted = false) {
  return {{"id", id},          {"name", name},         {"description", nullptr}, {"audience_type", "CRM"},
          {"targetable", false}, {"deleted", deleted}, {"created_at", created_at}, {"updated_at", created_at}};
}

// A B1 answer: one page of audiences.
inline ApiAnswer list_answer(const boost::json::array& data, const std::string& next_cursor = {}) {
  boost::json::object body{{"request", {{"params", boost::json::object{}}}}, {"data", data}};
  body["next_cursor"] = next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(next_cursor);
  return answer(200, boost::json::serialize(body));
}

// A single-audience answer (B3, B4, B5).
inline ApiAnswer audience_answer(const boost::json::object& a, unsigned status = 200) {
  return answer(status, boost::json::serialize(boost::json::object{{"data", a}, {"request", boost::json::object{}}}));
}

inline ApiAnswer error_answer(unsigned status, const std::string& code, const std::string& message) {
  return answer(status, R"({"errors":[{"code":")" + code + R"(","message":")" + message + R"("}],"request":{}})");
}

// An answer that never came for a request that may have been applied.
inline ApiAnswer lost_answer() {
  ApiAnswer r;
  r.outcome = ApiOutcome::ambiguous;
  r.attempts = 1;
  r.error = "connection lost after the request was sent: it may have been applied";
  return r;
}

inline ApiAnswer stopped_answer() {
  ApiAnswer r;
  r.outcome = ApiOutcome::stopped;
  r.error = "stopped: interrupted";
  return r;
}

}  // namespace ab::tw::testing

namespace ab::tw::testing {

// Runs `kind` on `tasks` against `api`; what the kind reported.
inline RecordingSink run_kind(JobKind& kind, ScriptedApi& api, std::vector<Task> tasks) {
  RecordingSink sink;
  run_sync(kind.run(std::move(tasks), api, sink));
  return sink;
}

inline std::string data_id(const boost::json::object& response_line) {
  return std::string(response_line.at("data").at("id").as_string());
}

}  // namespace ab::tw::testing
