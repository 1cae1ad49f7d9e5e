#include "engine/input/columns.hpp"

#include <gtest/gtest.h>

#include <array>

namespace ab {
namespace {

// The one row of a job file made of `header` and `values`.
Row row_from(const std::string& header, const std::string& values) {
  CsvReader reader = CsvReader::from_string(header + "\n" + values + "\n");
  auto record = reader.next();
  EXPECT_TRUE(record && std::holds_alternative<Row>(*record)) << values;
  return std::get<Row>(std::move(*record));
}

std::string error_text(const std::optional<ColumnError>& error) {
  return error ? error->column + ": " + error->reason : "(valid)";
}

constexpr std::array kAudience = {
    Column{"name", CellType::text, true},         Column{"female", CellType::decimal, true},
    Column{"minAge", CellType::integer, false},   Column{"shared", CellType::boolean, false},
    Column{"interests", CellType::list, false},   Column{"url", CellType::url, false},
    Column{"urls", CellType::url_list, false},    Column{"segments", CellType::json, false},
};
constexpr std::string_view kHeader = "name,female,minAge,shared,interests,url,urls,segments,unknown";

// check_columns' verdict; the checker a run uses (the header looked up
// once) must give the same.
std::string check(const std::string& values, std::string_view header = kHeader) {
  const Row row = row_from(std::string(header), values);
  const std::string by_name = error_text(check_columns(row, kAudience));
  EXPECT_EQ(error_text(ColumnChecker(row.header().names, kAudience).check(row)), by_name) << values;
  return by_name;
}

TEST(CheckColumns, AcceptsCellsOfTheirDeclaredTypes) {
  EXPECT_EQ(check(R"(Ann,0.5,18,yes,a|b,https://x.example,http://a.example http://b.example,"{""or"":[1]}",anything)"),
            "(valid)");
}

TEST(CheckColumns, EmptyOptionalCellsAreLeftOut) {
  EXPECT_EQ(check("Ann,0.5,,,,,,,"), "(valid)");
}

TEST(CheckColumns, RequiredCellsMustHoldMoreThanBlanks) {
  EXPECT_EQ(check(",0.5,,,,,,,"), "name: required, but empty");
  EXPECT_EQ(check("  ,0.5,,,,,,,"), "name: required, but empty");
  EXPECT_EQ(check("Ann,,,,,,,,"), "female: required, but empty");
}

TEST(CheckColumns, NamesTheColumnAndWhyItsCellIsWrong) {
  EXPECT_EQ(check("Ann,half,,,,,,,"), "female: not a decimal: 'half'");
  EXPECT_EQ(check("Ann,0.5,eighteen,,,,,,"), "minAge: not an integer: 'eighteen'");
  EXPECT_EQ(check("Ann,0.5,,maybe,,,,,"), "shared: not a boolean: 'maybe' (true/false, 1/0 or yes/no)");
  EXPECT_EQ(check("Ann,0.5,,,a||b,,,,"), "interests: item 2 of the list is empty: 'a||b'");
  EXPECT_EQ(check("Ann,0.5,,,,ftp://x.example,,,"), "url: not an http:// or https:// URL: 'ftp://x.example'");
  EXPECT_EQ(check("Ann,0.5,,,,,http://a.example b,,"), "urls: not an absolute URL: 'b'");
  EXPECT_EQ(check("Ann,0.5,,,,,,{oops,"), "segments: not valid JSON: syntax error");
}

TEST(CheckColumns, FirstDeclaredErrorWins) {
  EXPECT_EQ(check(",x,y,z,,,,,"), "name: required, but empty");
  EXPECT_EQ(check("Ann,x,y,z,,,,,"), "female: not a decimal: 'x'");
}

TEST(CheckColumns, TypedCellsAreNotTrimmed) {
  EXPECT_EQ(check("Ann,\" 0.5\",,,,,,,"), "female: not a decimal: ' 0.5'");
}

TEST(CheckColumns, ARequiredColumnAbsentFromTheHeaderIsReported) {
  EXPECT_EQ(check("0.5", "female"), "name: required column missing from the header");
  const ColumnChecker checker(std::vector<std::string>{"female"}, kAudience);
  EXPECT_EQ(checker.header_error(), "missing required column 'name'");
}

// Cells are found by their names whatever the file's order of columns;
// errors still come in the declarations' order.
TEST(CheckColumns, AnyOrderOfTheHeader) {
  constexpr std::string_view reversed = "unknown,segments,urls,url,interests,shared,minAge,female,name";
  EXPECT_EQ(check(R"(anything,"{""or"":[1]}",http://a.example,https://x.example,a|b,yes,18,0.5,Ann)", reversed),
            "(valid)");
  EXPECT_EQ(check(",,,,a||b,,x,y,", reversed), "name: required, but empty");
  EXPECT_EQ(check(",,,,a||b,,x,y,Ann", reversed), "female: not a decimal: 'y'");
  EXPECT_EQ(check(",,,,,maybe,,0.5,Ann", reversed), "shared: not a boolean: 'maybe' (true/false, 1/0 or yes/no)");
  EXPECT_EQ(check("0.5,Ann", "female,name"), "(valid)");
}

TEST(CheckHeader, PassesWhenEveryRequiredColumnIsThere) {
  const std::vector<std::string> header = {"female", "name"};
  EXPECT_EQ(check_header(header, kAudience), std::nullopt);
  EXPECT_EQ(check_header(header, std::span<const Column>{}), std::nullopt);
}

TEST(CheckHeader, ListsTheMissingRequiredColumns) {
  EXPECT_EQ(check_header(std::vector<std::string>{"name", "minAge"}, kAudience),
            "missing required column 'female'");
  EXPECT_EQ(check_header(std::vector<std::string>{"minAge"}, kAudience),
            "missing required columns 'name', 'female'");
}

TEST(CheckHeader, PointsOutACaseSlip) {
  EXPECT_EQ(check_header(std::vector<std::string>{"name", "Female"}, kAudience),
            "missing required column 'female' (the header has 'Female'; names are case-sensitive)");
}

}  // namespace
}  // namespace ab
