// What the neuroflash job-kind tests share: a configuration pointing at
// made-up endpoints, scripted token and workspace answers, and validating a
// job file's first row the way the engine does (columns, then the kind).
#pragma once

#include "engine/run/run_options.hpp"
#include "engine/input/csv_reader.hpp"
#include "engine/run/job_kind.hpp"
#include "engine/input/row_validation.hpp"
#include "jobs/kind_list.hpp"
#include "support/scripted_api.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ab::nf::testing {

inline constexpr const char* api_base = "https://nf.test/api";
inline constexpr const char* token_url = "https://id.test/oauth/v2/token";
inline constexpr const char* workspace_id = "ws-1";

inline JobConfig config(bool create = false) {
  JobConfig c;
  c.nf.api = api_base;
  c.nf.token_url = token_url;
  c.nf.workspace = workspace_id;
  c.nf.client_id = "client-7";
  c.nf.client_secret = "s3cret&=";
  c.create = create;
  return c;
}

inline std::string audiences_url() { return std::string(api_base) + "/audience-service/v1/workspaces/ws-1/target-audiences"; }

inline ApiAnswer token_answer(const std::string& token, int expires_in = 14'400) {
  return ab::testing::answer(200, R"({"access_token":")" + token + R"(","token_type":"Bearer","expires_in":)" +
                                      std::to_string(expires_in) + "}");
}

// A fake steady clock the tests move by hand.
struct FakeClock {
  SteadyTime now{std::chrono::hours(1)};
  Clock clock() {
    return [this] { return now; };
  }
};

// The first record of `csv`, judged as a run judges it.
inline Validation validate_first(const JobKind& kind, std::string csv) {
  auto reader = CsvReader::from_string(std::move(csv));
  auto record = reader.next();
  if (!record) throw std::logic_error("no row in the test CSV");
  return validate_row(kind, *record, ColumnChecker(reader.header().names, kind.columns()));
}

inline Task task_of(const Validation& v) {
  if (const auto* error = std::get_if<RowError>(&v))
    throw std::logic_error("expected a valid row, got " + error->column + ": " + error->reason);
  return std::get<Task>(v);
}

inline RowError error_of(const Validation& v) {
  if (std::holds_alternative<Task>(v)) throw std::logic_error("expected an invalid row, got a task");
  return std::get<RowError>(v);
}

// A kind with a token already fetched (start() done against `api`).
inline void start(JobKind& kind, ab::testing::ScriptedApi& api) {
  api.push(token_answer("T1"));
  auto started = ab::testing::run_sync(kind.start(api));
  if (!started.ok) throw std::logic_error("start failed: " + started.error);
  api.sent.clear();
  api.authorizations.clear();
}

// Runs the kind on one task and returns what the sink saw.
inline ab::testing::RecordingSink run_one(JobKind& kind, ab::testing::ScriptedApi& api, Task task) {
  ab::testing::RecordingSink sink;
  std::vector<Task> tasks;
  tasks.push_back(std::move(task));
  ab::testing::run_sync(kind.run(std::move(tasks), api, sink));
  return sink;
}

// A create resumed after a request that may have left (its part marked sent)
// sends nothing and ends `unknown`, its message naming what to look for.
inline void expect_unknown_and_nothing_sent(JobKind& kind, ab::testing::ScriptedApi& api, Task task,
                                            std::string_view names) {
  task.maybe_sent = true;
  const auto sink = run_one(kind, api, std::move(task));
  EXPECT_TRUE(api.sent.empty());
  EXPECT_EQ(sink.finished.at(1).status, RowStatus::unknown);
  EXPECT_NE(sink.finished.at(1).error.find(names), std::string::npos) << sink.finished.at(1).error;
}

inline std::unique_ptr<JobKind> make_kind(const Declaration& declared, const JobConfig& c = config()) {
  return declared.make(c, [] { return std::chrono::steady_clock::now(); });
}

}  // namespace ab::nf::testing
