// nf.get: one audience by id (API.md §A5), written to --responses.
#include "jobs/kind_list.hpp"

#include "engine/run/coroutine.hpp"
#include "jobs/neuroflash/answers.hpp"
#include "jobs/neuroflash/neuroflash_kind.hpp"

namespace ab::nf {

using boost::beast::http::verb;

namespace {

class GetKind final : public NeuroflashKind {
 public:
  GetKind(const JobConfig& config, Clock clock) : NeuroflashKind(get_declaration.kind, config, std::move(clock)) {}
  Validation validate(const Row& row, const Fields& fields) const override { return id_task(row, fields); }

 protected:
  Awaitable<RowResult> perform(Task task, Api& api, RowSink& sink) override {
    const std::string id = text_field(task.params, "id").value_or("");
    auto request = session().request(verb::get, session().audience_url(id), nullptr,
                                     true, task.row);
    ApiAnswer answer = co_await api.send(std::move(request));
    if (!answer.ok()) co_return failed_row(answer);
    if (!answer.json.is_object()) co_return failed_row(answer, "the audience came back without a profile");
    sink.respond(task.row, {{"data", std::move(answer.json)}});
    co_return ok_row(answer, id);
  }
};

}  // namespace

const Declaration get_declaration = declare<GetKind>({
    .name = "nf.get",
    .api = &api_declaration,
    .columns = id_columns(),
    .budgets = budgets,
});

}  // namespace ab::nf
