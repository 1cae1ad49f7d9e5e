#include "jobs/twitter/audience_turns.hpp"

#include <algorithm>
#include <utility>

namespace ab::tw {

AudienceTurns::Ticket AudienceTurns::enter(const std::string& audience, unsigned operations, std::string params) {
  const Ticket ticket = next_++;
  queues_[audience].push_back({ticket, operations, std::move(params)});
  audience_of_.emplace(ticket, audience);
  return ticket;
}

bool AudienceTurns::may_go(Ticket ticket) const {
  const auto where = audience_of_.find(ticket);
  if (where == audience_of_.end()) return true;
  const auto& queue = queues_.at(where->second);
  const auto self = std::find_if(queue.begin(), queue.end(), [&](const Entry& e) { return e.ticket == ticket; });
  const bool single = self->operations == kAdds || self->operations == kRemoves;
  return std::all_of(queue.begin(), self,
                     [&](const Entry& earlier) {
                       return single && earlier.operations == self->operations && earlier.params == self->params;
                     });
}

void AudienceTurns::leave(Ticket ticket) {
  const auto where = audience_of_.find(ticket);
  if (where == audience_of_.end()) return;
  auto queue = queues_.find(where->second);
  std::erase_if(queue->second, [&](const Entry& e) { return e.ticket == ticket; });
  if (queue->second.empty()) queues_.erase(queue);
  audience_of_.erase(where);
}

}  // namespace ab::tw
