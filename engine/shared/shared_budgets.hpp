// The run's budgets shared through Redis (--budget-store): every process that
// points at the same store and account takes its sends from the same counts
// (the rules of rate_count.hpp, run by the scripts of
// shared_budget_scripts.hpp), and a time one process's
// server named parks the budget for all of them. The in-memory Budgets still
// apply on top: the server's own numbers (remaining, reset, the adaptive
// pace) rule each process whatever the store says, which is what keeps a
// store that restarted empty from letting a burst through.
//
// Keys: audience-batch:budget:<api>:<account>:<budget>:{log,park}, where api
// is the part of the budget's name before the first '.' ("nf", "tw") and the
// account the neuroflash client id or the X ads account id. One connection
// per process; the takes of requests waiting for the same budgets are asked
// together (one EVALSHA for up to 64 of them), parks and give-backs are
// pipelined without waiting for their replies.
//
// Faults: the store unreachable at open() is the caller's exit 2. Lost later,
// nothing is granted (no request goes out unbudgeted); it is tried again with
// back-off, and after `timeout` of absence the run is stopped (exit 3).
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/run/run_options.hpp"
#include "engine/run/clock.hpp"
#include "engine/send/arrival_guard.hpp"
#include "engine/send/rate_headers.hpp"
#include "engine/shared/resp_connection.hpp"
#include "engine/run/run_control.hpp"
#include "engine/shared/store_clock.hpp"
#include "engine/shared/store_outage.hpp"
#include "engine/shared/store_url.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <iosfwd>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ab {

struct SharedBudgetsConfig {
  StoreUrl url;
  std::string ca_file;                          // rediss://: verify Redis against these CAs (--ca-file), else the system's
  std::string client_cert, client_key;          // rediss://: the client certificate and its key (PEM), both or none
  std::vector<RateSpec> rates;                  // the run's fixed budgets (--rate and the kind's defaults)
  std::map<std::string, std::string> accounts;  // api ("nf", "tw") -> account id
  Millis timeout{30'000};                       // connect attempts; absence before the run stops
  Millis hold_after_restart{2500};              // longer than the back-off's cap: every process is back by then
};

// The key prefix of one budget ("audience-batch:budget:tw:18ce54:tw.total_count").
std::string budget_key(const std::string& name, const std::map<std::string, std::string>& accounts);

class SharedBudgets {
 public:
  struct Grant {
    bool granted = false;  // send now, with no suspension first
    bool stopped = false;  // the run is stopping
    std::string member;    // what to give back when not used
    SteadyTime asked{};    // when the take that granted it left: no later than the store's stamp
  };

  SharedBudgets(Executor executor, SharedBudgetsConfig config, RunControl& control,
                std::ostream& log);
  ~SharedBudgets();
  // Connects, loads the scripts and joins the store; "" or why not (a
  // message naming the store, never its password).
  Awaitable<std::string> open();
  // One send of every named budget: waits while the store says no, or is away.
  Awaitable<Grant> take(std::vector<std::string> names);
  // A granted send was answered at `answered` (the grant's `asked` at the
  // start): each send is kept that much longer than its window and counted
  // in both windows that far before a reset, in every process (the guard of
  // arrival_guard.hpp, from the store's stamp to the API's server: the
  // store's way back, the grants handed out, the request's own way).
  void on_round_trip(std::span<const std::string> names, SteadyTime asked, SteadyTime answered);
  // A grant that was not used (the process's own budgets said wait after all).
  void give_back(std::span<const std::string> names, const std::string& member);
  // Every process waits for these budgets until `until` (the server named it).
  void park(std::span<const std::string> names, SteadyTime until);
  // An answer published where the server's window stands: a budget of the
  // same limit counts from that reset once it has passed (rate_count.hpp).
  void on_standing(std::span<const std::string> names, const RateStanding& standing);
  // The run is over: the connection closes, the reconnecting ends.
  void close();
  std::uint64_t takes() const { return takes_; }  // EVALSHA round trips, for the figures
  // Connected and joined: takes may be asked.
  bool connected() const { return joined_ && connection_.up(); }

 private:
  struct Ticket;
  struct Line;
  struct BudgetState {
    std::string key;
    std::uint64_t limit = 0;  // 0: no fixed rate
    Millis window{0};
    std::deque<SteadyTime> sent;  // this process's grants still inside the window (put back after a restart)
    std::optional<SteadyTime> parked_until;
    std::int64_t heard_reset_us = 0;  // the latest reset published for a window of `limit` (epoch us)
    ArrivalGuard arrival{Millis{1000}};  // remade for `window` once it is known
    // How much further behind the API's clock may run than its resets were
    // read with (server_clock.hpp), cut to a tenth of the window: the band
    // covers it too.
    std::chrono::microseconds clock{0};
    std::chrono::microseconds band() const { return std::max(arrival.guard(), clock); }
  };

  BudgetState& state(const std::string& name);
  static void forget_old_sends(BudgetState& s, SteadyTime now);
  std::shared_ptr<Line> line(const std::vector<std::string>& names);
  Awaitable<void> pump(std::shared_ptr<Line> line);
  Awaitable<void> keeper();
  Awaitable<std::string> connect_and_join();
  Awaitable<bool> nap(SteadyTime until);         // the keeper's: ends at close()
  Awaitable<bool> wait_until(SteadyTime until);  // the pumps': ends at close() or a stop
  Awaitable<bool> wait_for_news(Line& line, SteadyTime until);  // ... or a reset heard
  void send_park(const std::vector<std::string>& keys, Millis ms);

  Executor executor_;
  SharedBudgetsConfig config_;
  RunControl& control_;
  std::ostream& log_;
  RespConnection connection_;
  StoreOutage outage_;
  StoreClock store_clock_;  // the store's clock against ours: resets go to the store on its clock
  Random random_;
  SteadyTimer keeper_timer_;
  bool closed_ = false;
  bool joined_ = false;
  std::string process_id_;
  std::uint64_t counter_ = 0;
  std::uint64_t takes_ = 0;
  std::string store_id_;
  std::string take_sha_, park_sha_, rejoin_sha_;
  std::map<std::string, BudgetState> budgets_;
  std::map<std::string, std::shared_ptr<Line>> lines_;
};

}  // namespace ab
