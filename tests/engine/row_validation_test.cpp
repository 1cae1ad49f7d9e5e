#include "engine/input/row_validation.hpp"

#include "engine/run/coroutine.hpp"

#include "engine/input/cells.hpp"

#include <gtest/gtest.h>

#include <array>
#include <sstream>

namespace ab {
namespace {

// A kind that wants a name and a split of two decimals summing to one.
class SplitKind : public JobKind {
 public:
  std::string_view name() const override { return "test.split"; }
  std::span<const Column> columns() const override { return kColumns; }
  Validation validate(const Row& row, const Fields&) const override {
    const std::array parts = {*parse_decimal(row.cell("a")), *parse_decimal(row.cell("b"))};
    const Decimal sum = decimal_sum(parts);
    if (!is_exactly_one(sum)) return RowError{"b", "a + b = " + sum.to_string() + ", not 1"};
    Task task;
    task.params["name"] = row.cell("name");
    return task;
  }
  ab::Awaitable<StartResult> start(Api&) override { co_return StartResult{}; }
  ab::Awaitable<void> run(std::vector<Task>, Api&, RowSink&) override { co_return; }

 private:
  static constexpr std::array kColumns = {Column{"name", CellType::text, true}, Column{"a", CellType::decimal, true},
                                          Column{"b", CellType::decimal, true}};
};

std::vector<CsvRecord> records_of(const std::string& text) {
  CsvReader reader = CsvReader::from_string(text);
  std::vector<CsvRecord> records;
  while (auto r = reader.next()) records.push_back(std::move(*r));
  return records;
}

std::string judged(const CsvRecord& record, const std::vector<std::string>& header = {"name", "a", "b"}) {
  const SplitKind kind;
  const Validation v = validate_row(kind, record, ColumnChecker(header, kind.columns()));
  if (const auto* error = std::get_if<RowError>(&v)) return describe(*error);
  const Task& task = std::get<Task>(v);
  return "task for row " + std::to_string(task.row) + ": " + boost::json::serialize(task.params);
}

TEST(ValidateRow, AValidRowBecomesATaskNumberedLikeTheRow) {
  const auto records = records_of("name,a,b\nx,0.7,0.3\n\nAnn,0.25,0.75\n");
  EXPECT_EQ(judged(records.at(1)), R"(task for row 2: {"name":"Ann"})");
  EXPECT_EQ(record_row(records.at(1)), 2u);
}

TEST(ValidateRow, EachStageNamesTheColumnAndTheReason) {
  const auto records = records_of("name,a,b\n\"x\"y,1,0\nAnn,1\n,1,0\nAnn,0.5,half\nAnn,0.5,0.6\n");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(judged(records[0]), "line 2, field 1: 'y' after a closing quote");
  EXPECT_EQ(judged(records[1]), "line 3: 2 fields, header has 3");
  EXPECT_EQ(judged(records[2]), "name: required, but empty");
  EXPECT_EQ(judged(records[3]), "b: not a decimal: 'half'");
  EXPECT_EQ(judged(records[4]), "b: a + b = 1.1, not 1");
  EXPECT_EQ(record_row(records[0]), 1u);
  EXPECT_EQ(record_row(records[4]), 5u);
}

TEST(ValidateRow, AHeaderErrorMakesEveryParsedRowInvalid) {
  const auto records = records_of("name,a,b\nAnn,0.5,0.5\n\"open\n");
  EXPECT_EQ(judged(records.at(0), {"name", "a"}), "header: missing required column 'b'");
  // A record that could not be read says so first: it is the more precise reason.
  EXPECT_EQ(judged(records.at(1), {"name", "a"}), "line 3, field 1: unclosed quote opened on line 3");
}

TEST(Describe, OmitsAnEmptyColumn) {
  EXPECT_EQ(describe(RowError{"segments", "more than 10 leaves"}), "segments: more than 10 leaves");
  EXPECT_EQ(describe(RowError{"", "no audience with this id"}), "no audience with this id");
}

TEST(ReportInvalidRows, PrintsOneLinePerInvalidRowAndCounts) {
  CsvReader reader = CsvReader::from_string("name,a,b\nAnn,0.5,0.5\nBob,0.5,0.6\nCy,1,0\n\"x\"y,1,0\nDee,0.1,\n");
  std::ostringstream report;
  const RowTally tally = report_invalid_rows(reader, SplitKind{}, report);
  EXPECT_EQ(tally.rows, 5u);
  EXPECT_EQ(tally.invalid, 3u);
  EXPECT_EQ(report.str(),
            "row 2: b: a + b = 1.1, not 1\n"
            "row 4: line 5, field 1: 'y' after a closing quote\n"
            "row 5: b: required, but empty\n");
}

TEST(ReportInvalidRows, AHeaderWithoutARequiredColumnFailsEveryRow) {
  CsvReader reader = CsvReader::from_string("name,a\nAnn,1\nBob,1\n");
  std::ostringstream report;
  const RowTally tally = report_invalid_rows(reader, SplitKind{}, report);
  EXPECT_EQ(tally.rows, 2u);
  EXPECT_EQ(tally.invalid, 2u);
  EXPECT_EQ(report.str(), "row 1: header: missing required column 'b'\nrow 2: header: missing required column 'b'\n");
}

TEST(ReportInvalidRows, AllValidPrintsNothing) {
  CsvReader reader = CsvReader::from_string("b,a,name,extra\n0.9,0.1,Ann,ignored\n");
  std::ostringstream report;
  const RowTally tally = report_invalid_rows(reader, SplitKind{}, report);
  EXPECT_EQ(tally.rows, 1u);
  EXPECT_EQ(tally.invalid, 0u);
  EXPECT_EQ(report.str(), "");
}

}  // namespace
}  // namespace ab
