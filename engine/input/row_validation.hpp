// Everything that can make a row `invalid` before anything is sent, in one
// place, so that `check` and a run judge every row the same way.
#pragma once

#include "engine/input/csv_reader.hpp"
#include "engine/run/job_kind.hpp"

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <variant>

namespace ab {

using CsvRecord = std::variant<Row, CsvProblem>;

// The row number of a record, whether it could be parsed or not.
std::size_t record_row(const CsvRecord& record);

// A record that could not be parsed, as a RowError: column "line L, field F"
// ("line L" when the record as a whole is wrong), reason the reader's message.
RowError csv_problem_error(const CsvProblem& problem);

// Judges one record, first failure wins: the CSV record could not be parsed;
// the header lacks a required column (the checker's header_error, given to
// every row as column "header"); a cell is missing or not of its declared type
// (the checker, made once per file from the kind's columns, which also types
// the cells); the kind's own checks on the typed cells (JobKind::validate).
// A valid row's Task has `row` set to the record's row number.
Validation validate_row(const JobKind& kind, const CsvRecord& record, const ColumnChecker& columns);

// "column: reason", or the reason alone when no column is named: how an
// invalid row is described in the results file and by `check`.
std::string describe(const RowError& error);

struct RowTally {
  std::uint64_t rows = 0;
  std::uint64_t invalid = 0;
};

// `check`: judges every remaining record of `reader` and writes one line,
// "row N: column: reason", per invalid row on `report`.
// Throws std::runtime_error when the file cannot be read any further.
RowTally report_invalid_rows(CsvReader& reader, const JobKind& kind, std::ostream& report);

}  // namespace ab
