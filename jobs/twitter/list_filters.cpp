#include "jobs/twitter/list_filters.hpp"

#include "jobs/twitter/row_results.hpp"

namespace ab::tw {

TaskBuilder& add_filters(TaskBuilder& builder, const FilterFields& filters) {
  return builder.query(filters.q).one_of(filters.permission_scope, kPermissionScopes).boolean(filters.with_deleted);
}

void add_filters(Query& query, const boost::json::object& params) {
  for (const std::string_view key : {"q", "permission_scope", "with_deleted", "sort_by"})
    query.add_if(key, param(params, key));
}

}  // namespace ab::tw
