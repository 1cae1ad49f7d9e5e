#include "engine/run/runner.hpp"

#include "engine/run/coroutine.hpp"

#include "engine/send/api_client.hpp"
#include "engine/journal/echo_cells.hpp"
#include "engine/journal/output_paths.hpp"
#include "engine/report/metrics_output.hpp"
#include "engine/report/progress.hpp"
#include "engine/journal/result_recorder.hpp"
#include "engine/input/row_source.hpp"
#include "engine/report/terminal.hpp"
#include "engine/shared/shared_budgets.hpp"
#include "engine/shared/store_url.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <iostream>
#include <random>
#include <sstream>
#include <unistd.h>

namespace ab {

namespace asio = boost::asio;

namespace {

constexpr auto flush_period = std::chrono::milliseconds(50);
// After a stop, requests already written get --timeout (each attempt's own
// bound) and this much more to bring their answers home.
constexpr auto stop_margin = std::chrono::seconds(1);
// Workers started, and rows read and connections opened ahead, per turn of the loop.
constexpr unsigned start_slice = 16;

// Rows worked on at once: --concurrency bounds the requests in flight, and
// four times as many more (at most 128) wait for their intent's sync or a
// back-off meanwhile, so that those waits do not empty the wire
// (bench/README.md, "Tuning history").
unsigned row_workers(unsigned concurrency) {
  concurrency = std::max(1u, concurrency);
  return concurrency + std::min(4 * concurrency, 128u);
}

}  // namespace

unsigned row_workers(unsigned concurrency, const BatchPolicy& batching) {
  const std::size_t rows = std::max<std::size_t>(1, batching.max_rows);
  return static_cast<unsigned>(
      std::clamp<std::size_t>(max_rows_held / rows, 1, row_workers(concurrency)));
}

namespace {

// Intents synced together (JournalWriter::gather_intents): half the rows
// worked on beyond --concurrency (64 from --concurrency 32 up), or what came
// in 2 ms, so that one fdatasync serves many rows (each costs CPU: larger
// groups made T1 faster, bench/README.md). The intent
// window (row_window.hpp) is --concurrency + two groups, all the rows worked
// on: one group gathering while the one before it syncs, well ahead of the
// slots that free next, so that the wire does not wait for the disk. It is
// what a reboot may leave unknown: at most 5 x --concurrency, and
// --concurrency + 128. Each group is marked sent in parts of an eighth of
// --concurrency (JournalWriter::mark_groups), one pwrite each, and the send
// window is 2 x --concurrency less one part: with the part marked last, a
// kill -9 leaves fewer than 2 x --concurrency rows unknown
// (docs/night-contract.md).
constexpr std::chrono::microseconds gather_longest{2000};
constexpr unsigned intent_groups_ahead = 2;
std::size_t intent_group(unsigned workers, unsigned concurrency) {
  concurrency = std::max(1u, concurrency);
  const unsigned waiting = workers > concurrency ? workers - concurrency : 0;
  return std::max<std::size_t>(1, std::min<std::size_t>(2 * concurrency, waiting / 2));
}
unsigned mark_part(unsigned concurrency) { return std::max(1u, concurrency / 8); }
unsigned send_places(unsigned concurrency) {
  concurrency = std::max(1u, concurrency);
  return std::max(1u, 2 * concurrency - mark_part(concurrency));
}

Summary cannot_start(std::string error) {
  Summary s;
  s.exit_code = 2;
  s.error = std::move(error);
  return s;
}

// The store of --budget-store, keyed by the accounts the run works for; throws
// std::invalid_argument for a URL that is not one (the CLI refuses it before).
std::unique_ptr<SharedBudgets> shared_budgets_for(const RunSettings& o, const Executor& executor,
                                                  RunControl& control, std::ostream& log) {
  if (o.budget_store.empty()) return nullptr;
  auto url = parse_store_url(o.budget_store);
  if (auto* error = std::get_if<std::string>(&url)) throw std::invalid_argument("--budget-store: " + *error);
  SharedBudgetsConfig config;
  config.url = std::get<StoreUrl>(url);
  config.rates = o.rates;
  config.accounts = {{"nf", o.job.nf.client_id}, {"tw", o.job.tw.account}};
  config.timeout = o.timeout;
  config.ca_file = o.ca_file;  // rediss:// is verified as https is
  config.client_cert = o.budget_store_cert;
  config.client_key = o.budget_store_key;
  return std::make_unique<SharedBudgets>(executor, std::move(config), control, log);
}

// Everything one run owns, in the order it must be built and torn down.
struct Run {
  Run(JobKind& k, const RunSettings& o, CsvReader& r, const JournalState& st, JournalWriter& j, std::ostream& log)
      : kind(k),
        options(o),
        reader(r),
        state(st),
        journal(j),
        budgets(o.rates),
        retry(RetryConfig{o.max_attempts, Millis{200}, Millis{30'000}}),
        random(std::random_device{}()),
        pool(io.get_executor(), TlsSettings{o.ca_file}, ProxyRoutes(o.proxy)),
        in_flight(o.concurrency),
        intent_window(std::max(1u, o.concurrency) +
                      intent_groups_ahead *
                          static_cast<unsigned>(intent_group(row_workers(o.concurrency), o.concurrency))),
        send_window(send_places(o.concurrency)),
        shared(shared_budgets_for(o, io.get_executor(), control, log)),
        started(std::chrono::steady_clock::now()),
        room(
            j, [this] { return static_cast<std::size_t>(recorder.pending_rows()); },
            [this] { return echo.widest(); }),
        api(ApiClientParts{pool, budgets, retry, random, control, metrics, &journal, &in_flight, &intent_window,
                           &send_window, shared.get(), o.timeout,
                           o.deadline ? std::optional<SteadyTime>(started + *o.deadline) : std::nullopt, &room}),
        recorder(journal, metrics, control, o.responses),
        source(r, k, st, [this](std::size_t row, RowResult result) { recorder.finish(row, std::move(result)); }),
        prints([this](std::string line) { journal.note(std::move(line)); }),
        echo(r.header().names, o.echo) {
    source.record_prints(&prints);
    // A commit's intents come back to the io thread in one hand-over.
    journal.deliver_through([executor = io.get_executor()](std::function<void()> callbacks) {
      asio::post(executor, std::move(callbacks));
    });
    recorder.give_back_to({&intent_window, &send_window});
    journal.mark_groups(mark_part(o.concurrency));
    source.echo_into(&echo);
    recorder.echo_from(&echo);
    if (o.shards) source.only_shard(o.shard, o.shards);
  }
  // The journal outlives the run's io_context: what it hands over later runs on its own thread.
  ~Run() { journal.deliver_through({}); }

  JobKind& kind;
  const RunSettings& options;
  CsvReader& reader;
  const JournalState& state;
  JournalWriter& journal;
  // One thread runs the loop and does all the I/O; the journal writer and
  // the --responses thread only post to it. Said to Asio, it skips the
  // per-socket locks and queues the io thread's own posts without the lock.
  asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  RunControl control;
  Metrics metrics;
  Budgets budgets;
  RetryPolicy retry;
  Random random;
  HttpPool pool;
  InFlightLimit in_flight;
  RowWindow intent_window;
  RowWindow send_window;
  std::unique_ptr<SharedBudgets> shared;  // --budget-store
  SteadyTime started;
  ResultsRoom room;
  ApiClient api;
  ResultRecorder recorder;
  RowSource source;
  RowPrints prints;
  EchoCells echo;  // --echo
  StartResult start_result;
  unsigned active_workers = 0;
  bool workers_done = false;
  bool logged_in = false;
  SteadyTimer housekeeping_timer{io};
  std::optional<SteadyTime> stop_seen;

  void api_events(EventLog* events) { api.set_events(events); }

  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }

  Awaitable<void> worker(std::optional<std::vector<Task>> first = std::nullopt) {
    while (!control.stopping()) {
      auto batch = first ? std::exchange(first, std::nullopt) : source.next_batch();
      if (!batch) break;
      std::vector<std::size_t> rows;
      rows.reserve(batch->size());
      for (const auto& t : *batch) rows.push_back(t.row);
      std::string failure;
      try {
        co_await kind.run(std::move(*batch), api, recorder);
      } catch (const std::exception& e) {
        failure = std::string("internal error: ") + e.what();
      }
      // Nothing a user gave us is dropped: a row the kind did not report ends
      // failed with the reason, unless the stop cut it short.
      for (auto row : rows) {
        if (recorder.finished(row)) continue;
        if (control.stopping()) continue;  // cut short by the stop (an exception): the next run takes it
        recorder.finish(row, RowResult{RowStatus::failed, 0, {}, 0,
                                       failure.empty() ? "the job kind did not report this row" : failure});
      }
      recorder.forget(rows);
    }
  }

  Awaitable<void> main() {
    // A rerun with every row already final (or only invalid rows left) ends
    // here, without a login or any other request.
    auto first = source.next_batch();
    if (!first) {
      all_workers_done();
      co_return;
    }
    // No store, no request: a store that cannot be reached ends the run here (exit 2).
    if (shared) {
      if (auto error = co_await shared->open(); !error.empty()) {
        start_result = StartResult{false, error};
        all_workers_done();
        co_return;
      }
    }
    const unsigned workers = row_workers(options.concurrency, kind.batching());
    asio::co_spawn(io, prepare_ahead(workers), asio::detached);
    try {
      start_result = co_await kind.start(api);
    } catch (const std::exception& e) {
      start_result = StartResult{false, e.what()};
    }
    logged_in = true;
    if (!start_result.ok) {
      all_workers_done();
      co_return;
    }
    for (unsigned i = 0; i < workers; ++i) {
      // A few starts per turn of the loop: a turn between slices lets the
      // first rows' intent syncs and sends go ahead of the hundreds of starts
      // still to come, without a turn per start (bench/README.md).
      if (i > 0 && i % start_slice == 0) co_await asio::post(io, use_awaitable);
      if (control.stopping() || workers_done) break;
      ++active_workers;
      asio::co_spawn(io, worker(i == 0 ? std::move(first) : std::nullopt), [this](std::exception_ptr e) {
        if (e) {
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& ex) {
            control.stop(std::string("internal error: ") + ex.what(), true);
          }
        }
        if (--active_workers == 0) all_workers_done();
      });
    }
    // Not before: the first requests leave with no wait for others' intents.
    journal.gather_intents(intent_group(workers, options.concurrency), gather_longest);
  }

  // While the kind logs in, the io thread would idle: it reads the rows the
  // workers will start with and opens a connection for each, up to
  // --concurrency, and the journal creates its sidecar. In slices, each followed by a turn of the loop, so that
  // the login's own steps never wait behind more than one.
  Awaitable<void> prepare_ahead(unsigned workers) {
    constexpr std::size_t slice = start_slice;
    // co_spawn started this inside main(), ahead of the login: a turn of the
    // loop first lets the login's first request leave before any slice.
    co_await asio::post(io, use_awaitable);
    journal.prepare_sidecar();
    const std::string server = kind.rows_server();
    std::size_t ready = 1;  // the first batch, read before the login
    std::size_t connections = 0;
    while (!logged_in && !control.stopping()) {
      const std::size_t before = ready;
      ready = 1 + source.read_ahead(std::min<std::size_t>(workers - 1, ready - 1 + slice));
      const std::size_t wanted = std::min<std::size_t>(ready, options.concurrency);
      if (!server.empty() && wanted > connections) {
        pool.open_ahead(server, std::min(slice, wanted - connections), options.timeout);
        connections += std::min(slice, wanted - connections);
      } else if (ready == before) {
        break;
      }
      co_await asio::post(io, use_awaitable);
    }
  }

  // The run ends now, not at housekeeping's next tick.
  void all_workers_done() {
    workers_done = true;
    housekeeping_timer.cancel();
  }

  Awaitable<void> housekeeping(ProgressDisplay* progress, MetricsOutput& metrics_out) {
    auto& timer = housekeeping_timer;
    auto next_progress = std::chrono::steady_clock::now() + (progress ? progress->period() : std::chrono::hours(24));
    for (;;) {
      timer.expires_after(flush_period);
      co_await timer.async_wait(asio::as_tuple(use_awaitable));
      co_await recorder.flush();
      if (!journal.error().empty()) control.stop(journal.error(), true);
      const auto now = std::chrono::steady_clock::now();
      if (control.stopping()) {
        if (!stop_seen) stop_seen = now;
        if (now - *stop_seen > options.timeout + stop_margin) pool.close_all();
      }
      if (workers_done) break;
      metrics_out.tick(metrics, seconds(), source.skipped());
      if (progress && now >= next_progress) {
        progress->show(snapshot());
        next_progress = now + progress->period();
      }
    }
    co_await recorder.flush();
    prints.flush();
    pool.close_all();
    if (shared) shared->close();
  }

  ProgressSnapshot snapshot() const {
    return {metrics, reader.bytes_read(), reader.file_size(), seconds(), in_flight.in_flight()};
  }
};

ProgressStyle progress_style(const RunSettings& options, EventLog& events) {
  ProgressStyle style;
  style.off = options.verbosity < 0;
  style.events = options.log_json ? &events : nullptr;
  style.bar = !options.log_json && (options.progress == 1 || (options.progress == -1 && is_terminal(STDERR_FILENO)));
  style.colour = style.bar && colour_allowed(STDERR_FILENO);
  style.interval = options.progress_interval;
  style.columns = [] { return terminal_columns(STDERR_FILENO); };
  style.timestamp = utc_timestamp;
  return style;
}

}  // namespace

std::filesystem::path default_results_path(const std::filesystem::path& job_file, unsigned shard, unsigned shards) {
  if (shards == 0) return default_results_path(job_file);
  auto out = job_file;
  const std::string stem = job_file.extension() == ".csv" ? job_file.stem().string() : job_file.filename().string();
  out.replace_filename(stem + ".shard-" + std::to_string(shard) + "-of-" + std::to_string(shards) + ".results.csv");
  return out;
}

std::filesystem::path default_results_path(const std::filesystem::path& job_file) {
  auto out = job_file;
  const std::string stem = job_file.extension() == ".csv" ? job_file.stem().string() : job_file.filename().string();
  out.replace_filename(stem + ".results.csv");
  return out;
}

std::string format_summary(const Summary& s) {
  std::ostringstream out;
  const auto done = s.rows_ok + s.rows_invalid + s.rows_failed + s.rows_unknown;
  out << "summary: " << done << " rows ended: " << s.rows_ok << " ok, " << s.rows_invalid << " invalid, "
      << s.rows_failed << " failed, " << s.rows_unknown << " unknown";
  if (s.rows_skipped) out << "; " << s.rows_skipped << " already final";
  if (s.rows_left) out << "; " << s.rows_left << " left for the next run";
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.1f", s.seconds > 0 ? static_cast<double>(done) / s.seconds : 0.0);
  out << "\nsummary: " << s.requests << " requests, " << s.retries << " retries, " << s.throttled
      << " throttled (429), " << rate << " rows/s in " << std::fixed;
  out.precision(1);
  out << s.seconds << " s\n";
  return out.str();
}

EventLog event_log_for(const RunSettings& options, std::ostream& log) {
  const auto shown = options.verbosity < 0 ? LogLevel::notice : options.verbosity > 0 ? LogLevel::debug : LogLevel::info;
  return EventLog(log, shown, options.log_json, utc_timestamp);
}

void log_summary(EventLog& events, const Summary& s) {
  auto n = [](std::uint64_t v) { return static_cast<std::int64_t>(v); };
  events.write(LogLevel::notice, "summary", format_summary(s),
               {{"rows_ok", n(s.rows_ok)},
                {"rows_invalid", n(s.rows_invalid)},
                {"rows_failed", n(s.rows_failed)},
                {"rows_unknown", n(s.rows_unknown)},
                {"rows_skipped", n(s.rows_skipped)},
                {"rows_left", n(s.rows_left)},
                {"requests", n(s.requests)},
                {"retries", n(s.retries)},
                {"throttled", n(s.throttled)},
                {"seconds", s.seconds},
                {"exit_code", static_cast<std::int64_t>(s.exit_code)}});
}

Summary run_with_kind(JobKind& kind, const RunSettings& options, std::ostream& log) {
  std::optional<CsvReader> reader;
  try {
    reader.emplace(options.job_file);
  } catch (const std::exception& e) {
    return cannot_start(e.what());
  }
  if (options.shards && (options.shard < 1 || options.shard > options.shards))
    return cannot_start("--shard K/N: K must be 1 to N");
  // A header without a required column would make every row invalid: the
  // job is refused before any request or results line.
  if (auto missing = check_header(reader->header().names, kind.columns()))
    return cannot_start(options.job_file.string() + ": " + *missing);
  if (auto problem = kind.header_problem(reader->header().names))
    return cannot_start(options.job_file.string() + ": " + *problem);
  if (auto problem = echo_problem(reader->header().names, options.echo, kind.columns())) return cannot_start(*problem);
  const auto out = options.out.empty() ? default_results_path(options.job_file, options.shard, options.shards)
                                       : options.out;
  if (auto problem = output_path_problem(options, out, !options.out.empty())) return cannot_start(*problem);
  RetryStatuses retry;
  if (!options.retry.empty()) {
    auto parsed = parse_retry_statuses(options.retry);
    if (!parsed) return cannot_start("--retry: \"" + options.retry + "\" is not a list of failed, unknown, invalid");
    retry = std::move(*parsed);
  }
  JournalState state;
  std::unique_ptr<JournalWriter> journal;
  try {
    state = load_journal(out, this_boot(), options.marks_directory);
    // A results file keeps the --echo columns it began with: its lines must match its header.
    if (state.results_bytes == 0) state.echo_columns = options.echo;
    if (state.echo_columns != options.echo) return cannot_start(echo_mismatch(out, state.echo_columns));
    // Room for the first answers, fresh, before anything is sent: a rerun on
    // a disk still full since a stop for want of it is refused here.
    if (auto no_room = hold_fresh_room(out, std::uint64_t{options.concurrency} * room_per_row))
      return cannot_start(*no_room);
    if (auto changed = check_job_unchanged(options.job_file, out,
                                           {state.record, state.final_rows, state.intents, state.checkpoints},
                                           retry))
      return cannot_start(std::move(*changed));
    journal = std::make_unique<JournalWriter>(out, state);
    journal->keep_sent_marks_in(options.marks_directory);
  } catch (const std::exception& e) {
    return cannot_start(e.what());
  }
  if (const auto header = header_fingerprint(reader->header()); state.record.header != header)
    journal->note(format_header_line(header));

  std::unique_ptr<Run> run;
  try {
    run = std::make_unique<Run>(kind, options, *reader, state, *journal, log);
  } catch (const std::exception& e) {
    return cannot_start(e.what());
  }
  Run& r = *run;
  r.source.retry(retry);

  std::optional<asio::signal_set> signals;
  // The first signal stops starting rows; a second one stops waiting for the
  // requests already written (their rows may then end unclear on the rerun).
  std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code ec, int) {
    if (ec) return;
    if (r.control.stopping() && !r.control.failed()) {
      r.control.cut_short();
      r.pool.close_all();
      return;
    }
    r.control.stop("interrupted");
    signals->async_wait(on_signal);
  };
  if (options.install_signal_handlers) {
    signals.emplace(r.io, SIGINT, SIGTERM, SIGHUP);
    signals->async_wait(on_signal);
  }
  SteadyTimer deadline(r.io);
  if (options.deadline) {
    deadline.expires_at(r.started + *options.deadline);
    deadline.async_wait([&r](boost::system::error_code ec) {
      if (!ec) r.control.stop("deadline reached");
    });
  }
  EventLog events = event_log_for(options, log);
  r.api_events(&events);
  ProgressDisplay progress(log, progress_style(options, events));
  MetricsOutput metrics_out(options, kind.name());

  asio::co_spawn(r.io, r.main(), asio::detached);
  asio::co_spawn(r.io, r.housekeeping(&progress, metrics_out), [&](std::exception_ptr) {
    if (signals) signals->cancel();
    deadline.cancel();
  });
  r.io.run();
  progress.finish(r.snapshot());

  Summary s;
  if (!journal->commit() && !r.control.stopping()) r.control.stop(journal->error(), true);
  // A run stopped by a full disk, however it met it (the room asked ahead, or a
  // write), keeps what it held: a rerun on a disk still full must refuse, not send.
  if (r.room.refused() || journal->out_of_space()) journal->keep_room();
  s.rows_ok = r.metrics.rows(RowStatus::ok);
  s.rows_invalid = r.metrics.rows(RowStatus::invalid);
  s.rows_failed = r.metrics.rows(RowStatus::failed);
  s.rows_unknown = r.metrics.rows(RowStatus::unknown);
  s.rows_skipped = r.source.skipped();
  s.requests = r.metrics.requests();
  s.retries = r.metrics.retries();
  s.throttled = r.metrics.throttled();
  s.seconds = r.seconds();
  // A start cut short by a signal or the deadline is a stop (exit 3), not a refusal.
  const bool start_refused = !r.start_result.ok && !(r.control.stopping() && !r.control.failed());
  if (r.control.refused()) {
    s.exit_code = 2;
    s.error = r.control.reason();
  } else if (start_refused) {
    s.exit_code = 2;
    s.error = r.start_result.error;
  } else if (r.control.stopping()) {
    s.rows_left = r.source.rows_read() - r.source.skipped() - r.metrics.rows_done() + r.source.count_remaining();
    s.exit_code = 3;
    s.error = r.control.reason();
  } else {
    const std::uint64_t earlier_not_ok = state.final_not_ok - std::min(state.final_not_ok, r.source.retried());
    s.exit_code = (s.rows_invalid + s.rows_failed + s.rows_unknown + earlier_not_ok) ? 1 : 0;
    // Every row has its final line, synced: no mark will be read again.
    journal->drop_sent_marks(options.marks_directory, state.marks_files);
  }
  for (const auto& warning : metrics_out.finish(r.metrics, s.seconds, s.rows_skipped, s.exit_code))
    events.write(LogLevel::warning, "warning", "audience-batch: warning: " + warning, {{"message", warning}});
  return s;
}

}  // namespace ab
