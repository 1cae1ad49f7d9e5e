// nf.update: a change to one audience (API.md §A5). PUT replaces the whole
// profile, so the row's way is get, overlay the non-empty cells, put it all
// back. A full PUT is idempotent: sending it twice leaves the same audience,
// so it is replay-safe and the engine may retry it after a lost answer.
#include "jobs/kind_list.hpp"

#include "engine/run/coroutine.hpp"
#include "jobs/neuroflash/answers.hpp"
#include "jobs/neuroflash/audience_fields.hpp"
#include "jobs/neuroflash/neuroflash_kind.hpp"

namespace ab::nf {

namespace json = boost::json;
using boost::beast::http::verb;

namespace {

class UpdateKind final : public NeuroflashKind {
 public:
  UpdateKind(const JobConfig& config, Clock clock) : NeuroflashKind(update_declaration.kind, config, std::move(clock)) {}

  Validation validate(const Row& row, const Fields& fields) const override {
    Validation task = id_task(row, fields);
    auto changes = audience_fields(fields, FieldMode::update);
    if (auto* error = std::get_if<RowError>(&changes)) return std::move(*error);
    std::get<Task>(task).params["changes"] = std::move(std::get<json::object>(changes));
    return task;
  }

 protected:
  Awaitable<RowResult> perform(Task task, Api& api, RowSink& sink) override {
    const std::string id = text_field(task.params, "id").value_or("");
    const std::string url = session().audience_url(id);

    ApiRequest get = session().request(verb::get, url, nullptr, true, task.row);
    ApiAnswer current = co_await api.send(std::move(get));
    if (!current.ok()) co_return failed_row(current);
    if (!current.json.is_object()) co_return failed_row(current, "the audience came back without a profile");

    auto merged = merged_profile(current.json.get_object(), task.params["changes"].as_object());
    if (auto* why = std::get_if<std::string>(&merged)) co_return failed_row(current, "PUT not sent: " + *why);
    const json::object& body = std::get<json::object>(merged);
    ApiRequest replace = session().request(verb::put, url, &body, true, task.row);
    ApiAnswer put = co_await api.send(std::move(replace));
    RowResult result = put.ok() ? ok_row(put, id) : failed_row(put);
    result.attempts += current.attempts;  // the row's attempts: the GET's and the PUT's
    if (put.ok() && put.json.is_object()) sink.respond(task.row, {{"data", std::move(put.json)}});
    co_return result;
  }
};

}  // namespace

const Declaration update_declaration = declare<UpdateKind>({
    .name = "nf.update",
    .api = &api_declaration,
    .columns = update_columns(),
    .budgets = budgets,
});

}  // namespace ab::nf
