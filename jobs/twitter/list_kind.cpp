// tw.list: a whole export by cursor, 1000 audiences a page, every audience a
// --responses line. After each page its cursor is the row's checkpoint, so a
// crash resumes at the next page, not the first (the page in flight when it
// crashed may be written twice: at-least-once).
#include "jobs/kind_list.hpp"

#include "engine/run/coroutine.hpp"
#include "jobs/twitter/audience_list.hpp"
#include "jobs/twitter/kinds.hpp"
#include "jobs/twitter/list_filters.hpp"
#include "jobs/twitter/row_results.hpp"
#include "jobs/twitter/twitter_kind.hpp"

#include <array>

namespace ab::tw {

namespace {

constexpr std::array kColumns = {
    Column{"q", CellType::text, false},
    Column{"permission_scope", CellType::text, false},
    Column{"with_deleted", CellType::boolean, false},
    Column{"sort_by", CellType::text, false},
};
constexpr FilterFields kFilters = filter_fields(kColumns);
constexpr Field kSortBy = field(kColumns, "sort_by");

class ListKind final : public TwitterKind {
 public:
  explicit ListKind(Context context) : TwitterKind(list_declaration.kind, std::move(context)) {}

  Validation validate(const Row& row, const Fields& fields) const override {
    TaskBuilder builder(row, fields);
    return add_filters(builder, kFilters).sort_order(kSortBy).done();
  }

  Awaitable<void> run(std::vector<Task> tasks, Api& api, RowSink& sink) override {
    for (const auto& task : tasks) co_await export_all(task, api, sink);
  }

 private:
  Awaitable<void> export_all(const Task& task, Api& api, RowSink& sink) {
    unsigned attempts = 0;
    std::string cursor = task.checkpoint;
    for (;;) {
      Query query;
      query.add("count", kMaxPageSize);
      add_filters(query, task.params);
      query.add_if("cursor", cursor);
      ApiRequest request = context().request(boost::beast::http::verb::get, context().paths.audiences(query), {task.row});
      const ListPage page = co_await fetch_list_page(api, std::move(request));
      attempts += page.answer.attempts;
      if (!page.ok()) {
        sink.finish(task.row, row_failed(page.answer, page.failure(), attempts));
        co_return;
      }
      for (const auto& audience : page.audiences) sink.respond(task.row, {{"data", audience}});
      if (page.next_cursor.empty()) {
        sink.finish(task.row, row_ok(page.answer.status, {}, attempts));
        co_return;
      }
      if (page.next_cursor == cursor) {  // a cursor that leads back to its own page would never end
        sink.finish(task.row, row_failed(page.answer.status, "the API repeated cursor " + cursor, attempts));
        co_return;
      }
      cursor = page.next_cursor;
      co_await sink.checkpoint(task.row, cursor);
    }
  }
};

}  // namespace

const Declaration list_declaration = declare<ListKind>({
    .name = "tw.list",
    .api = &api_declaration,
    .columns = kColumns,
    .budgets = budgets,
});

}  // namespace ab::tw
