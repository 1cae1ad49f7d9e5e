#include "jobs/twitter/create_reconciler.hpp"

#include "jobs/twitter/api_errors.hpp"
#include "jobs/twitter/audience_list.hpp"
#include "jobs/twitter/row_results.hpp"
#include "jobs/twitter/task_builder.hpp"
#include "jobs/twitter/text.hpp"
#include "jobs/twitter/timestamps.hpp"

#include <optional>

namespace ab::tw {

struct CreateReconciler::Pending {
  CreateItem item;
  std::optional<SystemTime> window_start;  // nullopt: an audience of any age may be ours
  unsigned attempts = 0;
  unsigned unclear_sends = 0;
  bool may_exist = false;
  unsigned last_status = 0;
  std::string last_error;
};

struct CreateReconciler::Lookup {
  enum class Kind { found, absent, failed, stopped };
  Kind kind = Kind::absent;
  boost::json::object audience;
  unsigned status = 0;
  unsigned attempts = 0;
  std::string error;
};

namespace {

std::string check_hint(const std::string& name) {
  return "check the audiences listed with q=" + name + " before sending it again";
}

}  // namespace

CreateAnswer answer_for_failure(const ApiResponse& response) {
  switch (response.outcome) {
    case ApiOutcome::ambiguous:
      return {CreateAnswer::Kind::unclear, {}, response.error};
    case ApiOutcome::stopped:
      return {CreateAnswer::Kind::stopped, {}, response.error};
    case ApiOutcome::ok:
    case ApiOutcome::rejected:
    case ApiOutcome::exhausted:
      break;
  }
  return {CreateAnswer::Kind::failed, {}, describe_failure(response)};
}

bool CreateReconciler::claim(const std::string& id) {
  std::lock_guard lock(mutex_);
  return claimed_.insert(id).second;
}

bool CreateReconciler::claimed(const std::string& id) {
  std::lock_guard lock(mutex_);
  return claimed_.contains(id);
}

boost::asio::awaitable<CreateReconciler::Lookup> CreateReconciler::look_up(const Pending& pending, Api& api) {
  Lookup out;
  Query base;
  base.add("q", utf8_prefix(pending.item.name, kMaxQueryLength)).add("count", kMaxPageSize).add("with_deleted", "false");
  std::optional<SystemTime> best_created;
  std::string cursor;
  do {
    Query query = base;
    query.add_if("cursor", cursor);
    // Built apart from the co_await: GCC 12 mishandles braced temporaries inside it.
    ApiRequest request =
        context_.request(boost::beast::http::verb::get, context_.paths.audiences(query), {pending.item.task.row});
    auto page = co_await fetch_list_page(api, std::move(request));
    out.attempts += page.response.attempts;
    out.status = page.response.status;
    if (!page.ok()) {
      out.kind = page.response.outcome == ApiOutcome::stopped ? Lookup::Kind::stopped : Lookup::Kind::failed;
      out.error = page.failure();
      co_return out;
    }
    for (auto& audience : page.audiences) {
      const std::string id = audience_field(audience, "id");
      if (id.empty() || audience_field(audience, "name") != pending.item.name || claimed(id)) continue;
      const auto created = parse_utc_timestamp(audience_field(audience, "created_at"));
      if (pending.window_start && (!created || *created < *pending.window_start)) continue;
      // Our first send made the earliest of several candidates.
      const bool earlier = out.audience.empty() || (created && (!best_created || *created < *best_created));
      if (!earlier) continue;
      out.audience = audience.as_object();
      best_created = created;
    }
    cursor = page.next_cursor;
  } while (!cursor.empty());
  out.kind = !out.audience.empty() && claim(audience_field(out.audience, "id")) ? Lookup::Kind::found
                                                                                : Lookup::Kind::absent;
  co_return out;
}

boost::asio::awaitable<void> CreateReconciler::create(std::vector<CreateItem> items, CreateSender& sender, Api& api,
                                                      RowSink& sink) {
  const SystemTime now = context_.clock();
  std::vector<Pending> pending;
  pending.reserve(items.size());
  for (auto& item : items) {
    Pending p;
    p.item = std::move(item);
    p.may_exist = p.item.task.maybe_sent;
    if (const auto sent_at = parse_send_time_checkpoint(p.item.task.checkpoint)) {
      p.window_start = *sent_at - context_.created_margin;
    } else if (!p.may_exist) {
      co_await sink.checkpoint(p.item.task.row, send_time_checkpoint(now));
      p.window_start = now - context_.created_margin;
    }
    pending.push_back(std::move(p));
  }

  auto finish = [&sink](const Pending& p, RowResult result) { sink.finish(p.item.task.row, std::move(result)); };
  auto adopt = [&](const Pending& p, boost::json::object audience, unsigned status) {
    std::string id = audience_field(audience, "id");
    sink.respond(p.item.task.row, {{"data", std::move(audience)}});
    finish(p, row_ok(status, std::move(id), p.attempts));
  };

  // Each round sends; only unclear answers repeat a round without shrinking
  // it, and those are bounded by kMaxUnclearSends per item.
  const std::size_t max_rounds = pending.size() + kMaxUnclearSends;
  for (std::size_t round = 0; !pending.empty(); ++round) {
    std::vector<Pending> to_send;
    for (auto& p : pending) {
      if (!p.may_exist) {
        to_send.push_back(std::move(p));
        continue;
      }
      Lookup found = co_await look_up(p, api);
      p.attempts += found.attempts;
      switch (found.kind) {
        case Lookup::Kind::found:
          adopt(p, std::move(found.audience), found.status);
          break;
        case Lookup::Kind::stopped:
          finish(p, row_stopped(p.attempts, found.error));
          break;
        case Lookup::Kind::failed:
          finish(p, row_unknown(found.status,
                                "the create may have been applied and looking it up failed (" + found.error +
                                    "): " + check_hint(p.item.name),
                                p.attempts));
          break;
        case Lookup::Kind::absent:
          if (p.unclear_sends >= kMaxUnclearSends) {
            finish(p, row_unknown(p.last_status,
                                  "sent " + std::to_string(p.unclear_sends) + " times without an answer (" +
                                      p.last_error + ") and not listed yet: " + check_hint(p.item.name),
                                  p.attempts));
          } else {
            p.may_exist = false;
            to_send.push_back(std::move(p));
          }
          break;
      }
    }
    pending = std::move(to_send);
    if (pending.empty()) break;
    if (round == max_rounds) {
      for (const auto& p : pending)
        finish(p, row_failed(p.last_status, "not created after " + std::to_string(round) + " requests: " + p.last_error,
                             p.attempts));
      break;
    }

    std::vector<const CreateItem*> batch;
    for (const auto& p : pending) batch.push_back(&p.item);
    CreateRound sent = co_await sender.send(batch, api);

    std::vector<Pending> again;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      Pending& p = pending[i];
      CreateAnswer answer = i < sent.answers.size()
                                ? std::move(sent.answers[i])
                                : CreateAnswer{CreateAnswer::Kind::unclear, {}, "the answer has no item for this row"};
      p.attempts += sent.attempts;
      p.last_status = sent.http_status;
      switch (answer.kind) {
        case CreateAnswer::Kind::created:
          claim(audience_field(answer.audience, "id"));
          adopt(p, std::move(answer.audience), sent.http_status);
          break;
        case CreateAnswer::Kind::failed:
          finish(p, row_failed(sent.http_status, std::move(answer.error), p.attempts));
          break;
        case CreateAnswer::Kind::stopped:
          finish(p, row_stopped(p.attempts, std::move(answer.error)));
          break;
        case CreateAnswer::Kind::unclear:
          ++p.unclear_sends;
          p.may_exist = true;
          p.last_error = std::move(answer.error);
          again.push_back(std::move(p));
          break;
        case CreateAnswer::Kind::not_applied:
          p.last_error = std::move(answer.error);
          again.push_back(std::move(p));
          break;
      }
    }
    pending = std::move(again);
  }
}

}  // namespace ab::tw
