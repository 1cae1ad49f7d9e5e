#include "jobs/twitter/member_task.hpp"

#include "engine/text/json_text.hpp"
#include "engine/text/near_names.hpp"
#include "jobs/twitter/member_identifiers.hpp"
#include "jobs/twitter/timestamps.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

namespace ab::tw {

namespace {

// The hashed identifiers are personal: never written out (--echo refuses them).
constexpr std::array kColumns = {
    Column{"audience_id", CellType::text, true},         Column{"operation", CellType::text, false},
    Column{"email", CellType::text, false, true},        Column{"handle", CellType::text, false, true},
    Column{"twitter_id", CellType::text, false, true},   Column{"device_id", CellType::text, false, true},
    Column{"phone_number", CellType::text, false, true}, Column{"partner_user_id", CellType::text, false},
    Column{"effective_at", CellType::text, false},       Column{"expires_at", CellType::text, false},
};

constexpr Field kAudience = field(kColumns, "audience_id");
constexpr Field kOperation = field(kColumns, "operation");
constexpr std::array<Field, 2> kTimes = {field(kColumns, "effective_at"), field(kColumns, "expires_at")};
// Each identifier column's field, in kIdentifierColumns' order.
constexpr auto kIdentifierFields = [] {
  std::array<Field, kIdentifierColumns.size()> fields{};
  for (std::size_t i = 0; i < fields.size(); ++i) fields[i] = field(kColumns, kIdentifierColumns[i].first);
  return fields;
}();

constexpr std::string_view kDeletePrefix = R"({"operation_type":"Delete")";

bool is_id_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}

// "add" (the default) or "remove", in any case; nullopt for anything else.
std::optional<std::string_view> operation_of(std::string_view cell) {
  const std::string text = lower_case(trim_unicode_space(cell));
  if (text.empty() || text == "add") return "add";
  if (text == "remove") return "remove";
  return std::nullopt;
}

}  // namespace

std::span<const Column> member_columns() { return kColumns; }

std::optional<std::string> member_header_problem(std::span<const std::string> header) {
  std::vector<std::string_view> identifiers;
  for (const auto& [column, type] : kIdentifierColumns) {
    if (std::find(header.begin(), header.end(), column) != header.end()) return std::nullopt;
    identifiers.push_back(column);
  }
  std::string hint;
  for (const auto& name : header) {
    if (const auto near = near_names(name, identifiers, 1); !near.empty()) {
      hint = " (the header has '" + name + "': did you mean '" + near.front() + "'?)";
      break;
    }
  }
  return "no identifier column: tw.members needs at least one of email, handle, twitter_id, device_id, "
         "phone_number, partner_user_id" + hint;
}

bool removes(const Task& task) { return task.body.starts_with(kDeletePrefix); }

std::size_t members_body_size(std::size_t items, std::size_t item_bytes) {
  return items == 0 ? 2 : 2 + item_bytes + (items - 1);
}

Validation member_task(const Fields& fields) {
  const std::string_view audience = fields.text(kAudience);
  if (!std::all_of(audience.begin(), audience.end(), is_id_char))
    return RowError{"audience_id", "not an audience id (letters, digits, '_' and '-' only)"};
  const auto operation = operation_of(fields.text(kOperation));
  if (!operation) return RowError{"operation", "must be add or remove"};

  std::array<std::string_view, 2> times{};
  std::array<std::optional<SystemTime>, 2> parsed{};
  for (std::size_t i = 0; i < kTimes.size(); ++i) {
    times[i] = trim_unicode_space(fields.text(kTimes[i]));
    if (times[i].empty()) continue;
    parsed[i] = parse_utc_timestamp(times[i]);
    if (!parsed[i]) return RowError{std::string(kTimes[i].name), "not an ISO 8601 time in UTC, e.g. 2024-05-01T12:00:00Z"};
  }
  if (parsed[0] && parsed[1] && *parsed[1] <= *parsed[0])
    return RowError{"expires_at", "not after effective_at"};

  // The identifiers first, so that the item is written into one allocation of its size.
  std::array<Identifier, kIdentifierColumns.size()> ids;
  std::size_t item_bytes = 64;  // the operation, the params' keys and the brackets
  for (const auto& time : times) item_bytes += time.size() + 20;
  bool any = false;
  for (std::size_t c = 0; c < kIdentifierColumns.size(); ++c) {
    const auto& [column, type] = kIdentifierColumns[c];
    const std::string_view cell = fields.text(kIdentifierFields[c]);
    if (trim_unicode_space(cell).empty()) continue;  // a blank cell gives no identifier
    ids[c] = identifier_to_send(type, cell);
    if (!ids[c].ok()) return RowError{std::string(column), ids[c].error};
    item_bytes += column.size() + ids[c].value.size() + 8;
    any = true;
  }
  if (!any) return RowError{"", "no identifier: give at least one of email, handle, twitter_id, device_id, phone_number, partner_user_id"};

  Task task;
  std::string& out = task.body;
  out.reserve(item_bytes);
  JsonText json(out);
  json.begin_object().key("operation_type").string(*operation == "add" ? "Update" : "Delete");
  json.key("params").begin_object();
  for (std::size_t i = 0; i < kTimes.size(); ++i)
    if (!times[i].empty()) json.key(kTimes[i].name).string(times[i]);
  json.key("users").begin_array().begin_object();
  for (std::size_t c = 0; c < kIdentifierColumns.size(); ++c)
    if (!ids[c].value.empty()) json.key(kIdentifierColumns[c].first).begin_array().string(ids[c].value).end_array();
  json.end_object().end_array().end_object().end_object();
  if (members_body_size(1, out.size()) > kMaxMembersBodyBytes)
    return RowError{"partner_user_id", "the row alone is larger than a request may be (5,000,000 bytes)"};

  task.batch_key = std::string(audience);
  task.batch_bytes = out.size() + 1;
  return task;
}

}  // namespace ab::tw
