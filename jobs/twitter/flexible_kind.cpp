// tw.flexible: rows become "Create" items of the batch endpoint (B6), at most
// ten per request (the API's limit, API.md §C.1). The batch succeeds or fails
// as a whole: items the API refused fail with its message and the others are
// sent again without them; a lost answer is reconciled by name exactly as
// tw.create does it (CreateReconciler).
#include "jobs/kind_list.hpp"

#include "engine/run/coroutine.hpp"
#include "jobs/twitter/batch_answer.hpp"
#include "jobs/twitter/create_reconciler.hpp"
#include "jobs/twitter/kinds.hpp"
#include "jobs/twitter/row_results.hpp"
#include "jobs/twitter/segments.hpp"
#include "jobs/twitter/task_builder.hpp"
#include "jobs/twitter/twitter_kind.hpp"

#include <boost/json/serialize.hpp>

#include <array>

namespace ab::tw {

namespace {

constexpr std::size_t kMaxBatchItems = 10;
constexpr std::array kColumns = {
    Column{"name", CellType::text, true},
    Column{"segments", CellType::json, true},
    Column{"audience_type", CellType::text, false},
};
constexpr Field kName = field(kColumns, "name");
constexpr Field kSegments = field(kColumns, "segments");
constexpr Field kAudienceType = field(kColumns, "audience_type");
constexpr std::array<std::string_view, 2> kAudienceTypes = {"FLEXIBLE", "MOBILE_AUDIENCE"};

// B6: POST batch/accounts/:id/tailored_audiences with a JSON array of Create items.
class BatchCreate final : public CreateSender {
 public:
  explicit BatchCreate(const Context& context) : context_(context) {}

  Awaitable<CreateRound> send(const std::vector<const CreateItem*>& items, Api& api) override {
    boost::json::array body;
    std::vector<std::size_t> rows;
    for (const auto* item : items) {
      body.push_back(boost::json::object{{"operation_type", "Create"}, {"params", item->task.params}});
      rows.push_back(item->task.row);
    }
    ApiRequest request = context_.request(boost::beast::http::verb::post, context_.paths.batch_audiences(), rows);
    request.body = boost::json::serialize(body);
    request.content_type = "application/json";
    request.replay_safe = false;
    const ApiAnswer answer = co_await api.send(std::move(request));
    co_return CreateRound{read_batch_answer(answer, items.size()), answer.status, answer.attempts};
  }

 private:
  const Context& context_;
};

class FlexibleKind final : public TwitterKind {
 public:
  explicit FlexibleKind(Context context) : TwitterKind(flexible_declaration.kind, context), reconciler_(std::move(context)) {}


  Validation validate(const Row& row, const Fields& fields) const override {
    auto built = TaskBuilder(row, fields).text(kName).one_of(kAudienceType, kAudienceTypes).done();
    auto* task = std::get_if<Task>(&built);
    if (!task) return built;
    const boost::json::value& segments = *fields.json(kSegments);  // required: never empty
    if (auto why = check_segments(segments)) return RowError{std::string(kSegments.name), std::move(*why)};
    if (!task->params.contains(kAudienceType.name)) task->params[kAudienceType.name] = "FLEXIBLE";
    task->params[kSegments.name] = segments;
    return built;
  }

  Awaitable<void> run(std::vector<Task> tasks, Api& api, RowSink& sink) override {
    BatchCreate sender(context());
    // The engine gives at most batching().max_rows; the API limit holds regardless.
    while (!tasks.empty()) {
      const std::size_t n = std::min(tasks.size(), kMaxBatchItems);
      std::vector<CreateItem> items;
      for (std::size_t i = 0; i < n; ++i) {
        std::string name = param(tasks[i].params, "name");
        items.push_back({std::move(tasks[i]), std::move(name)});
      }
      tasks.erase(tasks.begin(), tasks.begin() + static_cast<std::ptrdiff_t>(n));
      co_await reconciler_.create(std::move(items), sender, api, sink);
    }
  }

 private:
  CreateReconciler reconciler_;
};

}  // namespace

const Declaration flexible_declaration = declare<FlexibleKind>({
    .name = "tw.flexible",
    .api = &api_declaration,
    .columns = kColumns,
    .budgets = budgets,
    .batch = {.max_rows = kMaxBatchItems},
});

}  // namespace ab::tw
