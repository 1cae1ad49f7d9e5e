// Column declarations: what a job kind expects of a job file, checked
// generically (presence, cell types) by `check` and before every run.
#pragma once

#include "engine/input/csv_reader.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ab {

enum class CellType {
  text,      // anything
  integer,   // -?[0-9]+, fits in int64
  decimal,   // plain decimal number, e.g. 0.07 (exact; see cells.hpp)
  boolean,   // true/false, 1/0, yes/no, any case
  list,      // a|b|c or a JSON array of strings
  url,       // one absolute http(s) URL
  url_list,  // one or more absolute http(s) URLs separated by spaces
  json,      // a JSON value
};

struct Column {
  std::string_view name;
  CellType type = CellType::text;
  bool required = false;
  // Raw personal data the kind only ever sends hashed (tw.members' email,
  // handle, ...): never written out, so --echo refuses it.
  bool personal = false;
};

class Fields;  // fields.hpp

struct ColumnError {
  std::string column;
  std::string reason;
};

// Checks a row against the declarations: required columns present in the
// header and non-empty, non-empty cells of the declared type. First error wins.
// (ColumnChecker::check keeps each cell's typed value as it checks it.)
std::optional<ColumnError> check_columns(const Row& row, std::span<const Column> columns);

// A header that lacks a required column makes every row invalid: said once.
std::optional<std::string> check_header(std::span<const std::string> header,
                                        std::span<const Column> columns);

// check_header and check_columns for the rows of one file, with the declared
// columns looked up in its header once: each row's cells are then taken by
// position, not by name.
class ColumnChecker {
 public:
  ColumnChecker(std::span<const std::string> header, std::span<const Column> columns);
  const std::optional<std::string>& header_error() const { return header_error_; }
  // check_columns' verdict, the row's typed cells into `fields`, one a
  // declared column, in the declarations' order.
  std::optional<ColumnError> check(const Row& row, Fields& fields) const;
  std::optional<ColumnError> check(const Row& row) const;

 private:
  std::span<const Column> columns_;
  std::vector<std::size_t> positions_;  // each column's in the header; absent: npos
  std::optional<std::string> header_error_;
};

}  // namespace ab
