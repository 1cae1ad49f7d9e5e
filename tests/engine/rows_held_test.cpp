// The rows a run holds at once stay bounded whatever the batch size: a kind
// of 2,500-row batches over a file of 200,000 rows, each batch held a while
// by its worker (as a budget or a slow server would), never has more than
// max_rows_held rows in its workers plus what the batcher gathers.
#include "engine/run/runner.hpp"

#include "engine/run/coroutine.hpp"
#include "support/marks_directory.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ab {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kBatch = 2500;

struct Held {
  std::size_t now = 0;   // validated, not yet finished
  std::size_t most = 0;  // the peak of `now`
  std::size_t batches = 0;
};

// One row is one person of an audience, as tw.members; nothing is sent.
class BigBatchKind : public JobKind {
 public:
  explicit BigBatchKind(Held& held) : held_(held) {}
  std::string_view name() const override { return "test.big-batches"; }
  std::span<const Column> columns() const override { return kColumns; }
  BatchPolicy batching() const override {
    BatchPolicy policy;
    policy.max_rows = kBatch;
    return policy;
  }
  Validation validate(const Row& row, const Fields&) const override {
    held_.most = std::max(held_.most, ++held_.now);
    Task task;
    task.batch_key = std::string(row.cell("audience"));
    task.body = std::string(row.cell("who"));
    return task;
  }
  ab::Awaitable<StartResult> start(Api&) override { co_return StartResult{}; }
  ab::Awaitable<void> run(std::vector<Task> tasks, Api&, RowSink& sink) override {
    ++held_.batches;
    ab::SteadyTimer wait(co_await boost::asio::this_coro::executor, std::chrono::milliseconds(5));
    co_await wait.async_wait(ab::use_awaitable);
    for (const auto& task : tasks) sink.finish(task.row, RowResult{RowStatus::ok, 200, task.batch_key, 1, ""});
    held_.now -= tasks.size();
  }

 private:
  static constexpr std::array kColumns = {Column{"audience", CellType::text, true}, Column{"who", CellType::text, true}};
  Held& held_;
};

TEST(RowsHeld, BigBatchesNeverHoldMoreThanTheBoundWhateverTheFileSize) {
  const fs::path dir = [] {
    std::string name = (fs::temp_directory_path() / "ab-held-XXXXXX").string();
    if (!::mkdtemp(name.data())) throw std::runtime_error("mkdtemp failed");
    return fs::path(name);
  }();
  constexpr std::size_t rows = 200'000;
  {
    std::ofstream job(dir / "job.csv");
    job << "audience,who\n";
    for (std::size_t i = 0; i < rows; ++i) job << "aud" << i % 3 << ",p" << i << "\n";
  }
  RunSettings options;
  options.job_file = dir / "job.csv";
  options.install_signal_handlers = false;
  options.verbosity = -1;
  options.progress = 0;
  options.marks_directory = test::marks_directory();
  Held held;
  BigBatchKind kind(held);
  std::ostringstream log;
  const Summary summary = run_with_kind(kind, options, log);
  EXPECT_EQ(summary.exit_code, 0) << log.str();
  EXPECT_EQ(summary.rows_ok, rows);
  EXPECT_EQ(held.now, 0u);
  EXPECT_LE(held.batches, rows / kBatch + 3) << "requests full but for each audience's last";
  // The workers' batches, and the four batches' worth the batcher may gather across audiences.
  EXPECT_LE(held.most, max_rows_held + 4 * kBatch);
  EXPECT_GE(held.most, 2 * kBatch) << "batches are held side by side, not one at a time";
  EXPECT_EQ(row_workers(32, kind.batching()), max_rows_held / kBatch);
  EXPECT_EQ(row_workers(32, BatchPolicy{}), 32u + 128u) << "one-row kinds keep their workers";
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

}  // namespace
}  // namespace ab
