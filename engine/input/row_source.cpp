#include "engine/input/row_source.hpp"

#include "engine/input/row_validation.hpp"

namespace ab {

namespace {

std::size_t row_number(const std::variant<Row, CsvProblem>& record) {
  return std::visit(
      [](const auto& r) {
        if constexpr (std::is_same_v<std::decay_t<decltype(r)>, Row>)
          return r.number();
        else
          return r.row;
      },
      record);
}

}  // namespace

RowSource::RowSource(CsvReader& reader, const JobKind& kind, const JournalState& state, InvalidRow on_invalid)
    : reader_(reader),
      kind_(kind),
      state_(state),
      on_invalid_(std::move(on_invalid)),
      columns_(reader.header().names, kind.columns()),
      batcher_(kind.batching()) {}

std::optional<std::vector<Task>> RowSource::next_batch() {
  if (ready_.empty()) return read_batch();
  auto batch = std::move(ready_.front());
  ready_.pop_front();
  return batch;
}

std::size_t RowSource::read_ahead(std::size_t batches) {
  while (ready_.size() < batches) {
    auto batch = read_batch();
    if (!batch) break;
    ready_.push_back(std::move(*batch));
  }
  return ready_.size();
}

std::optional<std::vector<Task>> RowSource::read_batch() {
  while (auto record = reader_.next()) {
    const std::size_t row = row_number(*record);
    if (!mine(row)) continue;
    ++rows_read_;
    if (stays_final(row)) {
      ++skipped_;
      continue;
    }
    if (prints_) prints_->add(row, record_fingerprint(*record));
    if (echo_) echo_->keep(*record);
    auto validated = validate_row(kind_, *record, columns_);
    if (auto* error = std::get_if<RowError>(&validated)) {
      on_invalid_(row, RowResult{RowStatus::invalid, 0, {}, 0, error->column + ": " + error->reason});
      continue;
    }
    Task task = std::move(std::get<Task>(validated));
    task.maybe_sent = state_.intents.contains(row);
    if (auto it = state_.checkpoints.find(row); it != state_.checkpoints.end()) task.checkpoint = it->second;
    // The reader never waits, so a batch only lingers at end of input.
    if (auto full = batcher_.add(std::move(task), std::chrono::steady_clock::now())) return full;
  }
  if (batcher_.empty()) return std::nullopt;
  return batcher_.flush();
}

// A final row is skipped, unless --retry names its status.
bool RowSource::stays_final(std::size_t row) {
  if (!state_.final_rows.contains(row)) return false;
  if (retry_.empty()) return true;
  const auto it = state_.record.not_ok.find(row);
  if (it == state_.record.not_ok.end() || !retry_.contains(it->second)) return true;
  ++retried_;
  return false;
}

void RowSource::only_shard(unsigned index, unsigned count) {
  shard_ = index;
  shards_ = count;
}

std::uint64_t RowSource::count_remaining() {
  std::uint64_t left = 0;
  while (auto record = reader_.next())
    if (const auto row = row_number(*record); mine(row) && !stays_final(row)) ++left;
  return left;
}

}  // namespace ab
