// Keeps tw.members' adds and removes of one audience in the file's order.
// Requests of one audience that carry only adds (or only removes) may be in
// flight together (when they share their params too: an add with another
// expires_at may not overtake an earlier add of the same person): adding a
// user twice is adding it once. A request that
// would change what an earlier one did (a remove after an add, or one that
// carries both) waits until every earlier request of that audience has ended,
// and later ones wait for it. Plain class: the kind awaits its answers.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>

namespace ab::tw {

class AudienceTurns {
 public:
  using Ticket = std::uint64_t;
  static constexpr unsigned kAdds = 1, kRemoves = 2;

  // Queues a request of `audience` carrying `operations` (kAdds | kRemoves);
  // requests of one operation go together only when their `params` (what
  // else their rows share, such as expires_at) are the same too.
  Ticket enter(const std::string& audience, unsigned operations, std::string params = {});
  // Whether the request may be sent now.
  bool may_go(Ticket ticket) const;
  // The request ended (answered, failed or stopped): later ones may go.
  void leave(Ticket ticket);
  // No request is queued or out.
  bool empty() const { return audience_of_.empty(); }

 private:
  struct Entry {
    Ticket ticket;
    unsigned operations;
    std::string params;
  };
  std::map<std::string, std::deque<Entry>> queues_;
  std::unordered_map<Ticket, std::string> audience_of_;
  Ticket next_ = 1;
};

}  // namespace ab::tw
