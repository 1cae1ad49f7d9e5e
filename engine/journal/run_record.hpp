// What a run records about the job file it ran on, beside intents and
// checkpoints in the results file's sidecar: a fingerprint of the header and
// of every row it read, so that a rerun on an edited file refuses rather than
// map a result to another row; and "release" lines for rows whose intent was
// synced but whose request was never written (a graceful stop), so that a
// rerun sends them as new. Line formats (one token per field, hex prints):
//
//   header H           the header's fingerprint
//   rows FIRST H1 H2   rows FIRST, FIRST+1, ... read with these fingerprints
//   release R1 R2      these rows' intents: no request was written
//
// A later line wins: a row read again (--retry) records its print again, an
// intent after a release is an intent again.
#pragma once

#include "engine/input/csv_reader.hpp"
#include "engine/run/job_kind.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

namespace ab {

struct RunRecord {
  std::optional<std::uint64_t> header;                // fingerprint of the header the rows were read with
  std::vector<std::uint64_t> rows;                    // by row number; 0: none recorded
  std::unordered_map<std::size_t, RowStatus> not_ok;  // final rows whose last line is not ok

  std::uint64_t row(std::size_t number) const { return number < rows.size() ? rows[number] : 0; }
};

// 64-bit FNV-1a of the header's names / a record's fields, never 0 (0 means
// "none recorded"). A malformed record is printed by its problem's text.
std::uint64_t header_fingerprint(const CsvHeader& header);
std::uint64_t record_fingerprint(const std::variant<Row, CsvProblem>& record);

std::string format_header_line(std::uint64_t print);
void append_rows_line(std::string& out, std::size_t first, std::span<const std::uint64_t> prints);
void append_release_line(std::string& out, std::span<const std::size_t> rows);

// Applies a "header", "rows" or "release" line (split at spaces) to the
// record and the intents; false when it is none of them or does not parse.
bool apply_record_line(std::span<const std::string_view> tokens, RunRecord& record,
                       std::unordered_set<std::size_t>& intents);

// Gathers the prints of rows as they are read into "rows" lines, handed to
// `write` 64 rows at a time, when a row breaks the run, and on flush().
class RowPrints {
 public:
  explicit RowPrints(std::function<void(std::string)> write) : write_(std::move(write)) {}
  void add(std::size_t row, std::uint64_t print);
  void flush();

 private:
  std::function<void(std::string)> write_;
  std::size_t first_ = 0;
  std::vector<std::uint64_t> prints_;
};

// Which final statuses `--retry` works again on.
using RetryStatuses = std::set<RowStatus>;
// "failed,unknown" -> {failed, unknown}; nullopt names a word that is not one
// of failed, unknown, invalid.
std::optional<RetryStatuses> parse_retry_statuses(std::string_view list);

// A rerun's check that the job file still holds the rows the results were
// recorded for (SPEC.md §5): reads `job_file` afresh up to the last recorded
// row. A changed row is refused when it has a result that stays (final and
// not retried), an intent or a checkpoint; a retried or unfinished row may
// change (it is sent as it now is). Returns the message for exit 2, or
// nullopt when the run may go on. A job file that is not a regular file
// (standard input) cannot be read twice and is not checked.
struct RecordedRows {
  const RunRecord& record;
  const std::unordered_set<std::size_t>& final_rows;
  const std::unordered_set<std::size_t>& intents;
  const std::unordered_map<std::size_t, std::string>& checkpoints;
};
std::optional<std::string> check_job_unchanged(const std::filesystem::path& job_file,
                                               const std::filesystem::path& results, const RecordedRows& recorded,
                                               const RetryStatuses& retry);

}  // namespace ab
