#include "sim/twitter/audience_endpoints.hpp"

#include "sim/twitter/changes.hpp"
#include "sim/twitter/list_query.hpp"
#include "sim/twitter/rate_limits.hpp"

#include <boost/json/array.hpp>

namespace ab::sim::tw {

namespace {

Answer refused(const Call& call, const ChangeRefusal& refusal) {
  return error_answer(call, refusal.status, refusal.error);
}

Answer not_found(const Call& call) {
  return error_answer(call, 404,
                      {code::not_found, "no " + std::string(call.dialect.noun) + " " + call.audience_id,
                       std::string(call.dialect.audience_id)});
}

Answer over_total_count_budget(const Call& call, const WindowDecision& decision) {
  Answer answer = error_answer(call, 429,
                               {code::too_many_requests,
                                "with_total_count is limited to " + std::to_string(decision.limit) +
                                    " requests per window; retry after the reset",
                                "with_total_count"},
                               rule::total_count_over_budget);
  answer.window = decision;
  return answer;
}

}  // namespace

Answer list_audiences(const Call& call, const Store& store, RateWindow& total_count_window) {
  auto parsed = parse_list_query(call.params, call.dialect.ids);
  if (auto* error = std::get_if<RuleError>(&parsed)) return error_answer(call, 400, error->error, error->rule);
  const ListQuery& query = std::get<ListQuery>(parsed);

  std::optional<WindowDecision> window;
  if (query.with_total_count) {
    window = take_counting_early(total_count_window, call.now, call.referee);
    if (!window->allowed) return over_total_count_budget(call, *window);
    call.referee.admitted("tw.total_count", window->reset_epoch);
  }
  const auto page = run_list_query(query, store);
  if (!page) return error_answer(call, 400, {code::invalid_parameter, "cursor names no page of this list", "cursor"});

  boost::json::array data;
  for (const Audience* audience : page->items) data.emplace_back(audience_json(*audience));
  boost::json::object extra{{"next_cursor", page->next_cursor ? boost::json::value(*page->next_cursor) : nullptr}};
  if (query.with_total_count) extra["total_count"] = page->total_count;
  Answer answer = data_answer(call, std::move(data), std::move(extra));
  if (!query.ids.empty()) {
    // The seed echoes the ids as a list.
    boost::json::array ids(query.ids.begin(), query.ids.end());
    answer.body["request"].as_object()["params"].as_object()[call.dialect.ids] = std::move(ids);
  }
  answer.window = window;
  return answer;
}

Answer get_audience(const Call& call, const Store& store) {
  std::optional<bool> with_deleted = false;
  if (const auto* flag = call.param("with_deleted")) with_deleted = parse_x_bool(*flag);
  if (!with_deleted)
    return error_answer(call, 400, {code::invalid_parameter, "with_deleted must be true or false", "with_deleted"});
  const Audience* audience = store.find(call.audience_id);
  if (!audience || (audience->deleted && !*with_deleted)) return not_found(call);
  return data_answer(call, audience_json(*audience));
}

Answer create_audience(const Call& call, Store& store) {
  const auto* name = call.param("name");
  if (!name) return error_answer(call, 400, {code::missing_parameter, "name is required", "name"});
  if (name->empty()) return error_answer(call, 400, {code::invalid_parameter, "name must not be empty", "name"});
  NewAudience draft{*name, std::nullopt, "CRM", nullptr};
  if (const auto* description = call.param("description")) draft.description = *description;
  const auto created = store.create(std::move(draft), call.now, CreatedThrough::single);
  if (created.duplicate) call.referee.violation(rule::duplicate_create);
  return data_answer(call, audience_json(created.audience));
}

Answer update_audience(const Call& call, Store& store) {
  Audience* audience = store.find(call.audience_id);
  if (auto refusal = refuse_change(audience, call.audience_id, Change::update, call.dialect, call.dialect.audience_id))
    return refused(call, *refusal);
  std::optional<std::string> name;
  if (const auto* given = call.param("name")) {
    if (given->empty()) return error_answer(call, 400, {code::invalid_parameter, "name must not be empty", "name"});
    name = *given;
  }
  std::optional<std::string> description;
  if (const auto* given = call.param("description")) description = *given;
  store.update(*audience, std::move(name), std::move(description), call.now);
  return data_answer(call, audience_json(*audience));
}

Answer delete_audience(const Call& call, Store& store) {
  Audience* audience = store.find(call.audience_id);
  if (auto refusal = refuse_change(audience, call.audience_id, Change::remove, call.dialect, call.dialect.audience_id))
    return refused(call, *refusal);
  store.remove(*audience, call.now);
  return data_answer(call, audience_json(*audience));
}

}  // namespace ab::sim::tw
