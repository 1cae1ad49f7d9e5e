// tw.update: B4, PUT .../tailored_audiences/:id?name=…&description=…. Setting
// a name or description twice gives the same audience, so it is replay-safe.
#include "jobs/kind_list.hpp"

#include "engine/run/coroutine.hpp"
#include "jobs/twitter/kinds.hpp"
#include "jobs/twitter/row_results.hpp"
#include "jobs/twitter/task_builder.hpp"
#include "jobs/twitter/twitter_kind.hpp"

#include <array>

namespace ab::tw {

namespace {

constexpr std::array kColumns = {
    Column{"id", CellType::text, true},
    Column{"name", CellType::text, false},
    Column{"description", CellType::text, false},
};
constexpr Field kId = field(kColumns, "id");
constexpr Field kName = field(kColumns, "name");
constexpr Field kDescription = field(kColumns, "description");
constexpr std::array<std::string_view, 2> kChangeable = {kName.name, kDescription.name};

class UpdateKind final : public TwitterKind {
 public:
  explicit UpdateKind(Context context) : TwitterKind(update_declaration.kind, std::move(context)) {}

  Validation validate(const Row& row, const Fields& fields) const override {
    return TaskBuilder(row, fields).id(kId).text(kName).text(kDescription).any_of(kChangeable).done();
  }

  Awaitable<void> run(std::vector<Task> tasks, Api& api, RowSink& sink) override {
    for (const auto& task : tasks) {
      const std::string id = param(task.params, "id");
      Query query;
      query.add_if("name", param(task.params, "name")).add_if("description", param(task.params, "description"));
      ApiRequest request = context().request(boost::beast::http::verb::put, context().paths.audience(id, query), {task.row});
      const ApiAnswer answer = co_await api.send(std::move(request));
      if (!answer.ok()) {
        sink.finish(task.row, row_failed(answer, answer.attempts));
        continue;
      }
      respond_with_data(sink, task.row, answer);
      sink.finish(task.row, row_ok(answer.status, id, answer.attempts));
    }
  }
};

}  // namespace

const Declaration update_declaration = declare<UpdateKind>({
    .name = "tw.update",
    .api = &api_declaration,
    .columns = kColumns,
    .budgets = budgets,
});

}  // namespace ab::tw
