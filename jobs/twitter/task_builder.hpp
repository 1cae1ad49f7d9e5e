// Turns a row's typed cells into a Task's params, checking what the X Ads API
// would refuse (API.md §B1) before anything is sent. The first problem wins;
// an empty optional cell leaves its parameter out. Each parameter is named
// like its column.
#pragma once

#include "engine/run/job_kind.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ab::tw {

// q must be 1..255 characters (UTF-8 code points).
inline constexpr std::size_t kMaxQueryLength = 255;

class TaskBuilder {
 public:
  TaskBuilder(const Row& row, const Fields& fields);

  TaskBuilder& text(Field column);
  // An audience id: letters, digits, "_" and "-" (it goes into paths and comma lists).
  TaskBuilder& id(Field column);
  // A name prefix for q: at most kMaxQueryLength characters.
  TaskBuilder& query(Field column);
  // A boolean column's value, stored as "true"/"false".
  TaskBuilder& boolean(Field column);
  // One of `values`, in any case; stored as written in `values`.
  TaskBuilder& one_of(Field column, std::span<const std::string_view> values);
  // ATTRIBUTE-asc or ATTRIBUTE-desc, e.g. created_at-asc.
  TaskBuilder& sort_order(Field column);
  // Fails the row when none of `columns` has a value.
  TaskBuilder& any_of(std::span<const std::string_view> columns);

  Validation done();

 private:
  std::optional<std::string_view> value(Field column) const;  // nullopt: empty
  void fail(std::string_view column, std::string reason);

  const Fields& fields_;
  Task task_;
  std::optional<RowError> error_;
};

}  // namespace ab::tw
