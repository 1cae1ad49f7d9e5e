#include "jobs/twitter/task_builder.hpp"

#include "engine/input/cells.hpp"
#include "jobs/twitter/text.hpp"

#include <algorithm>
#include <cctype>

namespace ab::tw {

namespace {

bool is_id_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; }

}  // namespace

TaskBuilder::TaskBuilder(const Row& row) : row_(row) { task_.row = row.number(); }

std::optional<std::string_view> TaskBuilder::value(std::string_view column) const {
  if (error_) return std::nullopt;
  const std::string_view cell = row_.cell(column);
  if (cell.empty()) return std::nullopt;
  return cell;
}

void TaskBuilder::fail(std::string_view column, std::string reason) {
  if (!error_) error_ = RowError{std::string(column), std::move(reason)};
}

TaskBuilder& TaskBuilder::text(std::string_view column) {
  if (const auto cell = value(column)) task_.params[column] = *cell;
  return *this;
}

TaskBuilder& TaskBuilder::id(std::string_view column) {
  const auto cell = value(column);
  if (!cell) return *this;
  if (!std::all_of(cell->begin(), cell->end(), [](char c) { return is_id_char(static_cast<unsigned char>(c)); }))
    fail(column, "not an audience id (letters, digits, '_' and '-' only)");
  else
    task_.params[column] = *cell;
  return *this;
}

TaskBuilder& TaskBuilder::query(std::string_view column) {
  const auto cell = value(column);
  if (!cell) return *this;
  if (utf8_length(*cell) > kMaxQueryLength)
    fail(column, "longer than " + std::to_string(kMaxQueryLength) + " characters");
  else
    task_.params[column] = *cell;
  return *this;
}

TaskBuilder& TaskBuilder::boolean(std::string_view column) {
  const auto cell = value(column);
  if (!cell) return *this;
  std::string why;
  if (const auto b = parse_boolean(*cell, &why))
    task_.params[column] = *b ? "true" : "false";
  else
    fail(column, why.empty() ? "not a boolean" : why);
  return *this;
}

TaskBuilder& TaskBuilder::one_of(std::string_view column, std::span<const std::string_view> values) {
  const auto cell = value(column);
  if (!cell) return *this;
  const auto match = std::find_if(values.begin(), values.end(), [&](std::string_view v) { return iequals(v, *cell); });
  if (match != values.end()) {
    task_.params[column] = *match;
    return *this;
  }
  std::string allowed;
  for (const auto v : values) allowed += (allowed.empty() ? "" : ", ") + std::string(v);
  fail(column, "must be one of " + allowed);
  return *this;
}

TaskBuilder& TaskBuilder::sort_order(std::string_view column) {
  const auto cell = value(column);
  if (!cell) return *this;
  const auto dash = cell->rfind('-');
  const auto attribute = cell->substr(0, dash == std::string_view::npos ? 0 : dash);
  const auto direction = dash == std::string_view::npos ? std::string_view{} : cell->substr(dash + 1);
  const bool attribute_ok = !attribute.empty() && std::all_of(attribute.begin(), attribute.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || c == '_';
  });
  if (!attribute_ok || (direction != "asc" && direction != "desc"))
    fail(column, "must be ATTRIBUTE-asc or ATTRIBUTE-desc, e.g. created_at-asc");
  else
    task_.params[column] = *cell;
  return *this;
}

TaskBuilder& TaskBuilder::any_of(std::span<const std::string_view> columns) {
  if (error_ || columns.empty()) return *this;
  if (std::any_of(columns.begin(), columns.end(), [&](std::string_view c) { return task_.params.contains(c); }))
    return *this;
  std::string names;
  for (const auto c : columns) names += (names.empty() ? "" : " or ") + std::string(c);
  fail(columns.front(), "nothing to change: give " + names);
  return *this;
}

Validation TaskBuilder::done() {
  if (error_) return *error_;
  return std::move(task_);
}

}  // namespace ab::tw
