// --echo: input columns copied into the results file after `error`, so that
// a result joins on the user's own key (an email's CRM id, a campaign code)
// rather than on the row number. A row's cells are formatted when the row is
// read and held only until its final line is written: memory follows the
// rows in hand, not the file.
#pragma once

#include "engine/input/columns.hpp"
#include "engine/input/row_validation.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace ab {

// Why the columns `names` cannot be echoed from a job file whose header is
// `header`, for a kind declaring `columns`; nullopt when they can. A name the
// header lacks is refused with the nearest names it has; so is a column the
// kind declares `personal` (tw.members' identifiers are only ever sent
// hashed: a raw one is never written out).
std::optional<std::string> echo_problem(std::span<const std::string> header, std::span<const std::string> names,
                                        std::span<const Column> columns);

// Why a rerun cannot append to `results`, begun with `columns` echoed, with
// other --echo columns: the line that says which to give.
std::string echo_mismatch(const std::filesystem::path& results, std::span<const std::string> columns);

class EchoCells {
 public:
  // `names` are columns of `header` (echo_problem said so); none: echoes nothing.
  EchoCells(std::span<const std::string> header, std::span<const std::string> names);

  // Keeps the record's cells, formatted for its final line. A record that
  // could not be read keeps what it has, if anything: its cells stay empty.
  void keep(const CsvRecord& record);
  // The row's cells as append_result_line takes them (",a,b"), forgotten
  // here; empty cells when none were kept. "" without --echo.
  std::string take(std::size_t row);
  void forget(std::size_t row) { cells_.erase(row); }
  // Rows whose cells are held.
  std::size_t held() const { return cells_.size(); }
  // The longest cells kept so far: what a final line may add to its room.
  std::size_t widest() const { return widest_; }

 private:
  std::vector<std::size_t> positions_;  // each echoed column's in the header
  std::unordered_map<std::size_t, std::string> cells_;
  std::size_t widest_ = 0;
};

}  // namespace ab
