// Creating audiences without ever creating one twice. A create whose answer
// was lost (ApiOutcome::ambiguous), or a row resumed with an intent but no
// outcome (Task::maybe_sent), is looked up before anything is sent again:
// B1 with q=NAME, every page, and an audience of exactly that name, created
// no earlier than this row's first send (minus Context::created_margin for
// clock skew) and not already claimed by another row of this run, is adopted.
// Only when none is found is the create sent again, at most kMaxUnclearSends
// times; after that the row ends `unknown` with what to check.
//
// The first send time is recorded as the row's checkpoint before the first
// send, so a resumed run knows it too. A resumed row without one (a journal
// from before this scheme) adopts an exact-name match of any age.
//
// tw.create sends one item per request, tw.flexible up to ten: both describe
// one request through a CreateSender and share everything else. The
// decisions are a Reconciliation (reconciliation.hpp); here they are carried out.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/send/api.hpp"
#include "engine/run/job_kind.hpp"
#include "jobs/twitter/context.hpp"
#include "jobs/twitter/reconciliation.hpp"

#include <boost/json/object.hpp>

#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

namespace ab::tw {

struct CreateItem {
  Task task;
  std::string name;
};

// What a request that did not succeed means for every item it carried:
// refused or exhausted -> failed, ambiguous -> unclear, stopped -> stopped.
CreateAnswer answer_for_failure(const ApiAnswer& answer);

class CreateSender {
 public:
  virtual ~CreateSender() = default;
  // Sends one request creating `items` (non-replay-safe) and says what became of each.
  virtual Awaitable<CreateRound> send(const std::vector<const CreateItem*>& items, Api& api) = 0;
};

class CreateReconciler {
 public:
  explicit CreateReconciler(Context context) : context_(std::move(context)) {}

  // Creates every item and finishes each row exactly once: ok with the id
  // (and a --responses line {"data": audience}), failed, or unknown.
  Awaitable<void> create(std::vector<CreateItem> items, CreateSender& sender, Api& api, RowSink& sink);

 private:
  Awaitable<Lookup> look_up(const std::string& name, std::optional<SystemTime> window_start, Api& api,
                                         std::size_t row);
  bool claim(const std::string& id);
  bool claimed(const std::string& id);

  Context context_;
  std::mutex mutex_;
  std::unordered_set<std::string> claimed_;  // ids created or adopted by rows of this run
};

}  // namespace ab::tw
