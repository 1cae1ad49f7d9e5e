// B1's parameters, checked against their documented limits, and the page of
// audiences they select. Pages are keyset pages: the cursor names the last
// audience of the previous page, so audiences created or deleted between two
// pages neither repeat nor vanish from the ones not yet read.
#pragma once

#include "sim/twitter/call.hpp"
#include "sim/twitter/store.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ab::sim::tw {

inline constexpr std::size_t default_count = 200;
inline constexpr std::size_t max_count = 1000;
inline constexpr std::size_t max_ids = 200;
inline constexpr std::size_t max_q_length = 255;

enum class SortField { created_at, updated_at, name };

struct ListQuery {
  std::size_t count = default_count;
  std::optional<std::string> cursor;
  bool shared_scope = false;     // permission_scope=SHARED: audiences other accounts share with this one
  std::optional<std::string> q;  // lower case; matched against the start of the lower-cased name
  SortField sort_field = SortField::created_at;  // (assumed) default: created_at-asc
  bool descending = false;
  std::vector<std::string> ids;  // lower case; empty: any
  bool with_deleted = false;
  bool with_total_count = false;
};

// `ids_parameter`: tailored_audience_ids (v8) or custom_audience_ids.
std::variant<ListQuery, RuleError> parse_list_query(const oauth1::Params& params, std::string_view ids_parameter);

struct ListPage {
  std::vector<const Audience*> items;
  std::optional<std::string> next_cursor;  // nullopt on the last page
  std::size_t total_count = 0;             // every match, over all pages
};

// nullopt if the query's cursor names no audience.
std::optional<ListPage> run_list_query(const ListQuery& query, const Store& store);

}  // namespace ab::sim::tw
