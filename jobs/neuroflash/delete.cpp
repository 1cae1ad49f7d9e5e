// nf.delete: one audience by id (API.md §A5). A DELETE is replay-safe: the
// engine sends it again after a lost answer, and the audience the first try
// deleted then answers 404. So a 404 after more than one attempt is taken as
// "already deleted" (ok); a 404 on the first attempt is a wrong id (failed).
#include "jobs/kind_list.hpp"

#include "engine/run/coroutine.hpp"
#include "jobs/neuroflash/answers.hpp"
#include "jobs/neuroflash/neuroflash_kind.hpp"

namespace ab::nf {

using boost::beast::http::verb;

namespace {

constexpr unsigned not_found = 404;

class DeleteKind final : public NeuroflashKind {
 public:
  DeleteKind(const JobConfig& config, Clock clock) : NeuroflashKind(delete_declaration.kind, config, std::move(clock)) {}
  Validation validate(const Row& row, const Fields& fields) const override { return id_task(row, fields); }

 protected:
  Awaitable<RowResult> perform(Task task, Api& api, RowSink&) override {
    const std::string id = text_field(task.params, "id").value_or("");
    auto request = session().request(verb::delete_, session().audience_url(id),
                                     nullptr, true, task.row);
    ApiAnswer answer = co_await api.send(std::move(request));
    if (answer.ok()) co_return ok_row(answer, id);
    if (answer.outcome == ApiOutcome::rejected && answer.status == not_found && answer.attempts > 1) {
      RowResult result = ok_row(answer, id);
      result.error = "already deleted: 404 after an attempt whose answer was lost";
      co_return result;
    }
    co_return failed_row(answer);
  }
};

}  // namespace

const Declaration delete_declaration = declare<DeleteKind>({
    .name = "nf.delete",
    .api = &api_declaration,
    .columns = id_columns(),
    .budgets = budgets,
});

}  // namespace ab::nf
