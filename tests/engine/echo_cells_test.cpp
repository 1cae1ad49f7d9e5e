// --echo: the cells kept per row, the refusals, and a results file whose
// header carries the echoed columns written and read back.
#include "engine/journal/echo_cells.hpp"
#include "engine/journal/journal.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ab {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> header{"name", "crm_id", "email", "note"};
constexpr std::array kColumns = {Column{"name", CellType::text, true}, Column{"email", CellType::text, false, true}};

std::vector<CsvRecord> records_of(const std::string& text) {
  CsvReader reader = CsvReader::from_string(text);
  std::vector<CsvRecord> records;
  while (auto r = reader.next()) records.push_back(std::move(*r));
  return records;
}

TEST(EchoProblem, KnownColumnsPass) {
  const std::vector<std::string> names{"crm_id", "note"};
  EXPECT_EQ(echo_problem(header, names, kColumns), std::nullopt);
  EXPECT_EQ(echo_problem(header, {}, kColumns), std::nullopt);
}

TEST(EchoProblem, AnUnknownColumnIsRefusedWithTheNearestName) {
  const std::vector<std::string> typo{"crmid"};
  EXPECT_EQ(echo_problem(header, typo, kColumns), "--echo: the job file has no column 'crmid' (did you mean 'crm_id'?)");
  const std::vector<std::string> far{"campaign"};
  EXPECT_EQ(echo_problem(header, far, kColumns),
            "--echo: the job file has no column 'campaign'; its columns are 'name', 'crm_id', 'email' or 'note'");
}

TEST(EchoProblem, APersonalColumnIsNeverWrittenOut) {
  const std::vector<std::string> names{"crm_id", "email"};
  EXPECT_EQ(echo_problem(header, names, kColumns),
            "--echo: 'email' holds personal identifiers, which are only ever sent hashed and never written to the "
            "results file");
}

TEST(EchoProblem, ARerunWithOtherColumnsSaysWhichToGive) {
  const std::vector<std::string> names{"crm_id", "note"};
  EXPECT_EQ(echo_mismatch("out.csv", names),
            "out.csv was begun with --echo crm_id,note: run again with --echo crm_id,note, or give another --out for "
            "other columns");
  EXPECT_EQ(echo_mismatch("out.csv", {}),
            "out.csv was begun without --echo: run again without --echo, or give another --out for other columns");
}

TEST(EchoCells, KeepsEachRowsCellsUntilTakenQuotedOnOneLine) {
  const std::vector<std::string> names{"note", "crm_id"};
  EchoCells cells(header, names);
  const auto records = records_of("name,crm_id,email,note\nA,c-1,a@x.org,plain\nB,c-2,b@x.org,\"one, \"\"two\"\"\nthree\"\n");
  for (const auto& record : records) cells.keep(record);
  EXPECT_EQ(cells.held(), 2u);
  EXPECT_EQ(cells.take(2), ",\"one, \"\"two\"\" three\",c-2");
  EXPECT_EQ(cells.take(1), ",plain,c-1");
  EXPECT_EQ(cells.held(), 0u);
  EXPECT_EQ(cells.take(1), ",,") << "a row not kept (or taken already) has empty cells";
}

TEST(EchoCells, ARecordThatCouldNotBeReadHasEmptyCellsAndForgetLetsGo) {
  const std::vector<std::string> names{"crm_id"};
  EchoCells cells(header, names);
  const auto records = records_of("name,crm_id,email,note\n\"A\"x,c-1,,\nB,c-2,,\n");
  ASSERT_TRUE(std::holds_alternative<CsvProblem>(records[0]));
  for (const auto& record : records) cells.keep(record);
  EXPECT_EQ(cells.take(1), ",");
  cells.forget(2);
  EXPECT_EQ(cells.held(), 0u);
}

TEST(EchoCells, WithoutEchoNothingIsKept) {
  EchoCells cells(header, {});
  cells.keep(records_of("name,crm_id,email,note\nA,c-1,,\n").front());
  EXPECT_EQ(cells.held(), 0u);
  EXPECT_EQ(cells.take(1), "");
}

class EchoJournal : public ::testing::Test {
 protected:
  fs::path dir = [] {
    std::string name = (fs::temp_directory_path() / "ab-echo-XXXXXX").string();
    if (!::mkdtemp(name.data())) throw std::runtime_error("mkdtemp failed");
    return fs::path(name);
  }();
  fs::path results = dir / "job.results.csv";
  ~EchoJournal() override {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  std::string text() const {
    std::ifstream in(results, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }
};

TEST_F(EchoJournal, TheHeaderCarriesTheColumnsAndARerunReadsThemBack) {
  JournalState state = load_journal(results);
  state.echo_columns = {"crm_id", "a,b"};
  {
    JournalWriter writer(results, state);
    writer.final_line(1, RowResult{RowStatus::ok, 201, "x1", 1, ""}, ",c-1,\"p, q\"");
    writer.final_line(2, RowResult{RowStatus::invalid, 0, "", 0, "name: required, but empty"}, ",c-2,");
  }
  EXPECT_EQ(text(), "row,status,http_status,id,attempts,error,crm_id,\"a,b\"\n"
                    "1,ok,201,x1,1,,c-1,\"p, q\"\n"
                    "2,invalid,,,0,\"name: required, but empty\",c-2,\n");
  const auto again = load_journal(results);
  EXPECT_EQ(again.echo_columns, (std::vector<std::string>{"crm_id", "a,b"}));
  EXPECT_EQ(again.final_rows, (std::unordered_set<std::size_t>{1, 2}));
  EXPECT_EQ(again.final_not_ok, 1u);
}

TEST_F(EchoJournal, ALineWithoutTheHeadersNumberOfFieldsIsNotAResult) {
  std::ofstream(results) << "row,status,http_status,id,attempts,error,crm_id\n1,ok,201,x1,1,\n";
  try {
    load_journal(results);
    ADD_FAILURE() << "loaded";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), results.string() + " line 2: not a result line");
  }
}

TEST_F(EchoJournal, ATornHeaderWithEchoColumnsIsWrittenAgain) {
  std::ofstream(results) << "row,status,http_status,id,attempts,error,crm";
  JournalState state = load_journal(results);
  EXPECT_EQ(state.results_bytes, 0u);
  state.echo_columns = {"crm_id"};
  { JournalWriter writer(results, state); }
  EXPECT_EQ(text(), "row,status,http_status,id,attempts,error,crm_id\n");
}

}  // namespace
}  // namespace ab
