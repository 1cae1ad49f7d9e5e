// tw.members: rows add people to or remove them from tailored audiences
// (API.md §B8), hashed (member_identifiers.hpp). The engine gathers one
// audience's rows into batches of at most 2,500 users and 5,000,000 bytes;
// each row is one operation item, so that operation_errors name rows. Adds
// and removes are idempotent: a lost answer or a success_count that is not
// the total is simply sent again, and no row ever ends `unknown`.
#include "jobs/kind_list.hpp"
#include "jobs/twitter/audience_turns.hpp"
#include "jobs/twitter/kinds.hpp"
#include "jobs/twitter/member_requests.hpp"
#include "jobs/twitter/member_task.hpp"
#include "jobs/twitter/row_results.hpp"
#include "jobs/twitter/twitter_kind.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <map>
#include <optional>

namespace ab::tw {

namespace {

// Budget of the membership endpoint (SPEC.md §6 --rate; 1,500 a minute by default).
constexpr const char* kMembersBudget = "tw.members";
constexpr std::array<BudgetDeclaration, 2> kBudgets = {{{kBudget}, {kMembersBudget, 1500, std::chrono::minutes(1)}}};
// A success_count short of the total is sent again this many times before its rows fail.
constexpr unsigned kMaxShortAnswers = 8;

class MembersKind final : public TwitterKind {
 public:
  explicit MembersKind(Context context) : TwitterKind(members_declaration.kind, std::move(context)) {}

  std::optional<std::string> header_problem(std::span<const std::string> header) const override {
    return member_header_problem(header);
  }
  Validation validate(const Row&, const Fields& fields) const override { return member_task(fields); }

  boost::asio::awaitable<void> run(std::vector<Task> tasks, Api& api, RowSink& sink) override {
    // The engine gives one audience a call; the API's path holds one regardless.
    std::map<std::string, std::vector<Task>> by_audience;
    std::vector<std::string> order;
    for (auto& task : tasks) {
      auto [at, added] = by_audience.try_emplace(task.batch_key);
      if (added) order.push_back(at->first);
      at->second.push_back(std::move(task));
    }
    for (const auto& audience : order) co_await run_audience(audience, std::move(by_audience[audience]), api, sink);
  }

 private:
  // Holds an audience's turn while a request set is out; leaving wakes the waiting ones.
  struct Turn {
    MembersKind& kind;
    AudienceTurns::Ticket ticket;
    ~Turn() {
      kind.turns_.leave(ticket);
      if (kind.wake_) kind.wake_->cancel();
    }
  };

  boost::asio::awaitable<void> wait_turn(AudienceTurns::Ticket ticket) {
    while (!turns_.may_go(ticket)) {
      if (!wake_) {
        wake_.emplace(co_await boost::asio::this_coro::executor);
        wake_->expires_at(boost::asio::steady_timer::time_point::max());
      }
      co_await wake_->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
  }

  boost::asio::awaitable<void> run_audience(const std::string& audience, std::vector<Task> tasks, Api& api,
                                            RowSink& sink) {
    unsigned operations = 0;
    for (const auto& task : tasks)
      operations |= removes(task) ? AudienceTurns::kRemoves : AudienceTurns::kAdds;
    Turn turn{*this, turns_.enter(audience, operations)};
    co_await wait_turn(turn.ticket);

    std::vector<unsigned> attempts(tasks.size(), 0);
    std::vector<std::size_t> pending(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) pending[i] = i;
    unsigned short_answers = 0;
    while (!pending.empty()) {
      std::vector<std::size_t> again;
      std::vector<std::size_t> bytes;
      for (auto i : pending) bytes.push_back(tasks[i].body.size());
      const auto plan = plan_member_requests(bytes, kMaxMembersPerRequest, kMaxMembersBodyBytes);
      for (std::size_t r = 0; r < plan.size(); ++r) {
        const auto& request = plan[r];
        std::vector<std::size_t> items;
        for (auto k : request) items.push_back(pending[k]);
        const auto answer = co_await send(audience, tasks, items, api);
        const auto verdict = read_members_answer(answer, items.size());
        for (auto i : items) attempts[i] += answer.attempts;
        using Kind = MembersVerdict::Kind;
        switch (verdict.kind) {
          case Kind::stopped: {
            // This request's rows, the round's later ones and those to send
            // again stay for the next run.
            const auto stop = [&](std::size_t i) { sink.finish(tasks[i].row, row_stopped(attempts[i], answer.error)); };
            for (auto i : items) stop(i);
            for (auto i : again) stop(i);
            for (std::size_t later = r + 1; later < plan.size(); ++later)
              for (auto k : plan[later]) stop(pending[k]);
            co_return;
          }
          case Kind::applied:
            for (auto i : items) sink.finish(tasks[i].row, row_ok(answer.status, audience, attempts[i]));
            break;
          case Kind::failed:
            for (auto i : items) sink.finish(tasks[i].row, row_failed(answer.status, verdict.error, attempts[i]));
            break;
          case Kind::refused:
            for (std::size_t k = 0; k < items.size(); ++k) {
              if (verdict.item_errors[k].empty())
                again.push_back(items[k]);
              else
                sink.finish(tasks[items[k]].row, row_failed(answer.status, verdict.item_errors[k], attempts[items[k]]));
            }
            break;
          case Kind::resend:
            if (++short_answers > kMaxShortAnswers) {
              for (auto i : items)
                sink.finish(tasks[i].row, row_failed(answer.status, verdict.error + " (sent " +
                                                                         std::to_string(short_answers) + " times)",
                                                     attempts[i]));
            } else {
              again.insert(again.end(), items.begin(), items.end());
            }
            break;
        }
      }
      pending = std::move(again);
    }
  }

  boost::asio::awaitable<ApiAnswer> send(const std::string& audience, const std::vector<Task>& tasks,
                                           const std::vector<std::size_t>& items, Api& api) {
    std::vector<std::string_view> bodies;
    std::vector<std::size_t> rows;
    for (auto i : items) {
      bodies.push_back(tasks[i].body);
      rows.push_back(tasks[i].row);
    }
    ApiRequest request =
        context().request(boost::beast::http::verb::post, context().paths.audience_users(audience), std::move(rows));
    request.budgets.push_back(kMembersBudget);
    request.body = members_body(bodies);
    request.content_type = "application/json";
    request.replay_safe = true;  // adding or removing twice is doing it once (API.md §B8)
    co_return co_await api.send(std::move(request));
  }

  AudienceTurns turns_;
  std::optional<boost::asio::steady_timer> wake_;
};

}  // namespace

const Declaration members_declaration = declare<MembersKind>({
    .name = "tw.members",
    .api = &api_declaration,
    .columns = member_columns(),
    .budgets = kBudgets,
    .batch = {.max_rows = kMaxMembersPerRequest,
              .max_bytes = kMaxMembersBodyBytes - members_body_size(1, 0) + 1},  // items' bytes with their commas
});

}  // namespace ab::tw
