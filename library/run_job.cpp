// run_job: chooses the kind from the registry and the endpoints (the embedded simulator with
// --sim), checks that plain http stays on loopback, and hands over to the
// engine's runner.
#include "library/referee_report.hpp"
#include "audience_batch/run.hpp"
#include "audience_batch/simulator.hpp"
#include "engine/send/http_client.hpp"
#include "engine/run/runner.hpp"
#include "jobs/registry.hpp"

#include <boost/url/parse.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace ab {

namespace {

// SPEC.md §3: https is verified; http is for loopback unless explicitly allowed.
std::optional<std::string> insecure_url(const std::string& url, bool allowed) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return "not a URL: " + url;
  // Library callers skip the CLI's checks: a port out of range would wrap to another one.
  if (parsed->has_port() && (parsed->port_number() == 0 || std::to_string(parsed->port_number()) != parsed->port()))
    return url + ": the port is not a number from 1 to 65535";
  if (parsed->scheme() == "https" || allowed) return std::nullopt;
  if (parsed->scheme() != "http") return "unsupported scheme: " + url;
  if (is_loopback_host(parsed->host_address())) return std::nullopt;
  return url + " is plain http to a host that is not loopback: use https, or --allow-insecure-http";
}

void point_at_simulator(JobConfig& job, const SimEndpoints& sim) {
  job.nf = NeuroflashEndpoints{sim.nf_api, sim.nf_token_url, job.nf.workspace, sim.client_id, sim.client_secret};
  job.tw = TwitterEndpoints{sim.tw_api, sim.tw_account, sim.consumer_key, sim.consumer_secret, sim.access_token,
                            sim.access_token_secret};
}

Summary refuse(std::string error) {
  Summary s;
  s.exit_code = 2;
  s.error = std::move(error);
  return s;
}

// What the embedded simulator says at a rehearsal's end: its referee (referee_report) and its store's size.
struct SimReport {
  std::string referee;
  std::string store;
};

Summary run(const RunOptions& given, std::ostream& log, SimReport& said) {
  RunOptions options = given;
  std::optional<Simulator> simulator;
  if (options.use_simulator) {
    SimOptions sim = options.simulator;
    if (options.sim_store_ids) sim.store = SimStore::ids;
    simulator.emplace(sim);
    point_at_simulator(options.job, simulator->start());
  }
  // Whatever the run's end, a rehearsal shows what the referee saw.
  struct RefereeReport {
    const std::optional<Simulator>& simulator;
    SimReport& said;
    ~RefereeReport() {
      if (!simulator) return;
      const auto stats = simulator->stats_json();
      said = {referee_report(stats), store_report(stats)};
    }
  } report{simulator, said};
  const KindDeclaration* declared = find_job_kind(options.kind);
  if (!declared) return refuse("unknown job kind \"" + options.kind + "\" (known: " + job_kind_list() + ")");
  for (const auto& url : declared->api->urls(options.job))
    if (auto problem = insecure_url(url, options.allow_insecure_http)) return refuse(*problem);
  options.rates = with_rate_defaults(options.rates, *declared);
  const std::unique_ptr<JobKind> kind = declared->make(options.job);
  return run_with_kind(*kind, options, log);
}

}  // namespace

Summary run_job(const RunOptions& options, std::ostream& log) {
  SimReport said;
  Summary s = run(options, log, said);
  auto events = event_log_for(options, log);
  // The referee's findings end a rehearsal's output, whatever its end.
  const auto report_referee = [&] {
    if (!said.store.empty()) events.write(LogLevel::notice, "sim_store", said.store, {{"report", said.store}});
    if (!said.referee.empty()) events.write(LogLevel::notice, "referee", said.referee, {{"report", said.referee}});
  };
  if (s.exit_code == 2) {
    events.write(LogLevel::error, "error", "audience-batch: error: " + s.error, {{"message", s.error}});
    report_referee();
    return s;
  }
  log_summary(events, s);
  if (s.exit_code == 3)
    events.write(LogLevel::notice, "stopped",
                 "audience-batch: stopped early (" + s.error + "); run the same command again to finish",
                 {{"reason", s.error}});
  report_referee();
  return s;
}

}  // namespace ab
