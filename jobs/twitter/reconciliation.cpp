#include "jobs/twitter/reconciliation.hpp"

#include "jobs/twitter/audience_list.hpp"
#include "jobs/twitter/row_results.hpp"
#include "jobs/twitter/timestamps.hpp"

namespace ab::tw {

namespace {

std::string check_hint(const std::string& name) {
  return "check the audiences listed with q=" + name + " before sending it again";
}

}  // namespace

CreateWindow create_window(std::string_view checkpoint, bool maybe_sent, SystemTime now,
                           std::chrono::seconds margin) {
  if (const auto sent_at = parse_send_time_checkpoint(checkpoint)) return {*sent_at - margin, std::nullopt};
  if (maybe_sent) return {};
  return {now - margin, send_time_checkpoint(now)};
}

Reconciliation::Reconciliation(std::vector<std::string> names, std::vector<bool> may_exist)
    : names_(std::move(names)), max_rounds_(names_.size() + kMaxUnclearSends) {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    Pending p;
    p.item = i;
    p.may_exist = i < may_exist.size() && may_exist[i];
    pending_.push_back(std::move(p));
  }
}

void Reconciliation::end(const Pending& p, RowResult result, boost::json::object audience, bool claim) {
  ends_.push_back(ReconcileEnd{p.item, std::move(result), std::move(audience), claim});
}

ReconcileStep Reconciliation::next() {
  // Items that may exist are looked up first; the others go to this round's request.
  while (cursor_ < pending_.size()) {
    Pending& p = pending_[cursor_];
    if (p.may_exist) return ReconcileStep{ReconcileStep::Kind::look_up, p.item, {}};
    to_send_.push_back(std::move(p));
    ++cursor_;
  }
  pending_ = std::exchange(to_send_, {});
  cursor_ = 0;
  if (pending_.empty()) return {};
  if (round_ == max_rounds_) {
    for (const auto& p : pending_)
      end(p, row_failed(p.last_status, "not created after " + std::to_string(round_) + " requests: " + p.last_error,
                        p.attempts));
    pending_.clear();
    return {};
  }
  ReconcileStep step{ReconcileStep::Kind::send, 0, {}};
  for (const auto& p : pending_) step.items.push_back(p.item);
  return step;
}

void Reconciliation::looked_up(Lookup found) {
  Pending& p = pending_[cursor_++];
  p.attempts += found.attempts;
  switch (found.kind) {
    case Lookup::Kind::found: {
      std::string id = audience_field(found.audience, "id");
      end(p, row_ok(found.status, std::move(id), p.attempts), std::move(found.audience));
      return;
    }
    case Lookup::Kind::stopped:
      end(p, row_stopped(p.attempts, found.error));
      return;
    case Lookup::Kind::failed:
      end(p, row_unknown(found.status,
                         "the create may have been applied and looking it up failed (" + found.error +
                             "): " + check_hint(names_[p.item]),
                         p.attempts));
      return;
    case Lookup::Kind::absent:
      if (p.unclear_sends >= kMaxUnclearSends) {
        end(p, row_unknown(p.last_status,
                           "sent " + std::to_string(p.unclear_sends) + " times without an answer (" + p.last_error +
                               ") and not listed yet: " + check_hint(names_[p.item]),
                           p.attempts));
        return;
      }
      p.may_exist = false;
      to_send_.push_back(std::move(p));
      return;
  }
}

void Reconciliation::sent(CreateRound round) {
  std::vector<Pending> again;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    Pending& p = pending_[i];
    CreateAnswer answer = i < round.answers.size()
                              ? std::move(round.answers[i])
                              : CreateAnswer{CreateAnswer::Kind::unclear, {}, "the answer has no item for this row"};
    p.attempts += round.attempts;
    p.last_status = round.http_status;
    switch (answer.kind) {
      case CreateAnswer::Kind::created: {
        std::string id = audience_field(answer.audience, "id");
        end(p, row_ok(round.http_status, std::move(id), p.attempts), std::move(answer.audience), true);
        break;
      }
      case CreateAnswer::Kind::failed:
        end(p, row_failed(round.http_status, std::move(answer.error), p.attempts));
        break;
      case CreateAnswer::Kind::stopped:
        end(p, row_stopped(p.attempts, std::move(answer.error)));
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
  pending_ = std::move(again);
  cursor_ = 0;
  ++round_;
}

}  // namespace ab::tw
