// tw.count: one B1 request per row with with_total_count=true and count=1,
// never a cursor (the API forbids the two together), charged to the
// "tw.total_count" budget (200 per 15 minutes) as well as "tw".
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
    Column{"q", CellType::text, true},
    Column{"permission_scope", CellType::text, false},
    Column{"with_deleted", CellType::boolean, false},
};
constexpr FilterFields kFilters = filter_fields(kColumns);

// X allows with_total_count 200 times in 15 minutes; the default keeps within it.
constexpr std::array<BudgetDeclaration, 2> kBudgets = {
    {{kBudget}, {kTotalCountBudget, 200, std::chrono::minutes(15)}}};

class CountKind final : public TwitterKind {
 public:
  explicit CountKind(Context context) : TwitterKind(count_declaration.kind, std::move(context)) {}

  Validation validate(const Row& row, const Fields& fields) const override {
    TaskBuilder builder(row, fields);
    return add_filters(builder, kFilters).done();
  }

  Awaitable<void> run(std::vector<Task> tasks, Api& api, RowSink& sink) override {
    for (const auto& task : tasks) {
      Query query;
      add_filters(query, task.params);
      query.add("with_total_count", "true").add("count", "1");
      ApiRequest request = context().request(boost::beast::http::verb::get, context().paths.audiences(query), {task.row});
      request.budgets.push_back(kTotalCountBudget);
      const ListPage page = co_await fetch_list_page(api, std::move(request));
      const unsigned attempts = page.answer.attempts;
      if (!page.ok()) {
        sink.finish(task.row, row_failed(page.answer, page.failure(), attempts));
      } else if (!page.total_count) {
        sink.finish(task.row, row_failed(page.answer.status, "the answer has no total_count", attempts));
      } else {
        sink.respond(task.row, {{"q", param(task.params, "q")}, {"total_count", *page.total_count}});
        sink.finish(task.row, row_ok(page.answer.status, {}, attempts));
      }
    }
  }
};

}  // namespace

const Declaration count_declaration = declare<CountKind>({
    .name = "tw.count",
    .api = &api_declaration,
    .columns = kColumns,
    .budgets = kBudgets,
});

}  // namespace ab::tw
