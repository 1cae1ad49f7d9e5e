// libFuzzer target for the job-file reader and the cell parsers. Besides "no
// crash, no sanitizer report", it checks what the reader promises: only the
// constructor throws; rows are numbered 1, 2, 3... whatever the input; a parsed
// row has the header's field count and UTF-8 cells; and the chunk size never
// changes a result.
#include "engine/input/cells.hpp"
#include "engine/input/csv_reader.hpp"
#include "engine/input/utf8.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "csv_reader_fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

// Every cell parser must give an answer, or a reason, for any bytes.
void parse_every_way(std::string_view cell) {
  std::string error;
  if (!ab::parse_integer(cell, &error)) require(!error.empty(), "integer error without a reason");
  if (auto d = ab::parse_decimal(cell, &error)) {
    const auto again = ab::parse_decimal(d->to_string());
    require(again && ab::decimal_sum(std::array{*d, ab::Decimal{-again->units, again->scale}}).units == 0,
            "a decimal does not survive to_string");
  }
  (void)ab::parse_boolean(cell, &error);
  (void)ab::parse_list(cell, &error);
  (void)ab::parse_url_list(cell, &error);
}

// Reads everything; returns a transcript to compare readings by.
std::string read_everything(const std::string& data, ab::CsvLimits limits, bool parse_cells) {
  std::optional<ab::CsvReader> reader;
  try {
    reader.emplace(ab::CsvReader::from_string(data, limits));
  } catch (const std::runtime_error& e) {
    return std::string("open failed: ") + e.what();
  }
  const std::size_t columns = reader->header().names.size();
  require(columns > 0 && reader->header().index.size() == columns, "header without distinct names");
  std::ostringstream transcript;
  std::size_t expected_row = 1, last_line = 1;
  while (auto record = reader->next()) {
    if (const auto* p = std::get_if<ab::CsvProblem>(&*record)) {
      require(p->row == expected_row, "problem row out of sequence");
      require(p->line >= last_line && !p->message.empty(), "problem without a place or a message");
      transcript << "problem " << p->row << ' ' << p->line << ' ' << p->column << ' ' << p->message << '\n';
    } else {
      const ab::Row& row = std::get<ab::Row>(*record);
      require(row.number() == expected_row, "row number out of sequence");
      require(row.line() > last_line, "row starts on or before the previous one's line");
      require(row.size() == columns, "row with the wrong field count");
      last_line = row.line();
      transcript << "row " << row.number() << ' ' << row.line();
      for (std::size_t i = 0; i < row.size(); ++i) {
        require(ab::invalid_utf8_offset(row.field(i)) == std::string_view::npos, "a row with a cell that is not UTF-8");
        transcript << " [" << row.field(i) << ']';
        if (parse_cells) parse_every_way(row.field(i));
      }
      transcript << '\n';
    }
    require(reader->bytes_read() <= reader->file_size(), "read past the end");
    ++expected_row;
  }
  require(!reader->next().has_value(), "a record after the end");
  require(reader->bytes_read() == reader->file_size(), "input not read to the end");
  return transcript.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the chunk size and the record cap, so that boundaries
  // and the cap are reached by small inputs.
  const std::size_t chunk = 1 + bytes[0] % 16;
  const std::size_t cap = 8 + static_cast<std::size_t>(bytes[0] >> 4) * 8;
  const std::string data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  const std::string whole = read_everything(data, {.chunk_bytes = 1 << 16, .max_record_bytes = cap}, true);
  const std::string chunked = read_everything(data, {.chunk_bytes = chunk, .max_record_bytes = cap}, false);
  require(whole == chunked, "the chunk size changed the result");
  return 0;
}
