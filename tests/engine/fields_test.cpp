// The column check types every cell once (engine/input/fields.hpp): a good
// cell of each type gives its value, a bad one the column and the reason a
// row is refused with, word for word.
#include "engine/input/fields.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace ab {
namespace {

constexpr std::array kColumns = {
    Column{"name", CellType::text, true},      Column{"age", CellType::integer, false},
    Column{"share", CellType::decimal, false}, Column{"shared", CellType::boolean, false},
    Column{"tags", CellType::list, false},     Column{"site", CellType::url, false},
    Column{"sites", CellType::url_list, false}, Column{"tree", CellType::json, false},
    Column{"more", CellType::list, false},     Column{"unread", CellType::text, false},
};
constexpr Field kName = field(kColumns, "name");
constexpr Field kAge = field(kColumns, "age");
constexpr Field kShare = field(kColumns, "share");
constexpr Field kShared = field(kColumns, "shared");
constexpr Field kTags = field(kColumns, "tags");
constexpr Field kSite = field(kColumns, "site");
constexpr Field kSites = field(kColumns, "sites");
constexpr Field kTree = field(kColumns, "tree");
constexpr Field kMore = field(kColumns, "more");
constexpr Field kUnread = field(kColumns, "unread");
static_assert(kTree.index == 7 && kTree.name == "tree");

constexpr std::string_view kHeader = "name,age,share,shared,tags,site,sites,tree,more";

// kHeader's file of one row. (Appended: GCC 12 misreads a chain of string
// additions as out of bounds, -Warray-bounds.)
std::string job_file(const std::string& values) {
  std::string text(kHeader);
  text.append("\n").append(values).append("\n");
  return text;
}

// A job file of kHeader and one row of `values`, checked as a run checks it.
class TypedRow {
 public:
  explicit TypedRow(const std::string& values)
      : reader_(CsvReader::from_string(job_file(values))),
        row_(std::get<Row>(*reader_.next())) {
    error_ = ColumnChecker(reader_.header().names, kColumns).check(row_, fields_);
  }
  // "(valid)", or "column: reason" as the results file says it.
  std::string verdict() const { return error_ ? error_->column + ": " + error_->reason : "(valid)"; }
  const Fields& fields() const { return fields_; }

 private:
  CsvReader reader_;
  Row row_;
  Fields fields_;
  std::optional<ColumnError> error_;
};

std::vector<std::string> items(std::span<const std::string_view> list) { return {list.begin(), list.end()}; }

TEST(Fields, EachTypeGivesItsValue) {
  const TypedRow row(R"(Ann,-42,0.070,YES, a | b ,https://x.example/p,http://a.example  https://b.example,)"
                     R"("{""or"":[1,2]}","[""x|y"",""\u00e9""]")");
  ASSERT_EQ(row.verdict(), "(valid)");
  const Fields& f = row.fields();
  EXPECT_EQ(f.text(kName), "Ann");
  EXPECT_EQ(f.integer(kAge), -42);
  ASSERT_TRUE(f.decimal(kShare));
  EXPECT_EQ(f.decimal(kShare)->units, 70);
  EXPECT_EQ(f.decimal(kShare)->scale, 3u);
  EXPECT_EQ(f.boolean(kShared), true);
  EXPECT_EQ(items(f.list(kTags)), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f.text(kSite), "https://x.example/p");
  EXPECT_EQ(items(f.list(kSites)), (std::vector<std::string>{"http://a.example", "https://b.example"}));
  ASSERT_NE(f.json(kTree), nullptr);
  EXPECT_EQ(*f.json(kTree), boost::json::parse(R"({"or":[1,2]})"));
  // A JSON array's strings unescaped; the list before it keeps its own items.
  EXPECT_EQ(items(f.list(kMore)), (std::vector<std::string>{"x|y", "\xC3\xA9"}));
  // Every cell keeps its text as typed, whatever its type.
  EXPECT_EQ(f.text(kAge), "-42");
  EXPECT_EQ(f.text(kTags), " a | b ");
}

TEST(Fields, EmptyAndAbsentCellsHaveNoValue) {
  const TypedRow row("Ann,,,,,,,,");
  ASSERT_EQ(row.verdict(), "(valid)");
  const Fields& f = row.fields();
  for (Field empty : {kAge, kShare, kShared, kTags, kSite, kSites, kTree, kMore}) {
    EXPECT_TRUE(f.empty(empty)) << empty.name;
    EXPECT_TRUE(f.in_header(empty)) << empty.name;
  }
  EXPECT_EQ(f.integer(kAge), std::nullopt);
  EXPECT_EQ(f.decimal(kShare), std::nullopt);
  EXPECT_EQ(f.boolean(kShared), std::nullopt);
  EXPECT_TRUE(f.list(kTags).empty());
  EXPECT_EQ(f.json(kTree), nullptr);
  // Not in the header: empty too, and said so.
  EXPECT_FALSE(f.in_header(kUnread));
  EXPECT_EQ(f.text(kUnread), "");
}

TEST(Fields, AListOfBlanksIsAnEmptyListButNotAnEmptyCell) {
  const TypedRow row("Ann,,,,  ,,,,[]");
  ASSERT_EQ(row.verdict(), "(valid)");
  EXPECT_FALSE(row.fields().empty(kTags));
  EXPECT_TRUE(row.fields().list(kTags).empty());
  EXPECT_TRUE(row.fields().list(kMore).empty());
}

TEST(Fields, ABadCellNamesItsColumnAndWhy) {
  EXPECT_EQ(TypedRow("  ,,,,,,,,").verdict(), "name: required, but empty");
  EXPECT_EQ(TypedRow("Ann,4.5,,,,,,,").verdict(), "age: not an integer: '4.5'");
  EXPECT_EQ(TypedRow("Ann,99999999999999999999,,,,,,,").verdict(), "age: integer out of range: '99999999999999999999'");
  EXPECT_EQ(TypedRow("Ann,,1e3,,,,,,").verdict(), "share: not a decimal: '1e3'");
  EXPECT_EQ(TypedRow("Ann,,0.1234567890123456789,,,,,,").verdict(),
            "share: more than 18 decimal places: '0.1234567890123456789'");
  EXPECT_EQ(TypedRow("Ann,,,maybe,,,,,").verdict(), "shared: not a boolean: 'maybe' (true/false, 1/0 or yes/no)");
  EXPECT_EQ(TypedRow("Ann,,,,a||b,,,,").verdict(), "tags: item 2 of the list is empty: 'a||b'");
  EXPECT_EQ(TypedRow("Ann,,,,[1],,,,").verdict(), "tags: item 1 of the JSON list is not a string: '[1]'");
  EXPECT_EQ(TypedRow("Ann,,,,,x.example,,,").verdict(), "site: not an absolute URL: 'x.example'");
  EXPECT_EQ(TypedRow("Ann,,,,,ftp://x.example,,,").verdict(), "site: not an http:// or https:// URL: 'ftp://x.example'");
  EXPECT_EQ(TypedRow("Ann,,,,,,http://a.example b,,").verdict(), "sites: not an absolute URL: 'b'");
  EXPECT_EQ(TypedRow("Ann,,,,,,  ,,").verdict(), "sites: no URL in '  '");
  EXPECT_EQ(TypedRow("Ann,,,,,,,{oops,").verdict(), "tree: not valid JSON: syntax error");
  EXPECT_EQ(TypedRow(R"(Ann,,,,,,,,"[""""]")").verdict(), R"(more: item 1 of the JSON list is empty: '[""]')");
}

}  // namespace
}  // namespace ab
