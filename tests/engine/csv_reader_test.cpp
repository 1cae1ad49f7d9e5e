#include "engine/input/csv_reader.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ab {
namespace {

namespace fs = std::filesystem;
using Record = std::variant<Row, CsvProblem>;

std::vector<Record> read_all(CsvReader& reader) {
  std::vector<Record> records;
  while (auto record = reader.next()) records.push_back(std::move(*record));
  return records;
}

std::vector<Record> read_all(std::string text, CsvLimits limits = {}) {
  CsvReader reader = CsvReader::from_string(std::move(text), limits);
  return read_all(reader);
}

std::vector<std::string> fields_of(const Row& row) {
  std::vector<std::string> fields;
  for (std::size_t i = 0; i < row.size(); ++i) fields.emplace_back(row.field(i));
  return fields;
}

const Row& row_of(const Record& record) {
  if (const auto* problem = std::get_if<CsvProblem>(&record))
    ADD_FAILURE() << "row " << problem->row << ", line " << problem->line << ": " << problem->message;
  return std::get<Row>(record);
}

const CsvProblem& problem_of(const Record& record) {
  EXPECT_TRUE(std::holds_alternative<CsvProblem>(record)) << "expected a problem, got a row";
  return std::get<CsvProblem>(record);
}

// One line per record, so that two readings can be compared whole.
std::string transcript(const std::vector<Record>& records) {
  std::ostringstream out;
  for (const Record& record : records) {
    if (const auto* p = std::get_if<CsvProblem>(&record)) {
      out << "problem row " << p->row << " line " << p->line << " field " << p->column << ": " << p->message << "\n";
    } else {
      const Row& row = std::get<Row>(record);
      out << "row " << row.number() << " line " << row.line() << ":";
      for (const std::string& f : fields_of(row)) out << " [" << f << "]";
      out << "\n";
    }
  }
  return out.str();
}

std::string message_of_open(const std::string& text) {
  try {
    CsvReader::from_string(text);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

fs::path temp_file(const std::string& name, const std::string& content) {
  const fs::path path = fs::path(::testing::TempDir()) / name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

// --- csv-spectrum: every case of the public conformance suite, field by field

TEST(CsvSpectrum, EveryCaseParsesToItsExpectedObjects) {
  const fs::path root = fs::path(AB_SOURCE_DIR) / "tests" / "data" / "csv-spectrum";
  std::size_t cases = 0;
  for (const auto& entry : fs::directory_iterator(root / "csvs")) {
    const std::string name = entry.path().stem().string();
    SCOPED_TRACE(name);
    std::ifstream json_file(root / "json" / (name + ".json"), std::ios::binary);
    ASSERT_TRUE(json_file) << "no expected output for " << name;
    const std::string json_text((std::istreambuf_iterator<char>(json_file)), std::istreambuf_iterator<char>());
    const boost::json::array expected = boost::json::parse(json_text).as_array();

    CsvReader reader(entry.path());
    const std::vector<Record> records = read_all(reader);
    ASSERT_EQ(records.size(), expected.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      const Row& row = row_of(records[i]);
      EXPECT_EQ(row.number(), i + 1);
      const boost::json::object& object = expected[i].as_object();
      ASSERT_EQ(row.size(), object.size());
      for (const auto& [column, value] : object)
        EXPECT_EQ(row.get(column), std::string_view(value.as_string())) << "row " << i + 1 << ", column " << column;
    }
    // Read one byte at a time, every boundary falls somewhere: same answer.
    std::ifstream csv(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(csv)), std::istreambuf_iterator<char>());
    EXPECT_EQ(transcript(read_all(text, {.chunk_bytes = 1})), transcript(records));
    ++cases;
  }
  EXPECT_GE(cases, 11u);
}

// --- header

TEST(CsvHeader, NamesAreTrimmedAndIndexed) {
  CsvReader reader = CsvReader::from_string(" name ,\tfemale,\" male \"\n");
  EXPECT_EQ(reader.header().names, (std::vector<std::string>{"name", "female", "male"}));
  EXPECT_EQ(reader.header().index.at("male"), 2u);
  EXPECT_EQ(reader.shared_header()->names.size(), 3u);
}

TEST(CsvHeader, EmptyDuplicateOrMissingHeaderIsAnErrorAtOpen) {
  EXPECT_EQ(message_of_open(""), "input: no header row (the file is empty)");
  EXPECT_EQ(message_of_open("\xEF\xBB\xBF"), "input: no header row (the file is empty)");
  EXPECT_EQ(message_of_open("\n\r\n"), "input: no header row (the file is empty)");
  EXPECT_EQ(message_of_open("a,,c\n1,2,3\n"), "input: header column 2 has no name");
  EXPECT_EQ(message_of_open("a, \n"), "input: header column 2 has no name");
  EXPECT_EQ(message_of_open("id,name, id\n"), "input: header names column \"id\" twice (columns 1 and 3)");
  EXPECT_EQ(message_of_open("a,\"b\n"), "input: header, line 1: unclosed quote opened on line 1");
  EXPECT_EQ(message_of_open("a,b\xFF\n"), "input: header column 2 is not valid UTF-8 (byte 0xff at offset 1)");
}

TEST(CsvHeader, OverlongHeaderIsRejected) {
  EXPECT_THROW(CsvReader::from_string(std::string(200, ',') + "\n", {.max_record_bytes = 100}), std::runtime_error);
  EXPECT_THROW(CsvReader::from_string(std::string(200, 'x') + "\n", {.max_record_bytes = 100}), std::runtime_error);
}

TEST(CsvHeader, UnreadableFileNamesTheFileAndTheReason) {
  try {
    CsvReader reader(fs::path("/nonexistent/jobs.csv"));
    FAIL() << "opened a file that does not exist";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/jobs.csv: No such file or directory");
  }
  try {
    CsvReader reader{fs::path(::testing::TempDir())};
    FAIL() << "read a directory";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("Is a directory"), std::string::npos) << e.what();
  }
}

// --- records, rows and lines

TEST(CsvReader, QuotedFieldsKeepCommasQuotesAndLineEnds) {
  const auto records = read_all("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\n\"\",,\"\"\"\"\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(fields_of(row_of(records[0])), (std::vector<std::string>{"x, y", "say \"hi\"", "two\r\nlines"}));
  EXPECT_EQ(fields_of(row_of(records[1])), (std::vector<std::string>{"", "", "\""}));
}

TEST(CsvReader, RowsAreNumberedByRecordAndLinesByPhysicalLine) {
  const auto records = read_all("a,b\n1,\"one\ntwo\nthree\"\n2,x\n3,\"\r\n\"\n4,y");
  ASSERT_EQ(records.size(), 4u);
  const std::vector<std::pair<std::size_t, std::size_t>> expected = {{1, 2}, {2, 5}, {3, 6}, {4, 8}};
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(row_of(records[i]).number(), expected[i].first);
    EXPECT_EQ(row_of(records[i]).line(), expected[i].second);
  }
  EXPECT_EQ(row_of(records[3]).cell("b"), "y");  // the last record needs no line end
}

TEST(CsvReader, CrLfLfAndLoneCrAllEndALine) {
  const auto records = read_all("a,b\r\n1,2\n3,4\r5,6\r\n\"7\r\",8\r9,10");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(transcript(records),
            "row 1 line 2: [1] [2]\n"
            "row 2 line 3: [3] [4]\n"
            "row 3 line 4: [5] [6]\n"
            "row 4 line 5: [7\r] [8]\n"
            "row 5 line 7: [9] [10]\n");
}

TEST(CsvReader, BlankLinesAreSkippedWithoutUsingARowNumber) {
  const auto records = read_all("a,b\n\n1,2\r\n\r\n\n3,4\n\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(transcript(records), "row 1 line 3: [1] [2]\nrow 2 line 6: [3] [4]\n");
}

TEST(CsvReader, ByteOrderMarkIsSkippedOnlyAtTheVeryStart) {
  const auto records = read_all("\xEF\xBB\xBFname,x\n\xEF\xBB\xBFkept,1\n", {.chunk_bytes = 1});
  ASSERT_EQ(records.size(), 1u);
  CsvReader reader = CsvReader::from_string("\xEF\xBB\xBFname,x\n");
  EXPECT_EQ(reader.header().names[0], "name");
  EXPECT_EQ(row_of(records[0]).cell("name"), "\xEF\xBB\xBFkept");

  CsvReader from_file(temp_file("bom.csv", "\xEF\xBB\xBFid\n7\n"));
  EXPECT_EQ(from_file.header().names, std::vector<std::string>{"id"});
  EXPECT_EQ(transcript(read_all(from_file)), "row 1 line 2: [7]\n");
}

TEST(CsvReader, RowLooksUpCellsByHeaderName) {
  const auto records = read_all("id,name\n42,Ann\n");
  const Row& row = row_of(records.at(0));
  EXPECT_EQ(row.get("name"), "Ann");
  EXPECT_EQ(row.get("id"), "42");
  EXPECT_EQ(row.get("missing"), std::nullopt);
  EXPECT_EQ(row.cell("missing"), "");
  EXPECT_EQ(row.header().names.size(), 2u);
}

// Names that agree in length and in their first bytes, around the 7 bytes
// a lookup compares at once, are still told apart, in any order of lookup.
TEST(CsvReader, NamesAlikeInLengthAndStartAreToldApart) {
  const std::vector<std::string> names = {"painPointsA", "painPointsB", "country", "countrx",
                                          "country2",    "c",           "painPoints"};
  std::string header, values;
  for (std::size_t i = 0; i < names.size(); ++i) {
    header += (i ? "," : "") + names[i];
    values += (i ? ",v" : "v") + std::to_string(i);
  }
  const auto records = read_all(header + "\n" + values + "\n");
  const Row& row = row_of(records.at(0));
  for (std::size_t pass = 0; pass < 2; ++pass) {
    for (std::size_t k = 0; k < names.size(); ++k) {
      const std::size_t i = pass == 0 ? k : names.size() - 1 - k;
      EXPECT_EQ(row.get(names[i]), "v" + std::to_string(i)) << names[i];
    }
  }
  for (const char* absent : {"painPointsC", "painPoint", "countr", "country3", "countryy", "C", "painPointsAB"})
    EXPECT_EQ(row.get(absent), std::nullopt) << absent;
}

TEST(CsvReader, WideHeadersAreLookedUpToo) {
  std::string header, values;
  for (int i = 0; i < 40; ++i) {
    header += (i ? ",col" : "col") + std::to_string(i);
    values += (i ? ",v" : "v") + std::to_string(i);
  }
  const auto records = read_all(header + "\n" + values + "\n");
  EXPECT_EQ(row_of(records.at(0)).get("col37"), "v37");
  EXPECT_EQ(row_of(records.at(0)).get("col40"), std::nullopt);
}

// --- problems: precise, and reading goes on at the next record

TEST(CsvProblems, WrongFieldCountNamesBothCounts) {
  const auto records = read_all("a,b,c,d\n1,2,3\n1,2,3,4,5,6\n1\n1,2,3,4\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(problem_of(records[0]).message, "3 fields, header has 4");
  EXPECT_EQ(problem_of(records[0]).line, 2u);
  EXPECT_EQ(problem_of(records[0]).column, 0u);
  EXPECT_EQ(problem_of(records[1]).message, "6 fields, header has 4");
  EXPECT_EQ(problem_of(records[2]).message, "1 field, header has 4");
  EXPECT_EQ(row_of(records[3]).number(), 4u);
}

TEST(CsvProblems, QuoteInsideAnUnquotedField) {
  const auto records = read_all("a,b,c\n1,ab\"c,3\n2,ok,3\n");
  ASSERT_EQ(records.size(), 2u);
  const CsvProblem& p = problem_of(records[0]);
  EXPECT_EQ(p.row, 1u);
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(p.column, 2u);
  EXPECT_EQ(p.message, "quote inside an unquoted field (quote the whole field and double the quote)");
  EXPECT_EQ(transcript({records[1]}), "row 2 line 3: [2] [ok] [3]\n");
}

TEST(CsvProblems, GarbageAfterAClosingQuote) {
  const auto records = read_all("a,b,c\n1,\"ab\"x,3\n\"q\"\t,2,3\n4,5,6\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(problem_of(records[0]).message, "'x' after a closing quote");
  EXPECT_EQ(problem_of(records[0]).column, 2u);
  EXPECT_EQ(problem_of(records[1]).message, "byte 0x09 after a closing quote");
  EXPECT_EQ(problem_of(records[1]).column, 1u);
  EXPECT_EQ(row_of(records[2]).number(), 3u);
}

TEST(CsvProblems, SkippingABadRecordStillHonoursItsQuotedLineEnds) {
  // The bad record spans three lines; the next record starts after it.
  const auto records = read_all("a,b\n\"x\"y,\"multi\nline\nfield\"\n2,3\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(problem_of(records[0]).line, 2u);
  EXPECT_EQ(transcript({records[1]}), "row 2 line 5: [2] [3]\n");
}

TEST(CsvProblems, UnclosedQuoteAtEndOfFileSaysWhereItOpened) {
  const auto records = read_all("a,b\n1,2\n3,\"never\nclosed\n4,5\n");
  ASSERT_EQ(records.size(), 2u);
  const CsvProblem& p = problem_of(records[1]);
  EXPECT_EQ(p.row, 2u);
  EXPECT_EQ(p.line, 3u);
  EXPECT_EQ(p.column, 2u);
  EXPECT_EQ(p.message, "unclosed quote opened on line 3");
}

TEST(CsvProblems, InvalidUtf8NamesTheFieldAndTheOffset) {
  const auto records = read_all(
      "a,b,c\n"
      "1,ok,a\xFF"
      "b\n"
      "2,\xC0\xAF,3\n"            // overlong '/'
      "3,\xED\xA0\x80,3\n"        // a surrogate
      "4,x\xC3,\xA9y\n"           // a sequence cut by the comma
      "5,\"l1\nl2\xF5\",3\n"      // above U+10FFFF, on the field's second line
      "6,\xCA\xA4,\xF0\x9F\x99\x82\n");
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(problem_of(records[0]).message, "invalid UTF-8: byte 0xff at offset 1 in the field");
  EXPECT_EQ(problem_of(records[0]).column, 3u);
  EXPECT_EQ(problem_of(records[1]).message, "invalid UTF-8: byte 0xc0 at offset 0 in the field");
  EXPECT_EQ(problem_of(records[2]).message, "invalid UTF-8: byte 0xed at offset 0 in the field");
  EXPECT_EQ(problem_of(records[3]).column, 2u);
  EXPECT_EQ(problem_of(records[3]).message, "invalid UTF-8: byte 0xc3 at offset 1 in the field");
  EXPECT_EQ(problem_of(records[4]).line, 7u);
  EXPECT_EQ(problem_of(records[4]).message, "invalid UTF-8: byte 0xf5 at offset 5 in the field");
  EXPECT_EQ(fields_of(row_of(records[5])), (std::vector<std::string>{"6", "\xCA\xA4", "\xF0\x9F\x99\x82"}));
}

TEST(CsvProblems, RecordOverTheCapIsReportedAndSkipped) {
  const CsvLimits limits{.chunk_bytes = 16, .max_record_bytes = 64};
  const std::string huge(1000, 'z');
  const auto records =
      read_all("a,b\n1," + huge + "\n2,\"" + huge + "\n" + huge + "\"\n3,ok\n" + std::string(40, 'x') + ",y\n", limits);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(problem_of(records[0]).message, "record longer than 64 bytes");
  EXPECT_EQ(problem_of(records[0]).line, 2u);
  EXPECT_EQ(problem_of(records[1]).message, "record longer than 64 bytes");
  EXPECT_EQ(problem_of(records[1]).row, 2u);
  EXPECT_EQ(transcript({records[2]}), "row 3 line 5: [3] [ok]\n");
  EXPECT_EQ(row_of(records[3]).cell("b"), "y");
}

TEST(CsvProblems, EveryKindOfProblemThenARowAndNumberingStaysExact) {
  const std::string text =
      "a,b\n"
      "1\n"
      "x\"y,2\n"
      "\"q\"z,3\n"
      "\xFF,4\n"
      "ok,5\n"
      "\n"
      "\"open,6\n";
  const auto records = read_all(text);
  ASSERT_EQ(records.size(), 6u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::size_t row = std::holds_alternative<Row>(records[i]) ? std::get<Row>(records[i]).number()
                                                                     : std::get<CsvProblem>(records[i]).row;
    EXPECT_EQ(row, i + 1);
  }
  EXPECT_EQ(row_of(records[4]).cell("b"), "5");
  EXPECT_EQ(problem_of(records[5]).message, "unclosed quote opened on line 8");
}

// --- streaming

TEST(CsvReader, ChunkBoundariesNeverChangeTheResult) {
  const std::string text =
      "\xEF\xBB\xBF"
      "id,text,n\r\n"
      "1,\"a \"\"quoted\"\"\r\nvalue\",3\r\n"
      "\r\n"
      "2,bad\"quote,4\r"
      "3,\"x\"y,5\n"
      "4,\xC3\xA9t\xC3\xA9,6\n"
      "5,\"ends\r\"\r\n"
      "6,\"unclosed\r\n";
  const std::string reference = transcript(read_all(text));
  for (std::size_t chunk = 1; chunk <= 24; ++chunk)
    EXPECT_EQ(transcript(read_all(text, {.chunk_bytes = chunk})), reference) << "chunk " << chunk;
}

TEST(CsvReader, SpecialBytesAreFoundAtEveryOffsetOfALongRun) {
  // Runs are scanned a word at a time: put each special byte at every offset
  // of a word, after ASCII and after multi-byte UTF-8 text.
  for (const std::string filler : {"x", "\xC3\xA9"}) {
    for (std::size_t k = 1; k < 20; ++k) {
      std::string text_run;
      while (text_run.size() < k) text_run += filler;
      SCOPED_TRACE("run of " + std::to_string(text_run.size()) + " bytes");
      const std::string text = "a,b\n" +                                                   //
                               text_run + "," + text_run + "\r\n" +                           // row 1, line 2
                               "\"" + text_run + "\"\"" + text_run + "\"," + text_run + "\n" +  // row 2, line 3
                               "\"" + text_run + "\n" + text_run + "\"," + text_run + "\n" +     // row 3, lines 4-5
                               text_run + "\"," + text_run + "\n";                              // row 4, line 6
      const auto records = read_all(text);
      ASSERT_EQ(records.size(), 4u);
      EXPECT_EQ(fields_of(row_of(records[0])), (std::vector<std::string>{text_run, text_run}));
      EXPECT_EQ(fields_of(row_of(records[1])), (std::vector<std::string>{text_run + "\"" + text_run, text_run}));
      EXPECT_EQ(fields_of(row_of(records[2])), (std::vector<std::string>{text_run + "\n" + text_run, text_run}));
      EXPECT_EQ(problem_of(records[3]).message, "quote inside an unquoted field (quote the whole field and double the quote)");
      EXPECT_EQ(problem_of(records[3]).line, 6u);
    }
  }
}

std::string generated_cell(std::size_t row, std::size_t column) {
  switch ((row + column) % 5) {
    case 0: return "plain" + std::to_string(row);
    case 1: return "with, comma " + std::to_string(column);
    case 2: return "say \"" + std::to_string(row) + "\"";
    case 3: return row % 7 == 0 ? "two\nlines" : "";
    default: return std::string(row % 50, 'x');
  }
}

std::string csv_quoted(const std::string& cell) {
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

TEST(CsvReader, StreamsALargeGeneratedInputChunkByChunk) {
  constexpr std::size_t kRows = 60'000, kColumns = 4;
  std::string text = "c0,c1,c2,c3\n";
  std::vector<std::size_t> lines;  // where each row starts
  std::size_t line = 2;
  for (std::size_t r = 1; r <= kRows; ++r) {
    lines.push_back(line);
    for (std::size_t c = 0; c < kColumns; ++c) {
      const std::string cell = generated_cell(r, c);
      text += (c ? "," : "") + csv_quoted(cell);
      line += static_cast<std::size_t>(std::count(cell.begin(), cell.end(), '\n'));
    }
    text += r % 3 ? "\n" : "\r\n";
    ++line;
  }
  const std::uint64_t size = text.size();
  CsvReader reader = CsvReader::from_string(std::move(text), {.chunk_bytes = 4093});
  EXPECT_EQ(reader.file_size(), size);
  std::size_t expected_row = 1;
  std::uint64_t last_progress = reader.bytes_read();
  while (auto record = reader.next()) {
    const Row& row = row_of(*record);
    ASSERT_EQ(row.number(), expected_row);
    ASSERT_EQ(row.line(), lines[expected_row - 1]);
    for (std::size_t c = 0; c < kColumns; ++c) ASSERT_EQ(row.field(c), generated_cell(expected_row, c));
    ASSERT_GT(reader.bytes_read(), last_progress);
    last_progress = reader.bytes_read();
    ++expected_row;
  }
  EXPECT_EQ(expected_row - 1, kRows);
  EXPECT_EQ(reader.bytes_read(), size);
  EXPECT_FALSE(reader.next().has_value());
}

TEST(CsvReader, AFileReadsLikeTheSameString) {
  std::string text = "\xEF\xBB\xBF" "id,note\r\n";
  for (int i = 0; i < 20'000; ++i) text += std::to_string(i) + ",\"line " + std::to_string(i) + "\r\nnext\"\r\n";
  text += "bad,\"row\"x\n";
  const fs::path path = temp_file("large.csv", text);
  CsvReader file_reader(path, {.chunk_bytes = 1000});
  EXPECT_EQ(file_reader.file_size(), text.size());
  const std::string from_file = transcript(read_all(file_reader));
  EXPECT_EQ(file_reader.bytes_read(), text.size());
  EXPECT_EQ(from_file, transcript(read_all(text)));
  fs::remove(path);
}

TEST(CsvReader, MovedReaderCarriesOn) {
  CsvReader first = CsvReader::from_string("a\n1\n2\n");
  ASSERT_TRUE(first.next().has_value());
  CsvReader second = std::move(first);
  EXPECT_EQ(transcript(read_all(second)), "row 2 line 3: [2]\n");
  first = CsvReader::from_string("b\n9\n");
  EXPECT_EQ(transcript(read_all(first)), "row 1 line 2: [9]\n");
}

}  // namespace
}  // namespace ab
