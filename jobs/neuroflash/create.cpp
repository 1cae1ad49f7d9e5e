// nf.create: one target audience per row (SPEC.md §4, API.md §A4).
#include "jobs/kind_list.hpp"

#include "engine/run/coroutine.hpp"
#include "jobs/neuroflash/create.hpp"

#include "engine/send/answer_json.hpp"
#include "jobs/neuroflash/answers.hpp"
#include "jobs/neuroflash/audience_fields.hpp"
#include "jobs/neuroflash/neuroflash_kind.hpp"

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

Awaitable<RowResult> create_audience(Session& session, Api& api, std::size_t row, std::string json_body,
                                                  std::string_view name, json::value* created) {
  auto request =
      session.request_json(verb::post, session.audiences_url(), std::move(json_body), /*replay_safe=*/false, row);
  // Only the id is read from a created audience, unless it is kept whole.
  request.parse_ok_answer = created != nullptr;
  ApiAnswer answer = co_await api.send(std::move(request));
  if (answer.outcome == ApiOutcome::ambiguous)
    co_return unknown_create(name, session.workspace(), answer.status, answer.attempts);
  if (!answer.ok()) co_return failed_row(answer);
  auto id = created ? text_field(answer.json, "id") : answer_text_member(answer.body, "id");
  RowResult result = ok_row(answer, id.value_or(""));
  if (!id) result.error = "created, but the answer carried no id";
  if (created) *created = std::move(answer.json);
  co_return result;
}

namespace {

class CreateKind final : public NeuroflashKind {
 public:
  CreateKind(const JobConfig& config, Clock clock) : NeuroflashKind(create_declaration.kind, config, std::move(clock)) {}

  // The body is written as JSON text straight from the row, not through a
  // DOM built only to be serialized (bench/README.md, "Tuning history").
  Validation validate(const Row& row, const Fields& fields) const override {
    auto body = create_body(fields);
    if (auto* error = std::get_if<RowError>(&body)) return std::move(*error);
    Task task;
    task.row = row.number();
    task.body = std::move(std::get<CreateBody>(body).json);  // the name is read back from it (created_name)
    return task;
  }

 protected:
  Awaitable<RowResult> perform(Task task, Api& api, RowSink& sink) override {
    const NameText name_text = created_name(task.body);
    const std::string_view name(name_text.data(), name_text.size());
    if (task.maybe_sent) co_return unknown_create(name, session().workspace());
    if (!sink.responding())
      co_return co_await create_audience(session(), api, task.row, std::move(task.body), name, nullptr);
    json::value created;
    RowResult result = co_await create_audience(session(), api, task.row, std::move(task.body), name, &created);
    if (created.is_object()) sink.respond(task.row, {{"data", std::move(created)}});
    co_return result;
  }
};

}  // namespace

const Declaration create_declaration = declare<CreateKind>({
    .name = "nf.create",
    .api = &api_declaration,
    .columns = create_columns(),
    .budgets = budgets,
});

}  // namespace ab::nf
