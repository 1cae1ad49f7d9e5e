// What a run records about its job file: fingerprints, releases, --retry's
// statuses, and the rerun's check that the rows are still the ones run.
#include "engine/journal/journal.hpp"
#include "engine/journal/run_record.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace ab {
namespace {

namespace fs = std::filesystem;

class RunRecordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = (fs::temp_directory_path() / "ab-record-XXXXXX").string();
    ASSERT_NE(::mkdtemp(name.data()), nullptr);
    dir_ = name;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path file(const std::string& name) const { return dir_ / name; }
  static void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

  // The prints of every record of `csv`, by row number.
  static std::vector<std::uint64_t> prints_of(const std::string& csv) {
    auto reader = CsvReader::from_string(csv);
    std::vector<std::uint64_t> prints{0};
    while (auto record = reader.next()) prints.push_back(record_fingerprint(*record));
    return prints;
  }

  fs::path dir_;
};

// The prints a journal already holds must still match on a rerun: a row's
// print is 64-bit FNV-1a over each field followed by 0x1f, however the record
// was read (plain, quoted, CRLF, last line without a line end).
TEST_F(RunRecordTest, APrintIsFnv1aOfEachFieldFollowedByAUnitSeparator) {
  const auto fnv = [](std::initializer_list<std::string_view> fields) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const std::string_view f : fields) {
      for (const char c : f) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
      h = (h ^ 0x1f) * 0x100000001b3ULL;
    }
    return h;
  };
  const auto p = prints_of("a,b,c\nx,y,z\n\"q,\"\"\",,\r\nlast,\x1f,row");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[1], fnv({"x", "y", "z"}));
  EXPECT_EQ(p[1], 0x68ee7331442d268fULL);
  EXPECT_EQ(p[2], fnv({"q,\"", "", ""}));
  EXPECT_EQ(p[2], 0xf9956c0bf56056f9ULL);
  EXPECT_EQ(p[3], fnv({"last", "\x1f", "row"}));
  EXPECT_EQ(p[3], 0x983633049474fe39ULL);
}

TEST_F(RunRecordTest, EqualRowsPrintEqualAndAnyChangedCellOrSplitChangesThePrint) {
  const auto p = prints_of("a,b\nx,y\nx,y\nxy,\nx,z\n\"x,y\",\n");
  EXPECT_EQ(p[1], p[2]);
  EXPECT_NE(p[1], p[3]) << "where a cell ends is part of the row";
  EXPECT_NE(p[1], p[4]);
  EXPECT_NE(p[3], p[5]);
  for (std::size_t i = 1; i < p.size(); ++i) EXPECT_NE(p[i], 0u);
}

TEST_F(RunRecordTest, RowsLinesRoundTripAndALaterLineWins) {
  RunRecord record;
  std::unordered_set<std::size_t> intents{4, 5};
  std::string lines;
  const std::vector<std::uint64_t> first{0xa, 0xb, 0xc}, again{0xff};
  append_rows_line(lines, 3, first);
  append_rows_line(lines, 4, again);
  append_release_line(lines, std::vector<std::size_t>{5});
  std::istringstream in(lines);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string_view> tokens;
    std::string_view rest = line;
    while (!rest.empty()) {
      const auto space = std::min(rest.find(' '), rest.size());
      tokens.push_back(rest.substr(0, space));
      rest.remove_prefix(std::min(space + 1, rest.size()));
    }
    ASSERT_TRUE(apply_record_line(tokens, record, intents)) << line;
  }
  EXPECT_EQ(record.row(3), 0xau);
  EXPECT_EQ(record.row(4), 0xffu);
  EXPECT_EQ(record.row(5), 0xcu);
  EXPECT_EQ(record.row(6), 0u);
  EXPECT_EQ(intents, (std::unordered_set<std::size_t>{4})) << "row 5 was released";
}

TEST_F(RunRecordTest, RowPrintsGatherConsecutiveRowsIntoOneLine) {
  std::vector<std::string> written;
  RowPrints prints([&](std::string line) { written.push_back(std::move(line)); });
  prints.add(1, 0x1);
  prints.add(2, 0x2);
  prints.add(5, 0x5);  // rows 3 and 4 were final: a new line
  prints.flush();
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[0], "rows 1 1 2\n");
  EXPECT_EQ(written[1], "rows 5 5\n");
  for (std::size_t row = 10; row < 10 + 64; ++row) prints.add(row, 7);
  EXPECT_EQ(written.size(), 3u) << "64 prints make a line without a flush";
}

TEST_F(RunRecordTest, RetryStatusesAreFailedUnknownOrInvalid) {
  EXPECT_EQ(parse_retry_statuses("failed"), (RetryStatuses{RowStatus::failed}));
  EXPECT_EQ(parse_retry_statuses("failed,unknown"), (RetryStatuses{RowStatus::failed, RowStatus::unknown}));
  EXPECT_EQ(parse_retry_statuses("invalid"), (RetryStatuses{RowStatus::invalid}));
  EXPECT_FALSE(parse_retry_statuses("ok"));
  EXPECT_FALSE(parse_retry_statuses("failed,"));
  EXPECT_FALSE(parse_retry_statuses(""));
}

TEST_F(RunRecordTest, TheLoaderReadsReleasesAndPrintsAndKeepsNotOkStatuses) {
  const auto results = file("job.results.csv");
  std::string lines(results_header);
  lines += "\n1,ok,201,a,1,\n2,failed,400,,1,bad\n3,unknown,,,1,may\n";
  write(results, lines);
  write(sidecar_path(results), "header 1f\nintent 4 5 6\nrows 1 a b c d e f\nrelease 5\nintent 6\n");
  const auto state = load_journal(results);
  EXPECT_EQ(state.intents, (std::unordered_set<std::size_t>{4, 6}));
  EXPECT_EQ(state.record.header, 0x1fu);
  EXPECT_EQ(state.record.row(6), 0xfu);
  EXPECT_EQ(state.record.not_ok.at(2), RowStatus::failed);
  EXPECT_EQ(state.record.not_ok.at(3), RowStatus::unknown);
  EXPECT_FALSE(state.record.not_ok.contains(1));
}

// A results file of three rows run on `job`, checked against `edited`.
std::optional<std::string> check_edit(const fs::path& dir, const std::string& job, const std::string& edited,
                                      const RetryStatuses& retry = {}, RowStatus row2 = RowStatus::ok) {
  RunRecord record;
  auto reader = CsvReader::from_string(job);
  record.header = header_fingerprint(reader.header());
  record.rows.push_back(0);
  while (auto r = reader.next()) record.rows.push_back(record_fingerprint(*r));
  if (row2 != RowStatus::ok) record.not_ok[2] = row2;
  const std::unordered_set<std::size_t> finals{1, 2, 3}, intents;
  const std::unordered_map<std::size_t, std::string> checkpoints;
  const auto path = dir / "job.csv";
  std::ofstream(path, std::ios::binary) << edited;
  return check_job_unchanged(path, dir / "job.results.csv", {record, finals, intents, checkpoints}, retry);
}

TEST_F(RunRecordTest, ARerunOnTheSameRowsOrWithRowsAppendedGoesOn) {
  const std::string job = "name\nA\nB\nC\n";
  EXPECT_FALSE(check_edit(dir_, job, job));
  EXPECT_FALSE(check_edit(dir_, job, job + "D\n"));
}

TEST_F(RunRecordTest, ARowInsertedAtTheTopIsRefusedNamingRowOne) {
  const auto refused = check_edit(dir_, "name\nA\nB\nC\n", "name\nZ\nA\nB\nC\n");
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->find("row 1 changed since it was run (it ended ok)"), std::string::npos) << *refused;
}

TEST_F(RunRecordTest, ADeletedRowOrAChangedHeaderIsRefused) {
  const auto gone = check_edit(dir_, "name\nA\nB\nC\n", "name\nA\nB\n");
  ASSERT_TRUE(gone);
  EXPECT_NE(gone->find("row 3 is gone"), std::string::npos) << *gone;
  const auto header = check_edit(dir_, "name\nA\nB\nC\n", "title\nA\nB\nC\n");
  ASSERT_TRUE(header);
  EXPECT_NE(header->find("the header changed"), std::string::npos) << *header;
}

TEST_F(RunRecordTest, AChangedRowThatIsRetriedMayChange) {
  const std::string job = "name\nA\nB\nC\n", fixed = "name\nA\nB2\nC\n";
  const auto refused = check_edit(dir_, job, fixed, {}, RowStatus::invalid);
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->find("add --retry invalid"), std::string::npos) << *refused;
  EXPECT_FALSE(check_edit(dir_, job, fixed, {RowStatus::invalid}, RowStatus::invalid));
  EXPECT_TRUE(check_edit(dir_, job, fixed, {RowStatus::failed}, RowStatus::invalid));
}

}  // namespace
}  // namespace ab
