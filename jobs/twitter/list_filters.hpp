// The B1 filters that tw.count and tw.list rows carry (q, permission_scope,
// with_deleted, sort_by): checked once, written into a query the same way.
#pragma once

#include "engine/run/job_kind.hpp"
#include "jobs/twitter/api_paths.hpp"
#include "jobs/twitter/task_builder.hpp"

#include <array>
#include <string_view>

namespace ab::tw {

inline constexpr std::array<std::string_view, 2> kPermissionScopes = {"OWNER", "SHARED"};

// Where a kind declares the filters' columns.
struct FilterFields {
  Field q, permission_scope, with_deleted;
};
template <std::size_t N>
constexpr FilterFields filter_fields(const std::array<Column, N>& columns) {
  return {field(columns, "q"), field(columns, "permission_scope"), field(columns, "with_deleted")};
}

// q, permission_scope and with_deleted into the task.
TaskBuilder& add_filters(TaskBuilder& builder, const FilterFields& filters);
// The filters of `params` that are set, in that order (sort_by last).
void add_filters(Query& query, const boost::json::object& params);

}  // namespace ab::tw
