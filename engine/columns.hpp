// Column declarations: what a job kind expects of a job file, checked
// generically (presence, cell types) by `check` and before every run.
#pragma once

#include "engine/csv_reader.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>

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
};

struct ColumnError {
  std::string column;
  std::string reason;
};

// Checks a row against the declarations: required columns present in the
// header and non-empty, non-empty cells of the declared type. First error wins.
std::optional<ColumnError> check_columns(const Row& row, std::span<const Column> columns);

// A header that lacks a required column makes every row invalid: said once.
std::optional<std::string> check_header(std::span<const std::string> header,
                                        std::span<const Column> columns);

}  // namespace ab
