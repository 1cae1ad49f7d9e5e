// nf.create: one target audience per row (SPEC.md §4, API.md §A4).
#include "jobs/neuroflash/create.hpp"

#include "jobs/neuroflash/answers.hpp"
#include "jobs/neuroflash/audience_fields.hpp"
#include "jobs/neuroflash/neuroflash_kind.hpp"

#include <boost/json/monotonic_resource.hpp>

namespace ab::nf {

namespace json = boost::json;
using boost::beast::http::verb;

RowResult unknown_create(std::string_view name, std::string_view workspace, unsigned http_status,
                         unsigned attempts) {
  return {.status = RowStatus::unknown,
          .http_status = http_status,
          .id = {},
          .attempts = attempts,
          .error = "create may have been applied: look for audience \"" + std::string(name) + "\" in workspace " +
                   std::string(workspace) + " before re-running this row"};
}

boost::asio::awaitable<RowResult> create_audience(Session& session, Api& api, std::size_t row, json::object body,
                                                  json::value* created) {
  auto request = session.request(verb::post, session.audiences_url(), &body, /*replay_safe=*/false, row);
  ApiResponse answer = co_await session.send(api, std::move(request));
  if (answer.outcome == ApiOutcome::ambiguous)
    co_return unknown_create(text_field(body, "name").value_or(""), session.workspace(), answer.status,
                             answer.attempts);
  if (!answer.ok()) co_return failed_row(answer);
  auto id = text_field(answer.json, "id");
  RowResult result = ok_row(answer, id.value_or(""));
  if (!id) result.error = "created, but the answer carried no id";
  if (created) *created = std::move(answer.json);
  co_return result;
}

namespace {

// A row's body takes about 1.5 KB of nodes.
constexpr std::size_t arena_size = 2048;

class CreateKind final : public NeuroflashKind {
 public:
  using NeuroflashKind::NeuroflashKind;
  std::string_view name() const override { return "nf.create"; }
  std::span<const Column> columns() const override { return create_columns(); }

  // The task's JSON lives in one arena per row: two allocations instead of
  // one per object, array and long string, and freed without walking it.
  Validation validate(const Row& row) const override {
    auto arena = json::make_shared_resource<json::monotonic_resource>(arena_size);
    auto fields = audience_fields(row, FieldMode::create, arena);
    if (auto* error = std::get_if<RowError>(&fields)) return std::move(*error);
    Task task{.row = row.number(), .params = json::object(arena), .maybe_sent = false, .checkpoint = {}};
    task.params["body"] = std::move(std::get<json::object>(fields));
    return task;
  }

 protected:
  boost::asio::awaitable<RowResult> perform(Task task, Api& api, RowSink& sink) override {
    json::object& body = task.params["body"].as_object();
    if (task.maybe_sent) co_return unknown_create(text_field(body, "name").value_or(""), session().workspace());
    if (!sink.responding()) co_return co_await create_audience(session(), api, task.row, std::move(body), nullptr);
    json::value created;
    RowResult result = co_await create_audience(session(), api, task.row, std::move(body), &created);
    if (created.is_object()) sink.respond(task.row, {{"data", std::move(created)}});
    co_return result;
  }
};

}  // namespace

std::unique_ptr<JobKind> make_create_kind(const JobConfig& config, Clock clock) {
  return std::make_unique<CreateKind>(config, std::move(clock));
}

}  // namespace ab::nf
