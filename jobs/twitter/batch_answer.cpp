#include "jobs/twitter/batch_answer.hpp"

#include "jobs/twitter/api_errors.hpp"

#include <algorithm>
#include <optional>

namespace ab::tw {

namespace {

bool has_errors(const boost::json::value& v) {
  if (v.is_null()) return false;
  if (const auto* a = v.if_array()) return !a->empty();
  if (const auto* o = v.if_object()) return !o->empty();
  return true;
}

std::string item_error_text(const boost::json::value& v) {
  if (const auto* o = v.if_object(); o && o->contains("errors")) return error_text(o->at("errors"));
  return error_text(v);
}

std::optional<std::size_t> index_of(const boost::json::value& v) {
  const auto* o = v.if_object();
  const auto* index = o ? o->if_contains("index") : nullptr;
  if (!index) return std::nullopt;
  if (index->is_int64() && index->get_int64() >= 0) return static_cast<std::size_t>(index->get_int64());
  if (index->is_uint64()) return static_cast<std::size_t>(index->get_uint64());
  return std::nullopt;
}

// The error text of each item, "" for an item without errors.
std::vector<std::string> item_errors(const boost::json::value& operation_errors, std::size_t items) {
  std::vector<std::string> out(items);
  const auto* list = operation_errors.if_array();
  if (!list) return out;
  const bool indexed = !list->empty() && std::all_of(list->begin(), list->end(),
                                                      [](const auto& e) { return index_of(e).has_value(); });
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& entry = (*list)[i];
    const std::size_t item = indexed ? *index_of(entry) : i;
    if (item >= items || !has_errors(entry)) continue;
    std::string text = item_error_text(entry);
    if (text.empty()) text = "refused by the API";
    out[item] += (out[item].empty() ? "" : "; ") + text;
  }
  return out;
}

}  // namespace

std::vector<CreateAnswer> read_batch_answer(const ApiAnswer& answer, std::size_t items) {
  using Kind = CreateAnswer::Kind;
  if (answer.outcome != ApiOutcome::ok && answer.outcome != ApiOutcome::rejected)
    return std::vector<CreateAnswer>(items, answer_for_failure(answer));

  const auto* body = answer.json.if_object();
  const auto* operation_errors = body ? body->if_contains("operation_errors") : nullptr;
  if (operation_errors && has_errors(*operation_errors)) {
    const auto errors = item_errors(*operation_errors, items);
    if (std::any_of(errors.begin(), errors.end(), [](const std::string& e) { return !e.empty(); })) {
      const std::string status = "HTTP " + std::to_string(answer.status) + ": ";
      std::vector<CreateAnswer> out;
      for (const auto& e : errors)
        out.push_back(e.empty() ? CreateAnswer{Kind::not_applied, {}, status + "another item of the batch was refused"}
                                : CreateAnswer{Kind::failed, {}, status + e});
      return out;
    }
  }
  const auto* request_errors = body ? body->if_contains("errors") : nullptr;
  if (!answer.ok() || (request_errors && has_errors(*request_errors)))
    return std::vector<CreateAnswer>(items, CreateAnswer{Kind::failed, {}, describe_failure(answer)});

  std::vector<CreateAnswer> out(items, CreateAnswer{Kind::unclear, {}, "the batch answer has no audience for this item"});
  const auto* data = body ? body->if_contains("data") : nullptr;
  const boost::json::array single = data && data->is_object() ? boost::json::array{*data} : boost::json::array{};
  const auto* list = data && data->is_array() ? &data->get_array() : &single;
  for (std::size_t i = 0; i < std::min(items, list->size()); ++i) {
    const auto* audience = (*list)[i].if_object();
    const auto* id = audience ? audience->if_contains("id") : nullptr;
    if (id && id->is_string() && !id->get_string().empty()) out[i] = {Kind::created, *audience, {}};
  }
  return out;
}

}  // namespace ab::tw
