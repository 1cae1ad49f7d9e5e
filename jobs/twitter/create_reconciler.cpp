#include "jobs/twitter/create_reconciler.hpp"

#include "engine/run/coroutine.hpp"

#include "jobs/twitter/api_errors.hpp"
#include "jobs/twitter/audience_list.hpp"
#include "jobs/twitter/row_results.hpp"
#include "jobs/twitter/task_builder.hpp"
#include "jobs/twitter/text.hpp"
#include "jobs/twitter/timestamps.hpp"

#include <optional>

namespace ab::tw {

CreateAnswer answer_for_failure(const ApiAnswer& answer) {
  switch (answer.outcome) {
    case ApiOutcome::ambiguous:
      return {CreateAnswer::Kind::unclear, {}, answer.error};
    case ApiOutcome::stopped:
      return {CreateAnswer::Kind::stopped, {}, answer.error};
    case ApiOutcome::ok:
    case ApiOutcome::rejected:
    case ApiOutcome::exhausted:
      break;
  }
  return {CreateAnswer::Kind::failed, {}, describe_failure(answer)};
}

bool CreateReconciler::claim(const std::string& id) {
  std::lock_guard lock(mutex_);
  return claimed_.insert(id).second;
}

bool CreateReconciler::claimed(const std::string& id) {
  std::lock_guard lock(mutex_);
  return claimed_.contains(id);
}

Awaitable<Lookup> CreateReconciler::look_up(const std::string& name, std::optional<SystemTime> window_start,
                                                         Api& api, std::size_t row) {
  Lookup out;
  Query base;
  base.add("q", utf8_prefix(name, kMaxQueryLength)).add("count", kMaxPageSize).add("with_deleted", "false");
  std::optional<SystemTime> best_created;
  std::string cursor;
  do {
    Query query = base;
    query.add_if("cursor", cursor);
    // Built apart from the co_await: GCC 12 mishandles braced temporaries inside it.
    ApiRequest request =
        context_.request(boost::beast::http::verb::get, context_.paths.audiences(query), {row});
    auto page = co_await fetch_list_page(api, std::move(request));
    out.attempts += page.answer.attempts;
    out.status = page.answer.status;
    if (!page.ok()) {
      out.kind = page.answer.outcome == ApiOutcome::stopped ? Lookup::Kind::stopped : Lookup::Kind::failed;
      out.error = page.failure();
      co_return out;
    }
    for (auto& audience : page.audiences) {
      const std::string id = audience_field(audience, "id");
      if (id.empty() || audience_field(audience, "name") != name || claimed(id)) continue;
      const auto created = parse_utc_timestamp(audience_field(audience, "created_at"));
      if (window_start && (!created || *created < *window_start)) continue;
      // Our first send made the earliest of several candidates.
      const bool earlier = out.audience.empty() || (created && (!best_created || *created < *best_created));
      if (!earlier) continue;
      out.audience = audience.as_object();
      best_created = created;
    }
    cursor = page.next_cursor;
  } while (!cursor.empty());
  out.kind = !out.audience.empty() && claim(audience_field(out.audience, "id")) ? Lookup::Kind::found
                                                                                : Lookup::Kind::absent;
  co_return out;
}

Awaitable<void> CreateReconciler::create(std::vector<CreateItem> items, CreateSender& sender, Api& api,
                                                      RowSink& sink) {
  const SystemTime now = context_.clock();
  std::vector<std::string> names;
  std::vector<bool> may_exist;
  std::vector<std::optional<SystemTime>> windows;
  for (const auto& item : items) {
    const auto window = create_window(item.task.checkpoint, item.task.maybe_sent, now, context_.created_margin);
    if (window.checkpoint) co_await sink.checkpoint(item.task.row, *window.checkpoint);
    names.push_back(item.name);
    may_exist.push_back(item.task.maybe_sent);
    windows.push_back(window.start);
  }

  Reconciliation reconciliation(std::move(names), std::move(may_exist));
  const auto report = [&] {
    for (auto& end : reconciliation.take_ends()) {
      const std::size_t row = items[end.item].task.row;
      if (end.claim) claim(audience_field(end.audience, "id"));
      if (end.result.status == RowStatus::ok) sink.respond(row, {{"data", std::move(end.audience)}});
      sink.finish(row, std::move(end.result));
    }
  };
  for (;;) {
    const ReconcileStep step = reconciliation.next();
    report();
    if (step.kind == ReconcileStep::Kind::done) break;
    if (step.kind == ReconcileStep::Kind::look_up) {
      const CreateItem& item = items[step.item];
      reconciliation.looked_up(co_await look_up(item.name, windows[step.item], api, item.task.row));
      report();
      continue;
    }
    std::vector<const CreateItem*> batch;
    for (auto i : step.items) batch.push_back(&items[i]);
    reconciliation.sent(co_await sender.send(batch, api));
    report();
  }
}

}  // namespace ab::tw
