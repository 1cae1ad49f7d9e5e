#include "engine/shared/shared_budgets.hpp"

#include "engine/run/coroutine.hpp"

#include "engine/shared/shared_budget_scripts.hpp"
#include "engine/send/rate_count.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ostream>
#include <random>

namespace ab {

namespace asio = boost::asio;

namespace {

constexpr std::size_t most_at_once = 64;  // takes asked in one EVALSHA
constexpr auto keeper_period = std::chrono::milliseconds(50);
constexpr auto connect_limit = Millis(5000);
constexpr auto no_store_poll = std::chrono::milliseconds(20);

std::string api_of(const std::string& name) { return name.substr(0, name.find('.')); }

std::string random_id(Random& random) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(random()));
  return text;
}

long long as_integer(const RedisValue& v) {
  if (v.kind == RedisValue::Kind::integer) return v.integer;
  if (v.kind == RedisValue::Kind::string || v.kind == RedisValue::Kind::status) return std::atoll(v.text.c_str());
  return 0;
}

// The reply to TIME (seconds, microseconds) in epoch microseconds; none
// when it is not that.
std::optional<std::int64_t> store_time_us(const RedisValue& time) {
  if (time.elements.size() != 2) return std::nullopt;
  const auto seconds = as_integer(time.elements[0]), micros = as_integer(time.elements[1]);
  if (seconds <= 0 || micros < 0) return std::nullopt;
  return seconds * 1'000'000 + micros;
}

}  // namespace

void SharedBudgets::forget_old_sends(BudgetState& s, SteadyTime now) {
  while (!s.sent.empty() && (now - s.sent.front() >= s.window + s.arrival.guard() || s.sent.size() > s.limit))
    s.sent.pop_front();
}

std::string budget_key(const std::string& name, const std::map<std::string, std::string>& accounts) {
  const auto api = api_of(name);
  const auto it = accounts.find(api);
  return "audience-batch:budget:" + api + ":" + (it == accounts.end() ? std::string() : it->second) + ":" + name;
}

// A request waiting in a line for its grant.
struct SharedBudgets::Ticket {
  explicit Ticket(const Executor& ex) : wake(ex, SteadyTime::max()) {}
  bool done = false;
  bool granted = false;
  bool abandoned = false;
  std::string member;
  SteadyTime asked{};
  SteadyTimer wake;
};

// Requests that wait for the same budgets: one pump asks for all of them.
struct SharedBudgets::Line {
  explicit Line(const Executor& ex) : nap(ex) {}
  std::vector<std::string> names;
  std::deque<std::shared_ptr<Ticket>> waiting;
  bool pumping = false;
  bool news = false;       // a reset was heard since the last take: ask again now
  SteadyTimer nap;  // the pump's wait between takes
};

SharedBudgets::SharedBudgets(Executor executor, SharedBudgetsConfig config, RunControl& control,
                             std::ostream& log)
    : executor_(executor),
      config_(std::move(config)),
      control_(control),
      log_(log),
      connection_(executor, RespTls{config_.url.tls, config_.ca_file, config_.client_cert, config_.client_key}),
      outage_(OutagePolicy{Millis(50), Millis(1000), config_.timeout}),
      random_(std::random_device{}()),
      keeper_timer_(executor) {
  process_id_ = random_id(random_);
}

SharedBudgets::~SharedBudgets() { close(); }

SharedBudgets::BudgetState& SharedBudgets::state(const std::string& name) {
  if (auto it = budgets_.find(name); it != budgets_.end()) return it->second;
  BudgetState s;
  s.key = budget_key(name, config_.accounts);
  for (const auto& r : config_.rates)
    if (r.name == name) s.limit = r.limit, s.window = r.window;  // a later spec of one name wins, as in Budgets
  if (s.limit) s.arrival = ArrivalGuard(s.window);
  return budgets_.emplace(name, std::move(s)).first->second;
}

std::shared_ptr<SharedBudgets::Line> SharedBudgets::line(const std::vector<std::string>& names) {
  std::string key;
  for (const auto& n : names) key.append(n).push_back('\n');
  auto& slot = lines_[key];
  if (!slot) {
    slot = std::make_shared<Line>(executor_);
    slot->names = names;
  }
  return slot;
}

Awaitable<std::string> SharedBudgets::open() {
  auto error = co_await connect_and_join();
  if (!error.empty()) co_return "budget store " + config_.url.describe() + ": " + error;
  asio::co_spawn(executor_, keeper(), asio::detached);
  co_return "";
}

Awaitable<std::string> SharedBudgets::connect_and_join() {
  joined_ = false;
  auto error = co_await connection_.connect(config_.url.host, config_.url.port, std::min(config_.timeout, connect_limit));
  if (!error.empty()) co_return error;
  auto refused = [](const RedisValue& v, const char* what) -> std::string {
    if (v.lost) return std::string(what) + ": the connection closed";
    if (v.is_error()) return std::string(what) + ": " + v.text;
    return "";
  };
  if (!config_.url.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!config_.url.user.empty()) auth.push_back(config_.url.user);
    auth.push_back(config_.url.password);
    auto v = co_await connection_.call(std::move(auth));
    if (auto e = refused(v, "AUTH"); !e.empty()) co_return e;
  }
  if (config_.url.db != 0) {
    std::vector<std::string> select{"SELECT", std::to_string(config_.url.db)};
    auto v = co_await connection_.call(std::move(select));
    if (auto e = refused(v, "SELECT"); !e.empty()) co_return e;
  }
  // (std::array: GCC 12 cannot keep a C array or an initializer list across a co_await.)
  const std::array<const char*, 3> texts{scripts::take, scripts::park, scripts::rejoin};
  const std::array<std::string*, 3> shas{&take_sha_, &park_sha_, &rejoin_sha_};
  for (std::size_t i = 0; i < 3; ++i) {
    std::vector<std::string> load{"SCRIPT", "LOAD", texts[i]};
    auto v = co_await connection_.call(std::move(load));
    if (auto e = refused(v, "SCRIPT LOAD"); !e.empty()) co_return e;
    *shas[i] = v.text;
  }

  // Its clock, before the first take carries a reset to it (perhaps another store's, after a failover).
  store_clock_.forget();
  const auto time_asked = std::chrono::system_clock::now();
  std::vector<std::string> time_command{"TIME"};
  auto time = co_await connection_.call(std::move(time_command));
  if (auto e = refused(time, "TIME"); !e.empty()) co_return e;
  if (auto at = store_time_us(time))
    store_clock_.on_reading(time_asked, *at, std::chrono::steady_clock::now());

  // Rejoin: what this process sent inside each window goes back into an empty store.
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::string> args{"EVALSHA", rejoin_sha_, "0"};
  std::vector<std::string> keys{"audience-batch:store-id", "audience-batch:hold"};
  std::vector<std::string> argv{store_id_, random_id(random_), std::to_string(config_.hold_after_restart.count()),
                                process_id_ + ":" + std::to_string(++counter_)};
  std::vector<std::string> ages;
  std::size_t index = 0;
  for (auto& [name, s] : budgets_) {
    if (s.limit == 0) continue;
    keys.push_back(s.key + ":log");
    const auto expiry = s.window + std::chrono::seconds(1) + std::chrono::ceil<Millis>(s.arrival.guard());
    argv.push_back(std::to_string(expiry.count()));
    ++index;
    forget_old_sends(s, now);
    for (auto t : s.sent) {
      ages.push_back(std::to_string(index));
      ages.push_back(std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(now - t).count()));
    }
  }
  args[2] = std::to_string(keys.size());
  args.insert(args.end(), keys.begin(), keys.end());
  args.insert(args.end(), argv.begin(), argv.end());
  args.insert(args.end(), ages.begin(), ages.end());
  auto joined = co_await connection_.call(std::move(args));
  if (auto e = refused(joined, "joining the store"); !e.empty()) co_return e;
  if (joined.elements.size() != 2) co_return "joining the store: an unexpected reply";
  store_id_ = joined.elements[0].text;
  if (as_integer(joined.elements[1]) == 1)
    log_ << "audience-batch: budget store " << config_.url.describe()
         << " came back empty: this run's recent sends were put back, and every budget waits "
         << config_.hold_after_restart.count() << " ms for the other processes to do the same\n";
  // Parks still in force are the server's word: the new store hears them again.
  for (const auto& [name, s] : budgets_)
    if (s.parked_until && *s.parked_until > now)
      send_park({s.key + ":park"}, std::chrono::ceil<Millis>(*s.parked_until - now));
  joined_ = true;
  co_return "";
}

Awaitable<bool> SharedBudgets::nap(SteadyTime until) {
  if (closed_) co_return false;
  keeper_timer_.expires_at(until);
  co_await keeper_timer_.async_wait(asio::as_tuple(use_awaitable));
  co_return !closed_;
}

Awaitable<bool> SharedBudgets::wait_until(SteadyTime until) {
  SteadyTimer timer(executor_);
  for (;;) {
    if (closed_ || control_.stopping()) co_return false;
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) co_return true;
    timer.expires_at(std::min(until, now + std::chrono::milliseconds(100)));
    co_await timer.async_wait(asio::as_tuple(use_awaitable));
  }
}

Awaitable<bool> SharedBudgets::wait_for_news(Line& line, SteadyTime until) {
  for (;;) {
    if (closed_ || control_.stopping()) co_return false;
    const auto now = std::chrono::steady_clock::now();
    if (now >= until || line.news) co_return true;
    line.nap.expires_at(std::min(until, now + std::chrono::milliseconds(100)));
    co_await line.nap.async_wait(asio::as_tuple(use_awaitable));
  }
}

Awaitable<void> SharedBudgets::keeper() {
  while (!closed_) {
    auto now = std::chrono::steady_clock::now();
    if (connection_.up()) {
      if (auto oldest = connection_.oldest_waiting(); oldest && now - *oldest > config_.timeout) {
        log_ << "audience-batch: budget store " << config_.url.describe() << " has not answered for "
             << config_.timeout.count() << " ms: connecting again\n";
        connection_.drop();
        continue;
      }
      if (!co_await nap(now + keeper_period)) break;
      continue;
    }
    if (!outage_.out()) {
      outage_.lost(now);
      log_ << "audience-batch: lost the budget store " << config_.url.describe()
           << ": no request goes out until it is back (or --timeout has passed)\n";
    }
    if (outage_.gives_up(now)) {
      control_.stop("budget store " + config_.url.describe() + " unreachable for longer than --timeout", true);
      break;
    }
    const auto error = co_await connect_and_join();
    if (closed_) break;
    now = std::chrono::steady_clock::now();
    if (error.empty()) {
      log_ << "audience-batch: budget store " << config_.url.describe() << " is back after "
           << std::chrono::duration_cast<Millis>(now - *outage_.since()).count() << " ms\n";
      outage_.back();
      continue;
    }
    connection_.drop();
    if (!co_await nap(outage_.next_attempt(now, random_))) break;
  }
}

Awaitable<SharedBudgets::Grant> SharedBudgets::take(std::vector<std::string> names) {
  Grant grant;
  if (closed_ || control_.stopping()) {
    grant.stopped = true;
    co_return grant;
  }
  auto l = line(names);
  auto ticket = std::make_shared<Ticket>(executor_);
  l->waiting.push_back(ticket);
  if (!l->pumping) {
    l->pumping = true;
    asio::co_spawn(executor_, pump(l), asio::detached);
  }
  while (!ticket->done) {
    if (control_.stopping() || closed_) {
      ticket->abandoned = true;
      grant.stopped = true;
      co_return grant;
    }
    ticket->wake.expires_after(std::chrono::milliseconds(100));
    co_await ticket->wake.async_wait(asio::as_tuple(use_awaitable));
  }
  grant.granted = ticket->granted;
  grant.stopped = !ticket->granted;
  grant.member = std::move(ticket->member);
  grant.asked = ticket->asked;
  co_return grant;
}

Awaitable<void> SharedBudgets::pump(std::shared_ptr<Line> line) {
  std::vector<BudgetState*> states;
  for (const auto& n : line->names) states.push_back(&state(n));
  std::vector<std::string> base{"EVALSHA", "", std::to_string(1 + 3 * states.size()), "audience-batch:hold"};
  for (auto* s : states) {
    base.push_back(s->key + ":log");
    base.push_back(s->key + ":park");
    base.push_back(s->key + ":window");
  }
  const auto wanted_at = base.size();
  base.push_back("");  // wanted
  base.push_back("");  // member prefix
  base.push_back("");  // margin
  const auto heard_at = base.size() + 2;  // then every third
  for (auto* s : states) {
    base.push_back(std::to_string(s->limit));
    base.push_back(std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(s->window).count()));
    base.push_back("0");
  }

  for (;;) {
    while (!line->waiting.empty() && line->waiting.front()->abandoned) line->waiting.pop_front();
    if (line->waiting.empty() || closed_ || control_.stopping()) break;
    if (!connected()) {  // not before the (re)join: a store that restarted empty is held first
      if (!co_await wait_until(std::chrono::steady_clock::now() + no_store_poll)) break;
      continue;
    }
    std::size_t live = 0;
    for (const auto& t : line->waiting) live += t->abandoned ? 0 : 1;
    const auto wanted = std::min(live, most_at_once);
    auto args = base;
    args[1] = take_sha_;
    args[wanted_at] = std::to_string(wanted);
    const auto prefix = process_id_ + ":" + std::to_string(++counter_);
    args[wanted_at + 1] = prefix;
    std::chrono::microseconds margin{0};
    for (std::size_t i = 0; i < states.size(); ++i) {
      const auto heard = states[i]->heard_reset_us;
      args[heard_at + 3 * i] = std::to_string(heard ? store_clock_.to_store_us(heard) : 0);
      if (states[i]->limit) margin = std::max(margin, states[i]->band());
    }
    args[wanted_at + 2] = std::to_string(margin.count());
    line->news = false;
    ++takes_;
    const auto asked = std::chrono::steady_clock::now();
    const auto asked_wall = std::chrono::system_clock::now();
    auto reply = co_await connection_.call(std::move(args));
    if (reply.lost) continue;  // maybe taken, maybe not: a slot lost is a slot unused, never one too many
    if (reply.is_error()) {
      if (reply.text.starts_with("NOSCRIPT")) {
        connection_.drop();  // the keeper connects again and loads the scripts
        continue;
      }
      control_.stop("budget store " + config_.url.describe() + ": " + reply.text, true);
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    const bool whole = reply.elements.size() == 3;
    const auto granted = whole ? as_integer(reply.elements[0]) : 0;
    const auto wait_us = whole ? as_integer(reply.elements[1]) : 1000;
    if (whole && as_integer(reply.elements[2]) > 0)
      store_clock_.on_reading(asked_wall, as_integer(reply.elements[2]), now);
    for (auto* s : states) {
      if (!s->limit) continue;
      for (long long i = 0; i < granted; ++i) s->sent.push_back(now);
      forget_old_sends(*s, now);
    }
    long long given = 0;
    while (given < granted && !line->waiting.empty()) {
      auto t = std::move(line->waiting.front());
      line->waiting.pop_front();
      ++given;
      const std::string member = prefix + ":" + std::to_string(given);
      if (t->abandoned) {
        give_back(line->names, member);
        continue;
      }
      t->granted = true;
      t->done = true;
      t->member = member;
      t->asked = asked;
      t->wake.cancel();
    }
    if (granted == 0 && !co_await wait_for_news(*line, now + std::chrono::microseconds(std::max(wait_us, 100LL))))
      break;
  }
  line->pumping = false;
  for (auto& t : line->waiting) {
    t->done = true;
    t->wake.cancel();
  }
  line->waiting.clear();
}

void SharedBudgets::on_round_trip(std::span<const std::string> names, SteadyTime asked, SteadyTime answered) {
  const auto trip = std::chrono::duration_cast<std::chrono::microseconds>(answered - asked);
  for (const auto& n : names)
    if (auto& s = state(n); s.limit) s.arrival.on_round_trip(trip);
}

void SharedBudgets::give_back(std::span<const std::string> names, const std::string& member) {
  for (const auto& n : names) {
    auto& s = state(n);
    if (!s.limit) continue;
    if (!s.sent.empty()) s.sent.pop_back();
    connection_.send({"ZREM", s.key + ":log", member});
  }
}

void SharedBudgets::park(std::span<const std::string> names, SteadyTime until) {
  const auto now = std::chrono::steady_clock::now();
  if (until <= now) return;
  std::vector<std::string> keys;
  for (const auto& n : names) {
    auto& s = state(n);
    s.parked_until = s.parked_until ? std::max(*s.parked_until, until) : until;
    keys.push_back(s.key + ":park");
  }
  send_park(keys, std::chrono::ceil<Millis>(until - now));
}

void SharedBudgets::on_standing(std::span<const std::string> names, const RateStanding& standing) {
  // Past the year 100,000 a reset is garbage (and would not fit in microseconds).
  if (!standing.limit || standing.reset_epoch <= 0 || standing.reset_epoch > 3'000'000'000'000) return;
  // On our clock, the server's known lag added (the pump moves it onto the store's).
  const std::int64_t reset_us = standing.reset_epoch * 1'000'000 + standing.server_lag.count();
  bool heard = false;
  for (const auto& n : names) {
    auto& s = state(n);
    if (s.limit == 0 || static_cast<std::int64_t>(s.limit) != *standing.limit) continue;
    s.clock = std::min(standing.clock_uncertainty,
                       std::chrono::duration_cast<std::chrono::microseconds>(s.window) / 10);
    if (reset_us <= s.heard_reset_us) continue;
    s.heard_reset_us = reset_us;
    heard = true;
  }
  if (!heard) return;
  // Pumps waiting for one of these budgets ask again: the window may open sooner than the log said.
  for (auto& [key, l] : lines_) {
    if (!l->pumping) continue;
    for (const auto& n : names)
      if (std::find(l->names.begin(), l->names.end(), n) != l->names.end()) {
        l->news = true;
        l->nap.cancel();
        break;
      }
  }
}

void SharedBudgets::send_park(const std::vector<std::string>& keys, Millis ms) {
  if (park_sha_.empty() || keys.empty()) return;
  std::vector<std::string> args{"EVALSHA", park_sha_, std::to_string(keys.size())};
  args.insert(args.end(), keys.begin(), keys.end());
  args.push_back(std::to_string(ms.count()));
  connection_.send(args);
}

void SharedBudgets::close() {
  closed_ = true;
  keeper_timer_.cancel();
  connection_.drop();
}

}  // namespace ab
