// The contract between the engine and a job kind. A job kind declares its
// columns, validates a row into a Task, says how many tasks go in one request,
// and turns tasks into `co_await api.send(...)` calls and answers into results.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/send/api.hpp"
#include "engine/input/columns.hpp"
#include "engine/input/csv_reader.hpp"
#include "engine/input/fields.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace ab {

// `stopped`: the run stopped before the row's end. It gets no line; the
// next run takes it up again (its intent released or kept, api_client.cpp).
enum class RowStatus { ok, invalid, failed, unknown, stopped };

struct RowResult {
  RowStatus status = RowStatus::failed;
  unsigned http_status = 0;
  std::string id;                  // the audience created or touched
  unsigned attempts = 0;
  std::string error;               // why, for anything but ok; never a secret
};

// The row's result when the run stopped before its end: every kind reports it
// so, whatever it was doing (ApiOutcome::stopped).
inline RowResult row_stopped(unsigned attempts, std::string why) {
  return RowResult{RowStatus::stopped, 0, {}, attempts, std::move(why)};
}

// Why a row is invalid: the column and the reason ("segments", "more than 10 leaves").
struct RowError {
  std::string column;
  std::string reason;
};

// A valid row, ready to send. `params` is whatever the kind needs later.
struct Task {
  std::size_t row = 0;
  boost::json::object params;
  // A request body the kind wrote as text while validating (nf.create's
  // JSON): held here, it is moved to the request, not copied through `params`.
  std::string body;
  // Set on resume: an intent was recorded for this row but no outcome, so the
  // request may have been applied; the kind must reconcile before re-sending.
  bool maybe_sent = false;
  // Set on resume: the last checkpoint the kind recorded for this row (tw.list cursor).
  std::string checkpoint;
  // Tasks go into one request only with tasks of the same key (tw.members:
  // the audience, which is in the request's path); "" for every task of most kinds.
  std::string batch_key;
  // What this task adds to its request's body, counted against BatchPolicy::max_bytes.
  std::size_t batch_bytes = 0;
};

using Validation = std::variant<Task, RowError>;

// Where a kind reports what happened to each task of a run() call.
class RowSink {
 public:
  virtual ~RowSink() = default;
  // One line of --responses: {"row": row, ...fields}. Written before the row's final line.
  virtual void respond(std::size_t row, boost::json::object fields) = 0;
  // Whether respond() writes anything (a --responses file was given): a kind
  // need not gather what nobody will read.
  virtual bool responding() const = 0;
  // The row's one final line. Every task given to run() must be finished exactly once.
  virtual void finish(std::size_t row, RowResult result) = 0;
  // Durable progress inside a long row (tw.list cursor); given back in Task::checkpoint on resume.
  virtual Awaitable<void> checkpoint(std::size_t row, std::string value) = 0;
  // The job cannot go on for a reason no rerun gets past without the user
  // (credentials refused on a kind that proves them with its first rows'
  // request): the run stops and ends with exit 2 and `why`. The kind then
  // finishes its rows `stopped`. A sink that runs no job ignores it.
  virtual void refuse(std::string why) { (void)why; }
};

struct BatchPolicy {
  std::size_t max_rows = 1;                       // tasks per run() call
  std::chrono::milliseconds linger{20};           // flush a partial batch after this
  std::size_t max_bytes = 0;                      // sum of Task::batch_bytes per call; 0: no limit
  // Tasks held across keys before the biggest key's partial batch goes out, so
  // that a file spread over many audiences does not hold them all; 0: 4 x max_rows.
  std::size_t max_pending = 0;
};

struct StartResult {
  bool ok = true;
  std::string error;  // one line: why the job cannot start (exit 2)
};

class JobKind {
 public:
  virtual ~JobKind() = default;
  virtual std::string_view name() const = 0;
  // Declared columns; the engine checks presence and cell types before validate().
  virtual std::span<const Column> columns() const = 0;
  // What else makes the header unusable, beyond a missing required column
  // (tw.members: no identifier column at all); refused before anything is
  // sent, like a missing column. nullopt: nothing.
  virtual std::optional<std::string> header_problem(std::span<const std::string> /*header*/) const {
    return std::nullopt;
  }
  // Cross-field checks and building the task, from the row's cells already
  // checked and typed (`fields`, one a declared column, in columns()' order).
  virtual Validation validate(const Row& row, const Fields& fields) const = 0;
  virtual BatchPolicy batching() const { return {}; }
  // A URL on the server the rows' requests go to: the engine opens connections
  // to it while start() runs, so that the first rows need not each wait for
  // one. Empty: nothing is opened ahead.
  virtual std::string rows_server() const { return {}; }
  // Before any row: credentials, workspace look-up. Failure ends the run with exit 2.
  virtual Awaitable<StartResult> start(Api& api) = 0;
  // Sends the tasks (at most batching().max_rows) and finishes each of them.
  virtual Awaitable<void> run(std::vector<Task> tasks, Api& api, RowSink& sink) = 0;
};

}  // namespace ab
