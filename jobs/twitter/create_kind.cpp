// tw.create: one tailored audience per row (B3), its parameters in the query
// string. Not replay-safe: a lost answer is reconciled, never resent blindly.
#include "jobs/kind_list.hpp"

#include "engine/run/coroutine.hpp"
#include "jobs/twitter/audience_list.hpp"
#include "jobs/twitter/create_reconciler.hpp"
#include "jobs/twitter/kinds.hpp"
#include "jobs/twitter/row_results.hpp"
#include "jobs/twitter/task_builder.hpp"
#include "jobs/twitter/twitter_kind.hpp"

#include <array>

namespace ab::tw {

namespace {

constexpr std::array kColumns = {
    Column{"name", CellType::text, true},
    Column{"description", CellType::text, false},
};
constexpr Field kName = field(kColumns, "name");
constexpr Field kDescription = field(kColumns, "description");

// B3 for the one item of a round: POST .../tailored_audiences?name=…&description=….
class SingleCreate final : public CreateSender {
 public:
  explicit SingleCreate(const Context& context) : context_(context) {}

  Awaitable<CreateRound> send(const std::vector<const CreateItem*>& items, Api& api) override {
    const CreateItem& item = *items.front();
    Query query;
    query.add("name", item.name).add_if("description", param(item.task.params, "description"));
    ApiRequest request =
        context_.request(boost::beast::http::verb::post, context_.paths.audiences(query), {item.task.row});
    request.replay_safe = false;
    const ApiAnswer answer = co_await api.send(std::move(request));

    CreateRound round{{}, answer.status, answer.attempts};
    if (!answer.ok()) {
      round.answers.push_back(answer_for_failure(answer));
      co_return round;
    }
    const auto* body = answer.json.if_object();
    const auto* data = body ? body->if_contains("data") : nullptr;
    if (data && data->is_object() && !audience_field(*data, "id").empty())
      round.answers.push_back({CreateAnswer::Kind::created, data->get_object(), {}});
    else
      round.answers.push_back({CreateAnswer::Kind::unclear, {}, "HTTP " + std::to_string(answer.status) + " without an audience id"});
    co_return round;
  }

 private:
  const Context& context_;
};

class CreateKind final : public TwitterKind {
 public:
  explicit CreateKind(Context context) : TwitterKind(create_declaration.kind, context), reconciler_(std::move(context)) {}

  Validation validate(const Row& row, const Fields& fields) const override {
    return TaskBuilder(row, fields).text(kName).text(kDescription).done();
  }

  Awaitable<void> run(std::vector<Task> tasks, Api& api, RowSink& sink) override {
    SingleCreate sender(context());
    for (auto& task : tasks) {
      std::vector<CreateItem> item;
      std::string name = param(task.params, "name");
      item.push_back({std::move(task), std::move(name)});
      co_await reconciler_.create(std::move(item), sender, api, sink);
    }
  }

 private:
  CreateReconciler reconciler_;
};

}  // namespace

const Declaration create_declaration = declare<CreateKind>({
    .name = "tw.create",
    .api = &api_declaration,
    .columns = kColumns,
    .budgets = budgets,
});

}  // namespace ab::tw
