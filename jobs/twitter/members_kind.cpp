// tw.members: rows add people to or remove them from tailored audiences
// (API.md §B8), hashed (member_identifiers.hpp). The engine gathers one
// audience's rows into batches of at most 2,500 users and 5,000,000 bytes;
// a request groups consecutive rows of the same operation and params into
// one operation carrying their users (member_requests.hpp). Adds
// and removes are idempotent: a lost answer or a success_count that is not
// the total is simply sent again, and no row ever ends `unknown`.
#include "jobs/kind_list.hpp"

#include "engine/run/coroutine.hpp"
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

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <span>
#include <utility>
#include <vector>

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

  Awaitable<void> run(std::vector<Task> tasks, Api& api, RowSink& sink) override {
    // The engine gives one audience a call (the batch key): taken as it is,
    // without moving 2,500 tasks.
    const bool one_audience = std::all_of(tasks.begin(), tasks.end(),
                                          [&](const Task& t) { return t.batch_key == tasks.front().batch_key; });
    if (one_audience && !tasks.empty()) {
      const std::string audience = tasks.front().batch_key;
      co_await run_audience(audience, std::move(tasks), api, sink);
      co_return;
    }
    // The API's path holds one audience regardless.
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
      if (!kind.wake_) return;
      // The timer belongs to the run's io_context, which ends before the
      // kind does: it goes with the last turn (no one waits on it then).
      if (kind.turns_.empty()) {
        kind.wake_.reset();
      } else {
        kind.wake_->cancel();
      }
    }
  };

  Awaitable<void> wait_turn(AudienceTurns::Ticket ticket) {
    while (!turns_.may_go(ticket)) {
      if (!wake_) {
        wake_.emplace(co_await boost::asio::this_coro::executor);
        wake_->expires_at(SteadyTimer::time_point::max());
      }
      co_await wake_->async_wait(boost::asio::as_tuple(use_awaitable));
    }
  }

  // What the turn of a request set is: the operations it carries, and the
  // one head (operation and params) all its rows share, "" when they differ.
  static std::pair<unsigned, std::string_view> turn_of(const std::vector<Task>& tasks) {
    unsigned operations = 0;
    std::string_view head = member_item_parts(tasks.front().body).head;
    for (const auto& task : tasks) {
      operations |= removes(task) ? AudienceTurns::kRemoves : AudienceTurns::kAdds;
      if (member_item_parts(task.body).head != head) head = {};
    }
    // Adds with different params (effective_at, expires_at) may not overtake each other either.
    if (head.empty()) operations = AudienceTurns::kAdds | AudienceTurns::kRemoves;
    return {operations, head};
  }

  // Sends the audience's rows in their order: each request takes the first
  // rows left, and the rows it must send again stay first, so no row ever
  // overtakes an earlier one of the same person.
  Awaitable<void> run_audience(const std::string& audience, std::vector<Task> tasks, Api& api,
                                            RowSink& sink) {
    const auto kind_of_turn = turn_of(tasks);
    Turn turn{*this, turns_.enter(audience, kind_of_turn.first, std::string(kind_of_turn.second))};
    co_await wait_turn(turn.ticket);

    std::vector<unsigned> attempts(tasks.size(), 0);
    std::vector<bool> alone(tasks.size(), false);
    std::vector<std::size_t> pending(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) pending[i] = i;
    unsigned short_answers = 0;
    std::vector<MemberItem> items;
    while (!pending.empty()) {
      items.clear();
      for (auto i : pending) items.push_back({tasks[i].body, alone[i]});
      const auto plan = plan_members_request(items, kMaxMembersPerRequest, kMaxMembersBodyBytes);
      const std::span<const std::size_t> sent(pending.data(), plan.items);
      const auto answer = co_await send(audience, tasks, sent, members_request_body(items, plan), api);
      const auto verdict = read_members_answer(answer, plan.operation_users);
      for (auto i : sent) attempts[i] += answer.attempts;
      std::vector<std::size_t> kept;  // the sent rows to send again
      using Kind = MembersVerdict::Kind;
      switch (verdict.kind) {
        case Kind::stopped:
          // The rows not ended stay for the next run.
          for (auto i : pending) sink.finish(tasks[i].row, row_stopped(attempts[i], answer.error));
          co_return;
        case Kind::applied:
          for (auto i : sent) sink.finish(tasks[i].row, row_ok(answer.status, audience, attempts[i]));
          break;
        case Kind::failed:
          for (auto i : sent) sink.finish(tasks[i].row, row_failed(answer.status, verdict.error, attempts[i]));
          break;
        case Kind::refused:
          for (std::size_t k = 0; k < sent.size(); ++k) {
            const auto i = sent[k];
            if (!verdict.item_errors[k].empty()) {
              sink.finish(tasks[i].row, row_failed(answer.status, verdict.item_errors[k], attempts[i]));
              continue;
            }
            alone[i] = alone[i] || verdict.alone[k];
            kept.push_back(i);
          }
          break;
        case Kind::resend:
          if (++short_answers > kMaxShortAnswers) {
            for (auto i : sent)
              sink.finish(tasks[i].row, row_failed(answer.status, verdict.error + " (sent " +
                                                                       std::to_string(short_answers) + " times)",
                                                   attempts[i]));
          } else {
            kept.assign(sent.begin(), sent.end());
          }
          break;
      }
      kept.insert(kept.end(), pending.begin() + static_cast<std::ptrdiff_t>(plan.items), pending.end());
      pending = std::move(kept);
    }
  }

  Awaitable<ApiAnswer> send(const std::string& audience, const std::vector<Task>& tasks,
                                         std::span<const std::size_t> sent, std::string body, Api& api) {
    std::vector<std::size_t> rows;
    rows.reserve(sent.size());
    for (auto i : sent) rows.push_back(tasks[i].row);
    ApiRequest request =
        context().request(boost::beast::http::verb::post, context().paths.audience_users(audience), std::move(rows));
    request.budgets.push_back(kMembersBudget);
    request.body = std::move(body);
    request.content_type = "application/json";
    request.replay_safe = true;  // adding or removing twice is doing it once (API.md §B8)
    co_return co_await api.send(std::move(request));
  }

  AudienceTurns turns_;
  std::optional<SteadyTimer> wake_;
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
