#include "jobs/twitter/member_requests.hpp"

#include "jobs/twitter/api_errors.hpp"
#include "jobs/twitter/member_task.hpp"

#include <boost/json/object.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace ab::tw {

namespace {

std::optional<std::int64_t> count_of(const boost::json::object& data, std::string_view key) {
  const auto* value = data.if_contains(key);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->get_uint64());
  return std::nullopt;
}

std::optional<std::size_t> index_of(const boost::json::value& entry) {
  const auto* o = entry.if_object();
  const auto* index = o ? o->if_contains("index") : nullptr;
  if (index && index->is_int64() && index->get_int64() >= 0) return static_cast<std::size_t>(index->get_int64());
  if (index && index->is_uint64()) return static_cast<std::size_t>(index->get_uint64());
  return std::nullopt;
}

bool has_entries(const boost::json::value& v) {
  if (const auto* a = v.if_array()) return !a->empty();
  if (const auto* o = v.if_object()) return !o->empty();
  return false;
}

// operation_errors as X writes them: either a list parallel to the items
// (entry i holds item i's errors, empty for the good ones), or a flat list
// of errors each naming its item by "index". An entry naming no item in
// range refuses nothing: the verdict is then the request's.
std::vector<std::string> item_errors(const boost::json::value& operation_errors, std::size_t items) {
  std::vector<std::string> out(items);
  const auto* list = operation_errors.if_array();
  if (!list) return out;
  auto add = [&](std::size_t item, const boost::json::value& errors) {
    if (item >= items) return;
    std::string text = error_text(errors);
    if (text.empty()) text = "refused by the API";
    out[item] += (out[item].empty() ? "" : "; ") + text;
  };
  const bool parallel = list->size() == items && std::all_of(list->begin(), list->end(), [](const auto& e) {
                          return e.is_array();
                        });
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& entry = (*list)[i];
    if (parallel) {
      if (has_entries(entry)) add(i, entry);
    } else if (const auto index = index_of(entry)) {
      add(*index, entry);
    }
  }
  return out;
}

}  // namespace

std::vector<std::vector<std::size_t>> plan_member_requests(const std::vector<std::size_t>& item_bytes,
                                                           std::size_t max_items, std::size_t max_body_bytes) {
  std::vector<std::vector<std::size_t>> requests;
  std::vector<std::size_t> current;
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < item_bytes.size(); ++i) {
    const bool full = current.size() >= max_items ||
                      members_body_size(current.size() + 1, bytes + item_bytes[i]) > max_body_bytes;
    if (!current.empty() && full) {
      requests.push_back(std::move(current));
      current.clear();
      bytes = 0;
    }
    current.push_back(i);
    bytes += item_bytes[i];
  }
  if (!current.empty()) requests.push_back(std::move(current));
  return requests;
}

std::string members_body(const std::vector<std::string_view>& items) {
  std::size_t bytes = 0;
  for (auto item : items) bytes += item.size();
  std::string body;
  body.reserve(members_body_size(items.size(), bytes));
  body += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) body += ',';
    body += items[i];
  }
  body += ']';
  return body;
}

MembersVerdict read_members_answer(const ApiAnswer& answer, std::size_t items) {
  using Kind = MembersVerdict::Kind;
  if (answer.outcome == ApiOutcome::stopped) return {Kind::stopped, answer.error, {}};
  const auto* body = answer.json.if_object();
  if (answer.outcome == ApiOutcome::rejected && body) {
    if (const auto* operation_errors = body->if_contains("operation_errors")) {
      auto errors = item_errors(*operation_errors, items);
      if (std::any_of(errors.begin(), errors.end(), [](const std::string& e) { return !e.empty(); })) {
        for (auto& e : errors)
          if (!e.empty()) e = "HTTP " + std::to_string(answer.status) + ": " + e;
        return {Kind::refused, {}, std::move(errors)};
      }
    }
  }
  if (!answer.ok()) return {Kind::failed, describe_failure(answer), {}};

  const auto* data = body ? body->if_contains("data") : nullptr;
  const auto* counts = data ? data->if_object() : nullptr;
  const auto success = counts ? count_of(*counts, "success_count") : std::nullopt;
  const auto total = counts ? count_of(*counts, "total_count") : std::nullopt;
  const auto sent = static_cast<std::int64_t>(items);
  if (success && total && *success == *total && *total == sent) return {Kind::applied, {}, {}};
  if (!success || !total) return {Kind::resend, "the answer has no success_count and total_count", {}};
  return {Kind::resend,
          "success_count " + std::to_string(*success) + " and total_count " + std::to_string(*total) + " for " +
              std::to_string(sent) + " users sent",
          {}};
}

}  // namespace ab::tw
