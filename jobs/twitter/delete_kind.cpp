// tw.delete: B5, DELETE .../{tailored|custom}_audiences/:id. Replay-safe, so the
// engine resends it after a lost answer; a 404 to such a resend most likely
// means the first attempt deleted it. That is confirmed, not assumed: the
// audience is looked up with with_deleted=true and must come back deleted.
#include "jobs/kind_list.hpp"

#include "engine/run/coroutine.hpp"
#include "jobs/twitter/audience_list.hpp"
#include "jobs/twitter/kinds.hpp"
#include "jobs/twitter/row_results.hpp"
#include "jobs/twitter/task_builder.hpp"
#include "jobs/twitter/twitter_kind.hpp"

#include <array>

namespace ab::tw {

namespace {

constexpr std::array kColumns = {Column{"id", CellType::text, true}};
constexpr Field kId = field(kColumns, "id");

bool is_deleted(const boost::json::value& audience) {
  const auto* obj = audience.if_object();
  const auto* deleted = obj ? obj->if_contains("deleted") : nullptr;
  return deleted && deleted->is_bool() && deleted->get_bool();
}

class DeleteKind final : public TwitterKind {
 public:
  explicit DeleteKind(Context context) : TwitterKind(delete_declaration.kind, std::move(context)) {}

  Validation validate(const Row& row, const Fields& fields) const override {
    return TaskBuilder(row, fields).id(kId).done();
  }

  Awaitable<void> run(std::vector<Task> tasks, Api& api, RowSink& sink) override {
    for (const auto& task : tasks) co_await delete_one(task, api, sink);
  }

 private:
  Awaitable<void> delete_one(const Task& task, Api& api, RowSink& sink) {
    const std::string id = param(task.params, "id");
    ApiRequest request = context().request(boost::beast::http::verb::delete_, context().paths.audience(id), {task.row});
    const ApiAnswer answer = co_await api.send(std::move(request));
    if (answer.ok()) {
      respond_with_data(sink, task.row, answer);
      sink.finish(task.row, row_ok(answer.status, id, answer.attempts));
      co_return;
    }
    if (answer.status != 404 || answer.attempts < 2) {
      sink.finish(task.row, row_failed(answer, answer.attempts));
      co_return;
    }
    // An earlier attempt may have deleted it before its answer was lost.
    Query query;
    query.add(context().paths.ids_filter(), id).add("with_deleted", "true");
    ApiRequest lookup = context().request(boost::beast::http::verb::get, context().paths.audiences(query), {task.row});
    const ListPage page = co_await fetch_list_page(api, std::move(lookup));
    const unsigned attempts = answer.attempts + page.answer.attempts;
    if (page.ok() && page.audiences.size() == 1 && same_id(audience_field(page.audiences.front(), "id"), id) &&
        is_deleted(page.audiences.front())) {
      sink.respond(task.row, {{"data", page.audiences.front()}});
      sink.finish(task.row, row_ok(page.answer.status, id, attempts));
    } else {
      // A look-up the stop cut short leaves the row for the next run.
      sink.finish(task.row, row_failed(page.answer.outcome == ApiOutcome::stopped ? page.answer : answer, attempts));
    }
  }
};

}  // namespace

const Declaration delete_declaration = declare<DeleteKind>({
    .name = "tw.delete",
    .api = &api_declaration,
    .columns = kColumns,
    .budgets = budgets,
});

}  // namespace ab::tw
