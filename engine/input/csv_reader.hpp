// Streaming RFC 4180 reader for job files: constant memory whatever the file
// size, header-mapped columns, rows numbered by record (not by line).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace ab {

// The header of a job file: column names in file order and a name -> index map.
struct CsvHeader {
  std::vector<std::string> names;
  std::unordered_map<std::string, std::size_t> index;
};

// One data record mapped by the header. Cheap to move; owns its bytes.
class Row {
 public:
  Row() = default;
  // `bytes`: the fields, each followed by 0x1f; `ends`: each field's end
  // offset in it (where its 0x1f is).
  Row(std::shared_ptr<const CsvHeader> header, std::size_t number, std::size_t line,
      std::string bytes, std::span<const std::uint32_t> ends);

  std::size_t number() const { return number_; }  // 1-based, header not counted
  std::size_t line() const { return line_; }      // physical line the record starts on
  // nullopt: the header has no such column; else the cell ("" when empty).
  // Remembers where it found the last name (one thread per row at a time).
  std::optional<std::string_view> get(std::string_view column) const;
  // The cell, or "" when the column is absent.
  std::string_view cell(std::string_view column) const { return get(column).value_or(std::string_view{}); }
  std::size_t size() const { return fields_; }
  std::string_view field(std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : end_of(i - 1) + 1;
    return std::string_view(bytes_.data() + begin, end_of(i) - begin);
  }
  const CsvHeader& header() const { return *header_; }
  // Every field, each followed by one 0x1f byte (which a field may hold too):
  // what a row's fingerprint hashes (run_record.hpp).
  std::string_view terminated_fields() const { return std::string_view(bytes_.data(), ends_at()); }

 private:
  std::shared_ptr<const CsvHeader> header_;
  std::size_t number_ = 0;
  std::size_t line_ = 0;
  // The fields' unescaped bytes, each followed by 0x1f; then each field's end
  // offset (where its 0x1f is), 4 bytes each: a row's one allocation.
  std::string bytes_;
  std::size_t fields_ = 0;
  std::size_t ends_at() const { return bytes_.size() - 4 * fields_; }
  std::uint32_t end_of(std::size_t i) const {
    std::uint32_t end = 0;
    std::memcpy(&end, bytes_.data() + ends_at() + 4 * i, 4);
    return end;
  }
  mutable std::size_t next_hint_ = 0;  // where get() starts looking
};

// A record that could not be read. It still has a row number: it is an
// `invalid` row, never a reason to stop the job.
struct CsvProblem {
  std::size_t row = 0;      // 1-based data row number
  std::size_t line = 0;     // physical line where the problem is
  std::size_t column = 0;   // 1-based field index (0: the record as a whole)
  std::string message;      // what is wrong, e.g. "3 fields, header has 4"
};

// How much a reader holds at once. The defaults suit job files; tests shrink
// them to reach chunk boundaries and the record cap with small inputs.
struct CsvLimits {
  std::size_t chunk_bytes = 64 * 1024;          // one read of the file
  std::size_t max_record_bytes = 1024 * 1024;   // a longer record is reported and skipped
};

class CsvReader {
 public:
  // Opens and reads the header. Throws std::runtime_error with a clear message,
  // "FILE: reason", when the file cannot be opened or read, has no header, or
  // its header has an empty or a duplicate column name.
  explicit CsvReader(const std::filesystem::path& file, CsvLimits limits = {});
  // Reads from memory (tests, fuzzing), chunk by chunk as from a file: same
  // behaviour. Messages name the source "input".
  static CsvReader from_string(std::string data, CsvLimits limits = {});
  ~CsvReader();
  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;

  const CsvHeader& header() const;
  std::shared_ptr<const CsvHeader> shared_header() const;

  // The next record, or a problem for one that could not be parsed (its row
  // number is used up), or nullopt at end of file. Blank lines between records
  // are skipped and use up no row number. Throws std::runtime_error only when
  // the file cannot be read any further (an I/O error).
  std::optional<std::variant<Row, CsvProblem>> next();

  std::uint64_t bytes_read() const;   // for progress: bytes parsed so far
  std::uint64_t file_size() const;    // 0 when unknown

 private:
  CsvReader();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ab
