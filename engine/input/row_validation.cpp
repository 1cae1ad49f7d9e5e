#include "engine/input/row_validation.hpp"

#include "engine/input/columns.hpp"

#include <ostream>

namespace ab {

std::size_t record_row(const CsvRecord& record) {
  if (const auto* problem = std::get_if<CsvProblem>(&record)) return problem->row;
  return std::get<Row>(record).number();
}

RowError csv_problem_error(const CsvProblem& problem) {
  std::string where = "line " + std::to_string(problem.line);
  if (problem.column != 0) where += ", field " + std::to_string(problem.column);
  return RowError{std::move(where), problem.message};
}

Validation validate_row(const JobKind& kind, const CsvRecord& record, const ColumnChecker& columns) {
  if (const auto* problem = std::get_if<CsvProblem>(&record)) return csv_problem_error(*problem);
  if (const auto& header_error = columns.header_error()) return RowError{"header", *header_error};
  const Row& row = std::get<Row>(record);
  Fields fields;
  if (auto error = columns.check(row, fields)) return RowError{std::move(error->column), std::move(error->reason)};
  Validation result = kind.validate(row, fields);
  if (auto* task = std::get_if<Task>(&result)) task->row = row.number();
  return result;
}

std::string describe(const RowError& error) {
  if (error.column.empty()) return error.reason;
  return error.column + ": " + error.reason;
}

RowTally report_invalid_rows(CsvReader& reader, const JobKind& kind, std::ostream& report) {
  const ColumnChecker columns(reader.header().names, kind.columns());
  RowTally tally;
  while (const std::optional<CsvRecord> record = reader.next()) {
    ++tally.rows;
    const Validation result = validate_row(kind, *record, columns);
    if (const auto* error = std::get_if<RowError>(&result)) {
      ++tally.invalid;
      report << "row " << record_row(*record) << ": " << describe(*error) << '\n';
    }
  }
  return tally;
}

}  // namespace ab
