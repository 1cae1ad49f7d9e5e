// nf.url-import: a demographic profile bootstrapped from a brand's URLs
// (API.md §A3, the seed's "fastest way"), written to --responses; with
// --create, stored as an audience at once (A4) — named by the `name` column,
// else by the first URL's host.
#include "jobs/kind_list.hpp"

#include "engine/run/coroutine.hpp"
#include "jobs/neuroflash/answers.hpp"
#include "jobs/neuroflash/audience_fields.hpp"
#include "jobs/neuroflash/create.hpp"
#include "jobs/neuroflash/neuroflash_kind.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <array>

namespace ab::nf {

namespace json = boost::json;
using boost::beast::http::verb;

namespace {

constexpr std::array<Column, 3> url_import_columns = {{
    {"url", CellType::url_list, true},
    {"audienceModelId", CellType::text, false},
    {"name", CellType::text, false},
}};
constexpr Field kUrls = field(url_import_columns, "url");
constexpr Field kModel = field(url_import_columns, "audienceModelId");
constexpr Field kName = field(url_import_columns, "name");

// Only this kind reads --create and --audience-model.
constexpr std::array<std::string_view, 2> kFlags = {"create", "audience-model"};

std::string host_of(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  return parsed ? std::string(parsed->encoded_host()) : std::string();
}

class UrlImportKind final : public NeuroflashKind {
 public:
  UrlImportKind(const JobConfig& config, Clock clock) : NeuroflashKind(url_import_declaration.kind, config, std::move(clock)) {}

  Validation validate(const Row& row, const Fields& fields) const override {
    const auto urls = fields.list(kUrls);  // at least one: the column is required
    const std::string_view model = fields.text(kModel);
    json::object params{
        {"audienceModelId", model.empty() ? std::string_view(config().audience_model) : model},
        {"urls", json::array(urls.begin(), urls.end())},
    };
    if (config().create) {
      const std::string_view name = fields.text(kName);
      params["name"] = name.empty() ? host_of(urls.front()) : std::string(name);
    }
    Task task;
    task.row = row.number();
    task.params = std::move(params);
    return task;
  }

 protected:
  Awaitable<RowResult> perform(Task task, Api& api, RowSink& sink) override {
    const std::string name = text_field(task.params, "name").value_or("");
    // Only the create records an intent: an import is safe to send again.
    if (task.maybe_sent && config().create) co_return unknown_create(name, session().workspace());

    json::object body{{"audienceModelId", task.params["audienceModelId"]}, {"urls", task.params["urls"]}};
    auto request = session().request(verb::post, session().url_imports_url(), &body,
                                     /*replay_safe=*/true, task.row);
    ApiAnswer imported = co_await api.send(std::move(request));
    if (!imported.ok()) co_return failed_row(imported);
    if (!imported.json.is_object()) co_return failed_row(imported, "the import answered without a profile");
    sink.respond(task.row, {{"data", imported.json}});
    if (!config().create) co_return ok_row(imported, "");

    json::object audience = profile_fields(imported.json.get_object());
    audience["name"] = name;
    RowResult created = co_await create_audience(session(), api, task.row, json::serialize(audience), name);
    created.attempts += imported.attempts;
    co_return created;
  }
};

}  // namespace

const Declaration url_import_declaration = declare<UrlImportKind>({
    .name = "nf.url-import",
    .api = &api_declaration,
    .columns = url_import_columns,
    .budgets = budgets,
    .flags = kFlags,
});

}  // namespace ab::nf
