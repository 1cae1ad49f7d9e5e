// tw.get: rows are coalesced into B1 list requests of up to 200 ids
// (tailored_audience_ids; custom_audience_ids from v9; API.md §C.3), so
// 10,000 rows cost 50 requests.
// with_deleted=true: a get finds a deleted audience too (it comes back with
// "deleted": true) rather than calling it "not found".
#include "jobs/kind_list.hpp"

#include "engine/run/coroutine.hpp"
#include "jobs/twitter/audience_list.hpp"
#include "jobs/twitter/kinds.hpp"
#include "jobs/twitter/row_results.hpp"
#include "jobs/twitter/task_builder.hpp"
#include "jobs/twitter/text.hpp"
#include "jobs/twitter/twitter_kind.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace ab::tw {

namespace {

constexpr std::array kColumns = {Column{"id", CellType::text, true}};
constexpr Field kId = field(kColumns, "id");
constexpr std::size_t kMaxIdsPerRequest = 200;

// One id asked for, by the rows that ask (duplicates share one id in the request).
struct Wanted {
  std::string id;
  std::vector<std::size_t> rows;
  bool done = false;
};

class GetKind final : public TwitterKind {
 public:
  explicit GetKind(Context context) : TwitterKind(get_declaration.kind, std::move(context)) {}

  Validation validate(const Row& row, const Fields& fields) const override {
    return TaskBuilder(row, fields).id(kId).done();
  }

  // No proving request of its own: the rows' own lists are read-only and as
  // cheap, so 1,010 ids cost ceil(1010 / 200) = 6 requests, not 7. The first
  // list proves the credentials instead: refused, it ends the run (exit 2)
  // and no row gets a line.
  Awaitable<StartResult> start(Api&) override {
    if (!context().version_error.empty()) co_return StartResult{false, context().version_error};
    if (const std::string missing = missing_settings(context().endpoints); !missing.empty())
      co_return StartResult{false, "tw.* jobs need " + missing};
    co_return StartResult{};
  }

  Awaitable<void> run(std::vector<Task> tasks, Api& api, RowSink& sink) override {
    std::vector<Wanted> wanted;
    std::map<std::string, std::size_t> by_key;
    for (const auto& task : tasks) {
      const std::string id = param(task.params, "id");
      const auto [it, added] = by_key.emplace(ascii_lower(id), wanted.size());
      if (added) wanted.push_back({id, {}, false});
      wanted[it->second].rows.push_back(task.row);
    }
    // The engine never gives more than batching() allows; the API limit holds regardless.
    for (std::size_t first = 0; first < wanted.size(); first += kMaxIdsPerRequest) {
      const auto last = std::min(wanted.size(), first + kMaxIdsPerRequest);
      co_await fetch(std::span(wanted).subspan(first, last - first), api, sink);
    }
  }

 private:
  Awaitable<void> fetch(std::span<Wanted> wanted, Api& api, RowSink& sink) {
    std::string ids;
    std::vector<std::size_t> rows;
    std::map<std::string, Wanted*> by_key;
    for (auto& w : wanted) {
      ids += (ids.empty() ? "" : ",") + w.id;
      rows.insert(rows.end(), w.rows.begin(), w.rows.end());
      by_key.emplace(ascii_lower(w.id), &w);
    }
    auto finish = [&sink](const Wanted& w, const RowResult& result) {
      for (const auto row : w.rows) sink.finish(row, result);
    };

    unsigned attempts = 0;
    unsigned status = 0;
    std::string cursor;
    do {
      Query query;
      query.add(context().paths.ids_filter(), ids).add("with_deleted", "true").add_if("cursor", cursor);
      ApiRequest request = context().request(boost::beast::http::verb::get, context().paths.audiences(query), rows);
      const ListPage page = co_await fetch_list_page(api, std::move(request));
      attempts += page.answer.attempts;
      status = page.answer.status;
      if (!page.ok() && page.answer.status == 401) {  // a 403 is about an id, not the credentials
        sink.refuse(refused_credentials(context(), page.answer));
        for (const auto& w : wanted)
          if (!w.done) finish(w, row_stopped(attempts, "the credentials were refused"));
        co_return;
      }
      if (!page.ok()) {
        for (const auto& w : wanted)
          if (!w.done) finish(w, row_failed(page.answer, page.failure(), attempts));
        co_return;
      }
      for (const auto& audience : page.audiences) {
        const auto it = by_key.find(ascii_lower(audience_field(audience, "id")));
        if (it == by_key.end() || it->second->done) continue;
        Wanted& w = *it->second;
        w.done = true;
        for (const auto row : w.rows) sink.respond(row, {{"data", audience}});
        finish(w, row_ok(status, audience_field(audience, "id"), attempts));
      }
      cursor = page.next_cursor;
    } while (!cursor.empty());

    for (const auto& w : wanted)
      if (!w.done) finish(w, row_failed(status, "not found: the API returned no audience with this id", attempts));
  }
};

}  // namespace

const Declaration get_declaration = declare<GetKind>({
    .name = "tw.get",
    .api = &api_declaration,
    .columns = kColumns,
    .budgets = budgets,
    .batch = {.max_rows = kMaxIdsPerRequest},
});

}  // namespace ab::tw
