#include "jobs/twitter/member_requests.hpp"

#include "jobs/twitter/api_errors.hpp"

#include <boost/json/object.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace ab::tw {

namespace {

constexpr std::string_view kItemEnd = "]}}";  // closes the users, the params and the operation

std::optional<std::int64_t> count_of(const boost::json::object& data, std::string_view key) {
  const auto* value = data.if_contains(key);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->get_uint64());
  return std::nullopt;
}

std::optional<std::size_t> number_in(const boost::json::value& entry, std::string_view key) {
  const auto* o = entry.if_object();
  const auto* n = o ? o->if_contains(key) : nullptr;
  if (n && n->is_int64() && n->get_int64() >= 0) return static_cast<std::size_t>(n->get_int64());
  if (n && n->is_uint64()) return static_cast<std::size_t>(n->get_uint64());
  return std::nullopt;
}

// operation_errors as X writes them: either a list parallel to the
// operations (entry k holds operation k's errors, empty for the good ones),
// or a flat list of errors each naming its operation by "index". An error
// with a "user_index" is that user's; one without is every user's of a
// one-user operation, and of a larger one it names nobody: its users go
// again alone. An entry naming no operation in range refuses nothing: the
// verdict is then the request's.
void read_operation_errors(const boost::json::value& operation_errors, std::span<const std::size_t> operation_users,
                           MembersVerdict& verdict) {
  std::vector<std::size_t> first(operation_users.size());
  std::size_t users = 0;
  for (std::size_t k = 0; k < operation_users.size(); ++k) {
    first[k] = users;
    users += operation_users[k];
  }
  verdict.item_errors.assign(users, {});
  verdict.alone.assign(users, false);
  const auto* list = operation_errors.if_array();
  if (!list) return;
  auto blame = [&](std::size_t op, const boost::json::value& error) {
    if (op >= operation_users.size()) return;
    std::string text = error_text(error);
    if (text.empty()) text = "refused by the API";
    const auto user = number_in(error, "user_index");
    if (operation_users[op] > 1 && !(user && *user < operation_users[op])) {
      std::fill_n(verdict.alone.begin() + static_cast<std::ptrdiff_t>(first[op]), operation_users[op], true);
      return;
    }
    auto& out = verdict.item_errors[first[op] + (operation_users[op] > 1 ? *user : 0)];
    out += (out.empty() ? "" : "; ") + text;
  };
  const bool parallel = list->size() == operation_users.size() &&
                        std::all_of(list->begin(), list->end(), [](const auto& e) { return e.is_array(); });
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& entry = (*list)[i];
    if (!parallel) {
      if (const auto index = number_in(entry, "index")) blame(*index, entry);
      continue;
    }
    for (const auto& error : entry.get_array()) blame(i, error);
  }
}

}  // namespace

MemberItemParts member_item_parts(std::string_view item) {
  // The users' `[` is the item's first: nothing before it (operation type,
  // ISO 8601 times) has one. One memchr, not a search for the whole key.
  const auto users = item.find('[');
  const std::size_t head = users == std::string_view::npos ? 0 : users + 1;
  const std::size_t end = item.size() >= head + kItemEnd.size() ? item.size() - kItemEnd.size() : head;
  return {item.substr(0, head), item.substr(head, end - head)};
}

MembersRequest plan_members_request(std::span<const MemberItem> items, std::size_t max_users,
                                    std::size_t max_body_bytes) {
  MembersRequest plan;
  plan.body_bytes = 2;  // [ ]
  std::string_view open_head;
  bool open_alone = true;
  for (const auto& item : items) {
    if (plan.items >= max_users) break;
    const auto parts = member_item_parts(item.text);
    const bool joins = !plan.operation_users.empty() && !item.alone && !open_alone && parts.head == open_head;
    const std::size_t bytes = joins ? 1 + parts.user.size()
                                    : (plan.operation_users.empty() ? 0 : 1) + parts.head.size() +
                                          parts.user.size() + kItemEnd.size();
    if (plan.items > 0 && plan.body_bytes + bytes > max_body_bytes) break;
    if (joins) {
      ++plan.operation_users.back();
    } else {
      plan.operation_users.push_back(1);
      open_head = parts.head;
      open_alone = item.alone;
    }
    plan.body_bytes += bytes;
    ++plan.items;
  }
  return plan;
}

std::string members_request_body(std::span<const MemberItem> items, const MembersRequest& plan) {
  std::string body;
  body.reserve(plan.body_bytes);
  body += '[';
  std::size_t next = 0;
  for (std::size_t op = 0; op < plan.operation_users.size(); ++op) {
    if (op) body += ',';
    for (std::size_t u = 0; u < plan.operation_users[op]; ++u, ++next) {
      const auto parts = member_item_parts(items[next].text);
      if (u == 0)
        body += parts.head;
      else
        body += ',';
      body += parts.user;
    }
    body += kItemEnd;
  }
  body += ']';
  return body;
}

MembersVerdict read_members_answer(const ApiAnswer& answer, std::span<const std::size_t> operation_users) {
  using Kind = MembersVerdict::Kind;
  if (answer.outcome == ApiOutcome::stopped) return {Kind::stopped, answer.error, {}, {}};
  const auto* body = answer.json.if_object();
  if (answer.outcome == ApiOutcome::rejected && body) {
    if (const auto* operation_errors = body->if_contains("operation_errors")) {
      MembersVerdict verdict{Kind::refused, {}, {}, {}};
      read_operation_errors(*operation_errors, operation_users, verdict);
      const bool named = std::any_of(verdict.item_errors.begin(), verdict.item_errors.end(),
                                     [](const std::string& e) { return !e.empty(); });
      const bool split = std::find(verdict.alone.begin(), verdict.alone.end(), true) != verdict.alone.end();
      if (named || split) {
        for (auto& e : verdict.item_errors)
          if (!e.empty()) e = "HTTP " + std::to_string(answer.status) + ": " + e;
        return verdict;
      }
    }
  }
  if (!answer.ok()) return {Kind::failed, describe_failure(answer), {}, {}};

  std::int64_t sent = 0;
  for (auto users : operation_users) sent += static_cast<std::int64_t>(users);
  const auto* data = body ? body->if_contains("data") : nullptr;
  const auto* counts = data ? data->if_object() : nullptr;
  const auto success = counts ? count_of(*counts, "success_count") : std::nullopt;
  const auto total = counts ? count_of(*counts, "total_count") : std::nullopt;
  if (success && total && *success == *total && *total == sent) return {Kind::applied, {}, {}, {}};
  if (!success || !total) return {Kind::resend, "the answer has no success_count and total_count", {}, {}};
  return {Kind::resend,
          "success_count " + std::to_string(*success) + " and total_count " + std::to_string(*total) + " for " +
              std::to_string(sent) + " users sent",
          {}, {}};
}

MembersVerdict read_members_answer(const ApiAnswer& answer, std::size_t items) {
  const std::vector<std::size_t> one_each(items, 1);
  return read_members_answer(answer, one_each);
}

}  // namespace ab::tw
