#include "jobs/twitter/task_builder.hpp"

#include "jobs/twitter/text.hpp"

#include <algorithm>
#include <cctype>

namespace ab::tw {

namespace {

bool is_id_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; }

}  // namespace

TaskBuilder::TaskBuilder(const Row& row, const Fields& fields) : fields_(fields) { task_.row = row.number(); }

std::optional<std::string_view> TaskBuilder::value(Field column) const {
  if (error_ || fields_.empty(column)) return std::nullopt;
  return fields_.text(column);
}

void TaskBuilder::fail(std::string_view column, std::string reason) {
  if (!error_) error_ = RowError{std::string(column), std::move(reason)};
}

TaskBuilder& TaskBuilder::text(Field column) {
  if (const auto cell = value(column)) task_.params[column.name] = *cell;
  return *this;
}

TaskBuilder& TaskBuilder::id(Field column) {
  const auto cell = value(column);
  if (!cell) return *this;
  if (!std::all_of(cell->begin(), cell->end(), [](char c) { return is_id_char(static_cast<unsigned char>(c)); }))
    fail(column.name, "not an audience id (letters, digits, '_' and '-' only)");
  else
    task_.params[column.name] = *cell;
  return *this;
}

TaskBuilder& TaskBuilder::query(Field column) {
  const auto cell = value(column);
  if (!cell) return *this;
  if (utf8_length(*cell) > kMaxQueryLength)
    fail(column.name, "longer than " + std::to_string(kMaxQueryLength) + " characters");
  else
    task_.params[column.name] = *cell;
  return *this;
}

TaskBuilder& TaskBuilder::boolean(Field column) {
  if (error_) return *this;
  if (const auto b = fields_.boolean(column)) task_.params[column.name] = *b ? "true" : "false";
  return *this;
}

TaskBuilder& TaskBuilder::one_of(Field column, std::span<const std::string_view> values) {
  const auto cell = value(column);
  if (!cell) return *this;
  const auto match = std::find_if(values.begin(), values.end(), [&](std::string_view v) { return iequals(v, *cell); });
  if (match != values.end()) {
    task_.params[column.name] = *match;
    return *this;
  }
  std::string allowed;
  for (const auto v : values) allowed += (allowed.empty() ? "" : ", ") + std::string(v);
  fail(column.name, "must be one of " + allowed);
  return *this;
}

TaskBuilder& TaskBuilder::sort_order(Field column) {
  const auto cell = value(column);
  if (!cell) return *this;
  const auto dash = cell->rfind('-');
  const auto attribute = cell->substr(0, dash == std::string_view::npos ? 0 : dash);
  const auto direction = dash == std::string_view::npos ? std::string_view{} : cell->substr(dash + 1);
  const bool attribute_ok = !attribute.empty() && std::all_of(attribute.begin(), attribute.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || c == '_';
  });
  if (!attribute_ok || (direction != "asc" && direction != "desc"))
    fail(column.name, "must be ATTRIBUTE-asc or ATTRIBUTE-desc, e.g. created_at-asc");
  else
    task_.params[column.name] = *cell;
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
