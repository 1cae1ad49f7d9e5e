#include "engine/input/columns.hpp"

#include "engine/input/fields.hpp"
#include "engine/text/near_names.hpp"

#include <boost/algorithm/string/predicate.hpp>

#include <algorithm>
#include <vector>

namespace ab {

namespace {

// (A plain loop: find_first_not_of calls memchr once per character.)
bool is_blank(std::string_view cell) {
  return std::all_of(cell.begin(), cell.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// One cell (null: its column is not in the header) against its declaration,
// typed into `fields`; `why` is room for the reason, made once per row.
// Inlined: a call per cell cost as much as the check.
[[gnu::always_inline]] inline std::optional<ColumnError> check_cell(const Column& column, const std::string_view* cell,
                                                                    Fields& fields, std::string& why) {
  if (!cell) {
    if (column.required) return ColumnError{std::string(column.name), "required column missing from the header"};
    fields.add_absent();
    return std::nullopt;
  }
  // Blanks alone do not fill a required cell; an optional one is left out only when truly empty.
  if (column.required && is_blank(*cell)) return ColumnError{std::string(column.name), "required, but empty"};
  if (cell->empty()) {
    fields.add_empty();
    return std::nullopt;
  }
  if (!fields.add(column.type, *cell, &why)) return ColumnError{std::string(column.name), std::move(why)};
  return std::nullopt;
}

}  // namespace

std::optional<ColumnError> check_columns(const Row& row, std::span<const Column> columns) {
  Fields fields;
  std::string why;
  for (const Column& column : columns) {
    const auto cell = row.get(column.name);
    if (auto error = check_cell(column, cell ? &*cell : nullptr, fields, why)) return error;
  }
  return std::nullopt;
}

ColumnChecker::ColumnChecker(std::span<const std::string> header, std::span<const Column> columns)
    : columns_(columns), header_error_(check_header(header, columns)) {
  positions_.reserve(columns.size());
  for (const Column& column : columns) {
    const auto at = std::find(header.begin(), header.end(), column.name);
    positions_.push_back(at == header.end() ? std::string_view::npos : static_cast<std::size_t>(at - header.begin()));
  }
}

std::optional<ColumnError> ColumnChecker::check(const Row& row, Fields& fields) const {
  fields.clear();
  std::string why;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const std::size_t at = positions_[i];
    const std::string_view cell = at < row.size() ? row.field(at) : std::string_view();
    if (auto error = check_cell(columns_[i], at < row.size() ? &cell : nullptr, fields, why)) return error;
  }
  return std::nullopt;
}

std::optional<ColumnError> ColumnChecker::check(const Row& row) const {
  Fields fields;
  return check(row, fields);
}

std::optional<std::string> check_header(std::span<const std::string> header, std::span<const Column> columns) {
  std::vector<std::string_view> missing;
  std::string hint;
  for (const Column& column : columns) {
    if (!column.required || std::find(header.begin(), header.end(), column.name) != header.end()) continue;
    missing.push_back(column.name);
    // "Female" for "female" is the usual slip: say so rather than leave the user guessing.
    const auto near = std::find_if(header.begin(), header.end(),
                                   [&](const std::string& name) { return boost::algorithm::iequals(name, column.name); });
    if (hint.empty() && near != header.end())
      hint = " (the header has '" + *near + "'; names are case-sensitive)";
    // A slip of a letter or two ("gendr"): named too, so the fix is plain.
    if (hint.empty() && near == header.end()) {
      const std::vector<std::string_view> names(header.begin(), header.end());
      if (const auto typo = near_names(column.name, names, 1); !typo.empty())
        hint = " (the header has '" + typo.front() + "')";
    }
  }
  if (missing.empty()) return std::nullopt;
  std::string message = missing.size() == 1 ? "missing required column " : "missing required columns ";
  for (std::size_t i = 0; i < missing.size(); ++i) message += (i ? ", '" : "'") + std::string(missing[i]) + "'";
  return message + hint;
}

}  // namespace ab
