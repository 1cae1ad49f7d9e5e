#include "sim/twitter/list_query.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <unordered_set>

namespace ab::sim::tw {

namespace {

RuleError invalid(std::string parameter, std::string message, std::string_view rule = {}) {
  return {{code::invalid_parameter, std::move(message), std::move(parameter)}, rule};
}

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Whether `text`, in lower case, starts with `lowered_prefix` (no copy: every list request checks every name).
bool starts_with_lowered(std::string_view text, std::string_view lowered_prefix) {
  return text.size() >= lowered_prefix.size() &&
         std::equal(lowered_prefix.begin(), lowered_prefix.end(), text.begin(),
                    [](char p, char t) { return p == static_cast<char>(std::tolower(static_cast<unsigned char>(t))); });
}

// X's ids are short base-36 strings; a space (ids joined with ", ") names no audience.
bool is_id_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

std::optional<std::vector<std::string>> split_ids(std::string_view text) {
  std::vector<std::string> ids;
  for (;;) {
    const auto comma = text.find(',');
    const std::string_view id = text.substr(0, comma);
    if (id.empty() || !std::all_of(id.begin(), id.end(), is_id_char)) return std::nullopt;
    ids.push_back(lower_ascii(id));
    if (comma == std::string_view::npos) return ids;
    text.remove_prefix(comma + 1);
  }
}

std::optional<std::pair<SortField, bool>> parse_sort(std::string_view text) {
  const auto dash = text.rfind('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const std::string_view field = text.substr(0, dash);
  const std::string_view direction = text.substr(dash + 1);
  if (direction != "asc" && direction != "desc") return std::nullopt;
  const bool descending = direction == "desc";
  if (field == "created_at") return std::pair{SortField::created_at, descending};
  if (field == "updated_at") return std::pair{SortField::updated_at, descending};
  if (field == "name") return std::pair{SortField::name, descending};
  return std::nullopt;
}

// A strict total order: the sort key, then creation order, the whole reversed for -desc.
struct ListOrder {
  SortField field;
  bool descending;

  bool operator()(const Audience* a, const Audience* b) const {
    return descending ? ascending(*b, *a) : ascending(*a, *b);
  }

 private:
  bool ascending(const Audience& a, const Audience& b) const {
    switch (field) {
      case SortField::created_at:
        if (a.created_at != b.created_at) return a.created_at < b.created_at;
        break;
      case SortField::updated_at:
        if (a.updated_at != b.updated_at) return a.updated_at < b.updated_at;
        break;
      case SortField::name:
        if (a.name != b.name) return a.name < b.name;
        break;
    }
    return a.sequence < b.sequence;
  }
};

}  // namespace

std::variant<ListQuery, RuleError> parse_list_query(const oauth1::Params& params, std::string_view ids_parameter) {
  ListQuery query;
  if (const auto* count = find_param(params, "count")) {
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(count->data(), count->data() + count->size(), value);
    if (error != std::errc() || end != count->data() + count->size() || value < 1 || value > max_count)
      return invalid("count", "count must be an integer from 1 to 1000", rule::count_out_of_range);
    query.count = value;
  }
  if (const auto* cursor = find_param(params, "cursor")) {
    if (cursor->empty()) return invalid("cursor", "cursor must not be empty");
    query.cursor = *cursor;
  }
  if (const auto* scope = find_param(params, "permission_scope")) {
    if (*scope != "OWNER" && *scope != "SHARED")
      return invalid("permission_scope", "permission_scope must be OWNER or SHARED");
    query.shared_scope = *scope == "SHARED";
  }
  if (const auto* q = find_param(params, "q")) {
    const std::size_t length = utf8_length(*q);
    if (length < 1 || length > max_q_length) return invalid("q", "q must be 1 to 255 characters long");
    query.q = lower_ascii(*q);
  }
  if (const auto* sort = find_param(params, "sort_by")) {
    const auto parsed = parse_sort(*sort);
    if (!parsed) return invalid("sort_by", "sort_by must be created_at, updated_at or name, then -asc or -desc");
    std::tie(query.sort_field, query.descending) = *parsed;
  }
  if (const auto* ids = find_param(params, ids_parameter)) {
    const std::string name(ids_parameter);
    auto parsed = split_ids(*ids);
    if (!parsed)
      return invalid(name, name + " must be ids (letters, digits, '_', '-') separated by commas, without spaces");
    if (parsed->size() > max_ids) return invalid(name, "at most 200 " + name + " per request", rule::ids_over_200);
    query.ids = std::move(*parsed);
  }
  for (auto [name, flag] :
       {std::pair{"with_deleted", &query.with_deleted}, std::pair{"with_total_count", &query.with_total_count}}) {
    if (const auto* text = find_param(params, name)) {
      const auto value = parse_x_bool(*text);
      if (!value) return invalid(name, std::string(name) + " must be true or false");
      *flag = *value;
    }
  }
  if (query.with_total_count && query.cursor)
    return RuleError{
        {code::exclusive_parameters, "with_total_count cannot be combined with cursor", "with_total_count"},
        rule::total_count_with_cursor};
  return query;
}

std::optional<ListPage> run_list_query(const ListQuery& query, const Store& store) {
  const ListOrder order{query.sort_field, query.descending};
  const Audience* anchor = nullptr;
  if (query.cursor) {
    anchor = store.find(*query.cursor);
    if (!anchor) return std::nullopt;
  }
  const std::unordered_set<std::string> wanted(query.ids.begin(), query.ids.end());
  ListPage page;
  std::vector<const Audience*> matches;
  for (const Audience& audience : store.audiences()) {
    if ((audience.owner_account_id != store.account_id()) != query.shared_scope) continue;
    if (audience.deleted && !query.with_deleted) continue;
    if (query.q && !starts_with_lowered(audience.name, *query.q)) continue;
    if (!wanted.empty() && !wanted.contains(audience.id)) continue;
    ++page.total_count;
    if (anchor && !order(anchor, &audience)) continue;
    matches.push_back(&audience);
  }
  const std::size_t shown = std::min(query.count, matches.size());
  std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(shown), matches.end(), order);
  const bool more = matches.size() > shown;
  matches.resize(shown);
  if (more) page.next_cursor = matches.back()->id;
  page.items = std::move(matches);
  return page;
}

}  // namespace ab::sim::tw
