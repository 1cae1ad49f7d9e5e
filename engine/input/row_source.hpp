// Rows on their way in: read from the job file, skipped when already final,
// validated, and gathered into the batches the job kind asks for. Invalid
// rows are handed back at once for their final line. Reading happens only
// when a worker asks for more, which is the pipeline's back-pressure: memory
// holds `concurrency` batches, whatever the file size.
#pragma once

#include "engine/send/batcher.hpp"
#include "engine/input/columns.hpp"
#include "engine/input/csv_reader.hpp"
#include "engine/run/job_kind.hpp"
#include "engine/journal/echo_cells.hpp"
#include "engine/journal/journal.hpp"
#include "engine/journal/run_record.hpp"

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ab {

class RowSource {
 public:
  using InvalidRow = std::function<void(std::size_t row, RowResult result)>;
  RowSource(CsvReader& reader, const JobKind& kind, const JournalState& state, InvalidRow on_invalid);

  // The next batch to send, or nullopt at end of input.
  std::optional<std::vector<Task>> next_batch();
  // Reads and validates up to `batches` batches now, for next_batch() to give
  // out later (the run does this while the job kind logs in); returns how
  // many are waiting.
  std::size_t read_ahead(std::size_t batches);
  // Rows of the rest of the file without a final line (for "rows left" after a stop).
  std::uint64_t count_remaining();

  // Rows read are fingerprinted into `prints` (run_record.hpp); null: not recorded.
  void record_prints(RowPrints* prints) { prints_ = prints; }
  // Rows to be worked on leave their --echo cells in `cells`; null: none kept.
  void echo_into(EchoCells* cells) { echo_ = cells; }
  // Final rows whose status is one of these are worked on again (--retry).
  void retry(RetryStatuses statuses) { retry_ = std::move(statuses); }
  // Final rows taken again this run because of --retry.
  std::uint64_t retried() const { return retried_; }
  // Only rows whose number r has (r - 1) mod `count` == `index` - 1 (--shard
  // index/count, 1-based); the others are not this run's and are passed over unseen.
  void only_shard(unsigned index, unsigned count);

  std::uint64_t skipped() const { return skipped_; }
  std::uint64_t rows_read() const { return rows_read_; }

 private:
  CsvReader& reader_;
  const JobKind& kind_;
  const JournalState& state_;
  InvalidRow on_invalid_;
  std::optional<std::vector<Task>> read_batch();
  bool stays_final(std::size_t row);

  ColumnChecker columns_;
  Batcher batcher_;
  std::deque<std::vector<Task>> ready_;
  RowPrints* prints_ = nullptr;
  EchoCells* echo_ = nullptr;
  RetryStatuses retry_;
  std::uint64_t retried_ = 0;
  std::uint64_t skipped_ = 0;
  std::uint64_t rows_read_ = 0;
  unsigned shard_ = 0, shards_ = 0;
  bool mine(std::size_t row) const { return shards_ == 0 || (row - 1) % shards_ == shard_ - 1; }
};

}  // namespace ab
