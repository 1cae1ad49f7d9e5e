#include "sim/twitter/members.hpp"

#include "sim/twitter/changes.hpp"
#include "sim/twitter/rate_limits.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

namespace ab::sim::tw {

namespace {

constexpr std::array<std::string_view, 5> kHashedTypes = {"email", "device_id", "handle", "twitter_id",
                                                          "phone_number"};
constexpr std::string_view kPartnerUserId = "partner_user_id";

bool is_hashed_type(std::string_view type) {
  return std::find(kHashedTypes.begin(), kHashedTypes.end(), type) != kHashedTypes.end();
}

bool is_lower_hex_sha256(std::string_view value) {
  return value.size() == 64 &&
         std::all_of(value.begin(), value.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// YYYY-MM-DDTHH:MM:SS, then an optional fraction and a zone (Z or ±HH:MM).
bool is_iso8601(std::string_view t) {
  constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
  if (t.size() < shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i)
    if (shape[i] == 'd' ? !(t[i] >= '0' && t[i] <= '9') : t[i] != shape[i]) return false;
  t.remove_prefix(shape.size());
  if (t.starts_with('.')) {
    t.remove_prefix(1);
    const auto digits = std::min(t.size(), t.find_first_not_of("0123456789"));
    if (digits == 0) return false;
    t.remove_prefix(digits);
  }
  return t == "Z" || (t.size() == 6 && (t[0] == '+' || t[0] == '-') && t[3] == ':');
}

bool is_json(std::string_view content_type) {
  const std::string media = lower_ascii(content_type.substr(0, content_type.find(';')));
  const auto end = media.find_last_not_of(" \t");
  return media.substr(0, end == std::string::npos ? 0 : end + 1) == "application/json";
}

struct Operation {
  bool add = true;
  const boost::json::array* users = nullptr;
};

XError invalid(std::string message, std::string parameter) {
  return {code::invalid_parameter, std::move(message), std::move(parameter)};
}

// An operation's error, and the user it is about (its place in the
// operation's users), if it is about one.
struct ItemError {
  XError error;
  std::optional<std::size_t> user;
};

// One user object's errors (appended); counts raw_pii_sent per unhashed value.
void check_user(const boost::json::value& user, std::size_t place, const Call& call, const MembersRules& rules,
                std::vector<ItemError>& out) {
  const auto error = [&](XError e) { out.push_back({std::move(e), place}); };
  const auto* object = user.if_object();
  if (!object || object->empty()) {
    error(invalid("each user must be an object of identifier types", "users"));
    return;
  }
  for (const auto& [key, values] : *object) {
    const std::string type(key);
    if (!is_hashed_type(type) && type != kPartnerUserId) {
      error(invalid("unknown identifier type " + type, "users"));
      continue;
    }
    const auto* list = values.if_array();
    if (!list || list->empty()) {
      error(invalid(type + " must be a non-empty array of strings", type));
      continue;
    }
    for (const auto& value : *list) {
      if (!value.is_string()) {
        error(invalid(type + " values must be strings", type));
      } else if (type == kPartnerUserId) {
        if (value.get_string().empty() || value.get_string().size() > rules.max_partner_user_id)
          error(invalid("partner_user_id must be 1 to " + std::to_string(rules.max_partner_user_id) + " characters",
                        type));
      } else if (!is_lower_hex_sha256(value.get_string())) {
        call.referee.violation(rule::raw_pii_sent);
        error(invalid(type + " values must be SHA-256 hashes in lower-case hex", type));
      }
    }
  }
}

// An operation's errors; `op` filled when it has none.
std::vector<ItemError> check_item(const boost::json::value& item, const Call& call, const MembersRules& rules,
                                  Operation& op) {
  std::vector<ItemError> errors;
  const auto* object = item.if_object();
  const auto* type = object ? object->if_contains("operation_type") : nullptr;
  const auto* params = object ? object->if_contains("params") : nullptr;
  if (!type || !type->is_string() || (type->get_string() != "Update" && type->get_string() != "Delete"))
    errors.push_back({invalid("operation_type must be Update or Delete", "operation_type"), {}});
  else
    op.add = type->get_string() == "Update";
  if (!params || !params->is_object()) {
    errors.push_back({{code::missing_parameter, "params is required", "params"}, {}});
    return errors;
  }
  const auto& p = params->get_object();
  for (std::string_view time : {"effective_at", "expires_at"})
    if (const auto* t = p.if_contains(time); t && (!t->is_string() || !is_iso8601(t->get_string())))
      errors.push_back({invalid(std::string(time) + " must be an ISO 8601 time", std::string(time)), {}});
  const auto* users = p.if_contains("users");
  if (!users || !users->is_array() || users->get_array().empty()) {
    errors.push_back({{code::missing_parameter, "users must be a non-empty array", "users"}, {}});
    return errors;
  }
  op.users = &users->get_array();
  for (std::size_t u = 0; u < op.users->size(); ++u) check_user((*op.users)[u], u, call, rules, errors);
  return errors;
}

// Applies the operation's first `users` users; returns how many it applied.
std::size_t apply(const std::string& audience, const Operation& op, std::size_t users, MemberSets& members) {
  users = std::min(users, op.users->size());
  for (std::size_t u = 0; u < users; ++u)
    for (const auto& [key, values] : (*op.users)[u].get_object())
      for (const auto& value : values.get_array()) {
        const std::string type(key), text(value.get_string());
        if (op.add)
          members.add(audience, type, text);
        else
          members.remove(audience, type, text);
      }
  return users;
}

Answer with_window(Answer answer, const WindowDecision& window) {
  answer.window = window;
  return answer;
}

}  // namespace

void MemberSets::add(const std::string& audience, const std::string& type, const std::string& value) {
  sets_[audience][type].insert(value);
}

void MemberSets::remove(const std::string& audience, const std::string& type, const std::string& value) {
  const auto a = sets_.find(audience);
  if (a == sets_.end()) return;
  const auto t = a->second.find(type);
  if (t != a->second.end()) t->second.erase(value);
}

boost::json::object MemberSets::members(const std::string& audience) const {
  boost::json::object out;
  const auto a = sets_.find(audience);
  if (a == sets_.end()) return out;
  for (const auto& [type, values] : a->second) {
    if (values.empty()) continue;
    boost::json::array list;
    for (const auto& v : values) list.emplace_back(v);
    out[type] = std::move(list);
  }
  return out;
}

boost::json::object MemberSets::sizes() const {
  boost::json::object out;
  for (const auto& [audience, types] : sets_) {
    std::size_t n = 0;
    for (const auto& [type, values] : types) n += values.size();
    out[audience] = n;
  }
  return out;
}

Answer audience_users(const Call& call, Store& store, MemberSets& members, RateWindow& window,
                      const MembersRules& rules, std::mt19937_64& rng) {
  const WindowDecision turn = take_counting_early(window, call.now, call.referee);
  if (!turn.allowed)
    return with_window(error_answer(call, 429,
                                    {code::too_many_requests,
                                     "audience membership is limited to " + std::to_string(turn.limit) +
                                         " requests per window; retry after the reset",
                                     {}},
                                    rule::members_over_budget),
                       turn);
  if (auto refusal = refuse_change(store.find(call.audience_id), call.audience_id, Change::update, call.dialect,
                                   call.dialect.audience_id))
    return with_window(error_answer(call, refusal->status, refusal->error), turn);
  if (call.body.size() > rules.max_body_bytes)
    return with_window(error_answer(call, 413,
                                    {code::invalid_parameter,
                                     "at most " + std::to_string(rules.max_body_bytes) + " bytes of body, got " +
                                         std::to_string(call.body.size()),
                                     {}},
                                    rule::members_body_over_limit),
                       turn);
  auto body_error = [&](std::string message) {
    return with_window(error_answer(call, 400, invalid(std::move(message), {}), rule::invalid_body), turn);
  };
  if (!is_json(call.content_type)) return body_error("the users endpoint takes Content-Type: application/json");
  boost::system::error_code parse_error;
  const boost::json::value body = boost::json::parse(call.body, parse_error);
  if (parse_error) return body_error("the body is not JSON: " + parse_error.message());
  if (!body.is_array() || body.get_array().empty()) return body_error("the body must be a non-empty JSON array of operations");
  const auto& items = body.get_array();

  std::size_t users = 0;
  for (const auto& item : items) {
    const auto* o = item.if_object();
    const auto* p = o ? o->if_contains("params") : nullptr;
    const auto* u = p && p->is_object() ? p->get_object().if_contains("users") : nullptr;
    if (u && u->is_array()) users += u->get_array().size();
  }
  if (users > rules.max_users)
    return with_window(error_answer(call, 400,
                                    {code::too_many_operations,
                                     "at most " + std::to_string(rules.max_users) + " users per request, got " +
                                         std::to_string(users),
                                     {}},
                                    rule::members_over_2500),
                       turn);

  std::vector<Operation> operations(items.size());
  boost::json::array operation_errors;
  bool refused = false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    boost::json::array shown;
    for (const auto& error : check_item(items[i], call, rules, operations[i])) {
      boost::json::object e = error_json(error.error);
      e["index"] = i;
      if (error.user) e["user_index"] = *error.user;
      shown.emplace_back(std::move(e));
    }
    refused = refused || !shown.empty();
    operation_errors.emplace_back(std::move(shown));
  }
  boost::json::object request{{"params", call.echo()}};
  if (refused)
    return with_window(Answer{400, {{"operation_errors", std::move(operation_errors)}, {"request", std::move(request)}}, {}},
                       turn);

  // The counts are of users, the records sent; a short answer applies the
  // first users only, in the request's order.
  std::size_t applied = users;
  if (rules.short_answer_rate > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < rules.short_answer_rate)
    applied = std::uniform_int_distribution<std::size_t>(0, users - 1)(rng);
  std::uint64_t applied_users = 0;
  for (std::size_t i = 0; i < operations.size() && applied_users < applied; ++i)
    applied_users += apply(call.audience_id, operations[i], applied - applied_users, members);
  boost::json::object data{{"success_count", applied_users}, {"total_count", static_cast<std::uint64_t>(users)}};
  return with_window(Answer{200, {{"data", std::move(data)}, {"request", std::move(request)}}, {}}, turn);
}

}  // namespace ab::sim::tw
