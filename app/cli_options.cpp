#include "app/cli_options.hpp"

#include "app/budget_store_options.hpp"
#include "app/operations_options.hpp"

#include "engine/run/duration.hpp"
#include "engine/text/near_names.hpp"
#include "engine/journal/run_record.hpp"
#include "engine/shared/store_url.hpp"
#include "jobs/registry.hpp"

#include <boost/program_options.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <sstream>

namespace ab {

namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  audience-batch run   JOB.csv --job KIND [options]   run a job file\n"
    "  audience-batch check JOB.csv --job KIND [options]   validate every row, send nothing\n"
    "  audience-batch sim   [sim options]                  serve both APIs locally\n"
    "  audience-batch report JOB.csv                       merge the shards' results: a summary, rows still open\n"
    "  audience-batch --help | --version\n";

constexpr const char* kExamples =
    "examples:\n"
    "  # rehearse a night on the embedded simulator, no account needed\n"
    "  audience-batch run examples/nf.create.csv --job nf.create --sim\n"
    "  # lint a file before the night\n"
    "  audience-batch check audiences.csv --job nf.create\n"
    "  # the real thing: secrets from the environment only\n"
    "  NEUROFLASH_CLIENT_ID=... NEUROFLASH_CLIENT_SECRET=... \\\n"
    "    audience-batch run audiences.csv --job nf.create --concurrency 16 --deadline 5h\n"
    "  # count audiences by name prefix within X's 200-per-15-minutes budget\n"
    "  audience-batch run prefixes.csv --job tw.count --tw-account 18ce54d4x5t --responses counts.jsonl\n"
    "  # serve both APIs on a free port with a bad night's faults\n"
    "  audience-batch sim --port 0 --error-rate 0.05 --throttle-rate 0.05 --latency 50ms\n"
    "\n"
    "Secrets come from the environment only: NEUROFLASH_CLIENT_ID, NEUROFLASH_CLIENT_SECRET,\n"
    "TWITTER_CONSUMER_KEY, TWITTER_CONSUMER_SECRET, TWITTER_ACCESS_TOKEN, TWITTER_ACCESS_TOKEN_SECRET.\n"
    "Files: the results file, its .journal, and while a night is open a small marks file in /dev/shm\n"
    "(AUDIENCE_BATCH_MARKS_DIR names another directory) saying which requests left.\n"
    "Exit codes: 0 every row ok; 1 some rows invalid, failed or unknown; 2 nothing sent\n"
    "(usage, configuration, credentials, unreadable file); 3 stopped early, run again to resume.\n";

// "tw.total_count=200/15m, tw.members=1500/1m": the defaults the kinds declare.
std::string rate_defaults() {
  std::string out;
  for (const KindDeclaration* kind : job_kinds())
    for (const BudgetDeclaration& budget : kind->budgets) {
      const std::string spec = std::string(budget.name) + "=";
      if (budget.limit == 0 || out.find(spec) != std::string::npos) continue;
      out += (out.empty() ? "" : ", ") + spec + std::to_string(budget.limit) + "/" + format_duration(budget.window);
    }
  return out;
}

po::options_description job_options() {
  po::options_description d("job options (run, check)");
  d.add_options()
      ("job", po::value<std::string>()->value_name("KIND"), ("the job kind: " + job_kind_list()).c_str())
      ("out", po::value<std::string>()->value_name("FILE"), "results file (default: JOB.results.csv)")
      ("responses", po::value<std::string>()->value_name("FILE"), "write the API's data as JSON lines")
      ("metrics", po::value<std::string>()->value_name("FILE"), "write the run's figures in Prometheus text format")
      ("create", po::bool_switch(), "nf.url-import: create an audience from each profile")
      ("audience-model", po::value<std::string>()->value_name("ID"), "nf.url-import: audienceModelId when the row gives none")
      ("sim", po::bool_switch(), "run against the embedded simulator (no account needed)");
  return d;
}

po::options_description endpoint_options() {
  po::options_description d("where requests go (flag, else environment, else default)");
  d.add_options()
      ("nf-api", po::value<std::string>()->value_name("URL"), "NEUROFLASH_API_URL; default https://app.neuroflash.com/api")
      ("nf-token-url", po::value<std::string>()->value_name("URL"), "NEUROFLASH_TOKEN_URL; default https://id.neuroflash.com/oauth/v2/token")
      ("nf-workspace", po::value<std::string>()->value_name("ID"), "NEUROFLASH_WORKSPACE_ID; default the first workspace listed")
      ("tw-api", po::value<std::string>()->value_name("URL"), "TWITTER_ADS_API_URL; default https://ads-api.x.com/12 (the version X serves today; .../8 speaks v8)")
      ("tw-account", po::value<std::string>()->value_name("ID"), "TWITTER_ADS_ACCOUNT_ID; required for tw.* jobs")
      ("ca-file", po::value<std::string>()->value_name("FILE"), "verify https against these CAs instead of the system store")
      ("allow-insecure-http", po::bool_switch(), "accept plain http:// for non-loopback hosts");
  return d;
}

po::options_description limit_options() {
  po::options_description d("limits, retries, time");
  d.add_options()
      ("concurrency", po::value<unsigned>()->value_name("N"), "requests in flight (default 32)")
      ("rate", po::value<std::vector<std::string>>()->composing()->value_name("NAME=N/DURATION"),
       ("a client-side budget, repeatable (default " + rate_defaults() + ")").c_str())
      ("max-attempts", po::value<unsigned>()->value_name("N"), "tries per request (default 8)")
      ("timeout", po::value<std::string>()->value_name("DURATION"), "one request (default 30s)")
      ("deadline", po::value<std::string>()->value_name("DURATION"), "stop starting work after this (default none)")
      ("retry", po::value<std::string>()->value_name("STATUSES"),
       "work again on rows whose final line is failed, unknown or invalid (comma-separated)")
      ("progress", po::value<std::string>()->value_name("auto|bar|lines"), "progress display (default auto)")
      ("budget-store", po::value<std::string>()->value_name("URL"),
       "AUDIENCE_BATCH_BUDGET_STORE; redis[s]://[user:password@]host:port[/db]: budgets shared with other runs")
      ("budget-store-cert", po::value<std::string>()->value_name("FILE"),
       "AUDIENCE_BATCH_BUDGET_STORE_CERT; rediss://: the client certificate (PEM), with --budget-store-key")
      ("budget-store-key", po::value<std::string>()->value_name("FILE"),
       "AUDIENCE_BATCH_BUDGET_STORE_KEY; rediss://: the client certificate's private key (PEM)")
      ("shard", po::value<std::string>()->value_name("K/N"),
       "only rows r with (r-1) mod N = K-1 (K 1-based; auto/N: K = JOB_COMPLETION_INDEX+1)");
  return d;
}

// The bad-night options `sim` takes as --NAME and `run --sim` as --sim-NAME:
// one list, so that the two never drift apart.
void add_fault_options(po::options_description& d, const std::string& prefix) {
  const auto name = [&prefix](const char* option) { return prefix + option; };
  d.add_options()
      (name("latency").c_str(), po::value<std::string>()->value_name("DURATION"), "added to every answer, with jitter")
      (name("path-delay").c_str(), po::value<std::string>()->value_name("DURATION"),
       "each way between client and server: requests are handled (and rate-counted) this late, "
       "answered this late again")
      (name("clock-behind").c_str(), po::value<std::string>()->value_name("DURATION"),
       "the API's clock runs this far behind this machine's (its resets, Retry-After and Date headers)")
      (name("error-rate").c_str(), po::value<double>()->value_name("P"), "share of requests answered 5xx, nothing changed")
      (name("retry-after-share").c_str(), po::value<double>()->value_name("P"),
       "share of those 5xx that are 503 with Retry-After: 1, a refusal that parks the client's whole budget (default 0.2)")
      (name("throttle-rate").c_str(), po::value<double>()->value_name("P"), "share of requests answered 429, nothing changed")
      (name("throttle-retry-after-share").c_str(), po::value<double>()->value_name("P"), "of those 429s: with Retry-After: 1 (default 0)")
      (name("unavailable-rate").c_str(), po::value<double>()->value_name("P"), "share of requests answered 503 without Retry-After")
      (name("reset-rate").c_str(), po::value<double>()->value_name("P"), "share of connections dropped before answering")
      (name("lost-reply-rate").c_str(), po::value<double>()->value_name("P"), "share of requests carried out, then the connection dropped")
      (name("total-count-limit").c_str(), po::value<std::string>()->value_name("N/DURATION"), "with_total_count budget (default 200/15m)")
      (name("nf-rate").c_str(), po::value<std::string>()->value_name("N/DURATION"), "neuroflash rate limit (default none)")
      (name("nf-rate-hidden").c_str(), po::bool_switch(), "the neuroflash rate limit publishes no x-rate-limit-* headers")
      (name("tw-rate").c_str(), po::value<std::string>()->value_name("N/DURATION"),
       "one X budget per ad account for every endpoint (default: X's published budgets per endpoint family)")
      (name("seed").c_str(), po::value<std::uint64_t>()->value_name("N"), "seed of the fault and data generators (default 1)");
}

po::options_description sim_options() {
  po::options_description d("sim options");
  d.add_options()
      ("port", po::value<unsigned>()->value_name("N"), "port to listen on; 0 picks a free one (default 0)")
      ("host", po::value<std::string>()->value_name("ADDR"), "address to bind (default 127.0.0.1)");
  add_fault_options(d, "");
  d.add_options()
      ("token-ttl", po::value<std::string>()->value_name("DURATION"), "neuroflash token lifetime (default 4h)")
      ("threads", po::value<unsigned>()->value_name("N"), "server threads (default 1)")
      ("tls", po::value<std::vector<std::string>>()->multitoken()->value_name("CERT KEY"), "serve HTTPS with this certificate and key");
  return d;
}

// Shared by `sim` and `run --sim`, so in neither command's own list.
po::options_description store_options() {
  po::options_description d("simulator store (sim, run --sim)");
  d.add_options()
      ("sim-store", po::value<std::string>()->value_name("full|ids"),
       "what the simulator keeps of a created neuroflash audience: full (default; every field, "
       "about 75 bytes) or ids (id, workspace and a fingerprint, about 20 bytes; a GET of it is refused)");
  return d;
}

po::options_description run_sim_options() {
  po::options_description d("run --sim: the embedded simulator's bad night (its referee's findings are printed at the end)");
  add_fault_options(d, "sim-");
  return d;
}

std::string help_text() {
  std::ostringstream out;
  out << "audience-batch: push thousands of audiences into neuroflash and X Ads overnight,\n"
         "within every rate limit, retrying what can be retried and losing nothing.\n\n"
      << kUsage << "\n"
      << job_options() << "\n" << endpoint_options() << "\n" << limit_options() << "\n" << operations_options()
      << "\n" << run_sim_options() << "\n" << sim_options() << "\n" << store_options() << "\n"
      << kExamples;
  return out.str();
}

// Thrown inside the parser for a misuse; becomes UsageError.
struct Misuse {
  std::string message;
};

[[noreturn]] void misuse(std::string message) { throw Misuse{std::move(message)}; }

template <class T>
std::optional<T> get(const po::variables_map& vm, const char* name) {
  if (!vm.count(name)) return std::nullopt;
  return vm[name].as<T>();
}

// --sim-store's value: true for ids.
bool keeps_ids_only(const po::variables_map& vm) {
  auto v = get<std::string>(vm, "sim-store");
  if (!v || *v == "full") return false;
  if (*v == "ids") return true;
  misuse("--sim-store: full or ids");
}

std::string pick(const po::variables_map& vm, const char* flag, const Environment& env, const char* variable,
                 std::string fallback) {
  if (auto v = get<std::string>(vm, flag)) return *v;
  if (auto v = env(variable); v && !v->empty()) return *v;
  return fallback;
}

Duration duration_flag(const po::variables_map& vm, const char* name, Duration fallback) {
  auto text = get<std::string>(vm, name);
  if (!text) return fallback;
  std::string error;
  auto d = parse_duration(*text, &error);
  if (!d) misuse("--" + std::string(name) + ": " + error);
  return *d;
}

std::optional<RateSpec> rate_flag(const po::variables_map& vm, const char* name) {
  auto text = get<std::string>(vm, name);
  if (!text) return std::nullopt;
  std::string error;
  auto r = parse_rate(*text, &error);
  if (!r) misuse("--" + std::string(name) + ": " + error);
  return r;
}

// A port beyond 65535 would wrap around to another one (99999 is 34463)
// and the credentials would go there: refused, as is an empty one.
void check_url(const std::string& url, const std::string& what) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") || parsed->host().empty())
    misuse(what + ": \"" + url + "\" is not an absolute http(s) URL");
  if (!parsed->has_port()) return;
  const std::string port(parsed->port());
  const bool digits = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoul(port) < 1 || std::stoul(port) > 65535)
    misuse(what + ": \"" + url + "\" has port \"" + port + "\"; a port is a number from 1 to 65535");
}

// The name to give a URL's setting in a refusal: the flag, or the environment variable it came from.
std::string url_source(const po::variables_map& vm, const char* flag, const char* variable) {
  return vm.count(flag) ? "--" + std::string(flag) : std::string(variable);
}

double probability_flag(const po::variables_map& vm, const char* name) {
  auto p = get<double>(vm, name).value_or(0.0);
  if (!(p >= 0.0 && p <= 1.0)) misuse("--" + std::string(name) + ": a share between 0 and 1 is expected");
  return p;
}

// "K/N" (1 <= K <= N), or "auto/N" with K = JOB_COMPLETION_INDEX + 1 (a
// Kubernetes Indexed Job numbers its pods from 0).
std::pair<unsigned, unsigned> shard_flag(const std::string& text, const Environment& env) {
  const auto slash = text.find('/');
  auto number = [](std::string_view t, unsigned& out) {
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    return ec == std::errc() && end == t.data() + t.size() && !t.empty();
  };
  unsigned k = 0, n = 0;
  if (slash == std::string::npos || !number(std::string_view(text).substr(slash + 1), n) || n < 1 || n > 1'000'000)
    misuse("--shard: K/N is expected, as in --shard 2/4 (N from 1 to 1000000)");
  const auto first = std::string_view(text).substr(0, slash);
  if (first == "auto") {
    const auto index = env("JOB_COMPLETION_INDEX");
    unsigned i = 0;
    if (!index || !number(*index, i))
      misuse("--shard auto/N: JOB_COMPLETION_INDEX is not set to a number (it is set in a Kubernetes Indexed Job)");
    if (i >= n) misuse("--shard auto/" + std::to_string(n) + ": JOB_COMPLETION_INDEX " + *index + " is not below " + std::to_string(n));
    k = i + 1;
  } else if (!number(first, k) || k < 1 || k > n) {
    misuse("--shard: K must be 1 to N (shards are numbered from 1), as in --shard 1/" + std::to_string(n));
  }
  return {k, n};
}

// Who charges a budget: "nf.* jobs charge" when every kind of one API does, else the kinds by name.
std::string charged_by(const std::vector<const KindDeclaration*>& kinds) {
  const ApiDeclaration* api = kinds.front()->api;
  const auto of_api = [&](const KindDeclaration* k) { return k->api == api; };
  const bool whole_api = std::all_of(kinds.begin(), kinds.end(), of_api) &&
                         std::count_if(job_kinds().begin(), job_kinds().end(), of_api) ==
                             static_cast<std::ptrdiff_t>(kinds.size());
  if (whole_api) return std::string(api->prefix) + "* jobs charge";
  std::string names;
  for (const KindDeclaration* kind : kinds) names += (names.empty() ? "" : ", ") + std::string(kind->name);
  return names + (kinds.size() == 1 ? " charges" : " charge");
}

// "--rate tw.totalcount=1/1s" would otherwise make a budget nothing charges.
void check_rate_names(const std::vector<RateSpec>& rates, const KindDeclaration& kind,
                      std::vector<std::string>& warnings) {
  const std::vector<std::string_view> names = budget_names();
  std::string valid;
  for (std::string_view name : names) valid += (valid.empty() ? "" : ", ") + std::string(name);
  for (const auto& rate : rates) {
    const auto charging = kinds_charging(rate.name);
    if (charging.empty()) {
      const auto near = near_names(rate.name, names, 1);
      misuse("--rate: no budget is named \"" + rate.name + "\"" +
             (near.empty() ? std::string() : " (did you mean " + near.front() + "?)") + "; the budgets are " + valid);
    }
    if (std::find(charging.begin(), charging.end(), &kind) == charging.end())
      warnings.push_back("--rate " + rate.name + " does nothing for " + std::string(kind.name) + ": only " +
                         charged_by(charging) + " it");
  }
}

// Flags this combination would silently ignore: refused when they change
// what a run does, warned about when they only name the other API.
void check_flags_in_effect(const po::variables_map& vm, const KindDeclaration& kind, bool sim,
                           std::vector<std::string>& warnings) {
  for (const char* flag : {"nf-api", "nf-token-url", "tw-api", "tw-account", "ca-file", "allow-insecure-http"}) {
    if (sim && vm.count(flag) && !vm[flag].defaulted()) misuse("--" + std::string(flag) + " does nothing with --sim (the simulator serves both APIs itself)");
  }
  for (const KindDeclaration* other : job_kinds())
    for (std::string_view flag : other->flags) {
      const std::string name(flag);
      const bool given = vm.count(name) && !vm[name].defaulted();
      if (given && std::find(kind.flags.begin(), kind.flags.end(), flag) == kind.flags.end())
        misuse("--" + name + " is for --job " + std::string(other->name) + " only, not " + std::string(kind.name));
    }
  for (const ApiDeclaration* api : job_apis()) {
    if (api == kind.api) continue;
    for (std::string_view flag : api->flags)
      if (vm.count(std::string(flag)))
        warnings.push_back("--" + std::string(flag) + " does nothing for " + std::string(kind.name) +
                           " (a job of the other API)");
  }
}

RunOptions run_options(const po::variables_map& vm, const Environment& env, bool for_check,
                       std::vector<std::string>& warnings) {
  RunOptions o;
  if (!vm.count("file")) misuse("a job file is required (audience-batch " + std::string(for_check ? "check" : "run") + " JOB.csv --job KIND)");
  o.job_file = vm["file"].as<std::string>();
  auto kind = get<std::string>(vm, "job");
  if (!kind) misuse("--job is required: one of " + job_kind_list());
  const KindDeclaration* declared = find_job_kind(*kind);
  if (!declared) misuse("--job: unknown kind \"" + *kind + "\"; one of " + job_kind_list());
  o.kind = *kind;
  if (auto v = get<std::string>(vm, "out")) o.out = *v;
  if (auto v = get<std::string>(vm, "responses")) o.responses = *v;
  if (auto v = get<std::string>(vm, "metrics")) o.metrics = *v;
  o.use_simulator = vm["sim"].as<bool>();
  o.sim_store_ids = keeps_ids_only(vm);
  if (vm.count("sim-store") && !o.use_simulator) misuse("--sim-store applies to the embedded simulator: add --sim");
  o.job.create = vm["create"].as<bool>();
  if (auto v = get<std::string>(vm, "audience-model")) {
    if (v->empty()) misuse("--audience-model: an id is expected");
    o.job.audience_model = *v;
  }
  auto& nf = o.job.nf;
  nf.api = pick(vm, "nf-api", env, "NEUROFLASH_API_URL", nf.api);
  nf.token_url = pick(vm, "nf-token-url", env, "NEUROFLASH_TOKEN_URL", nf.token_url);
  nf.workspace = pick(vm, "nf-workspace", env, "NEUROFLASH_WORKSPACE_ID", "");
  nf.client_id = env("NEUROFLASH_CLIENT_ID").value_or("");
  nf.client_secret = env("NEUROFLASH_CLIENT_SECRET").value_or("");
  auto& tw = o.job.tw;
  tw.api = pick(vm, "tw-api", env, "TWITTER_ADS_API_URL", tw.api);
  tw.account = pick(vm, "tw-account", env, "TWITTER_ADS_ACCOUNT_ID", "");
  tw.consumer_key = env("TWITTER_CONSUMER_KEY").value_or("");
  tw.consumer_secret = env("TWITTER_CONSUMER_SECRET").value_or("");
  tw.access_token = env("TWITTER_ACCESS_TOKEN").value_or("");
  tw.access_token_secret = env("TWITTER_ACCESS_TOKEN_SECRET").value_or("");
  check_url(nf.api, url_source(vm, "nf-api", "NEUROFLASH_API_URL"));
  check_url(nf.token_url, url_source(vm, "nf-token-url", "NEUROFLASH_TOKEN_URL"));
  check_url(tw.api, url_source(vm, "tw-api", "TWITTER_ADS_API_URL"));
  if (auto v = get<std::string>(vm, "ca-file")) o.ca_file = *v;
  o.allow_insecure_http = vm["allow-insecure-http"].as<bool>();

  if (auto v = get<unsigned>(vm, "concurrency")) {
    if (*v < 1 || *v > 4096) misuse("--concurrency: between 1 and 4096 requests in flight");
    o.concurrency = *v;
  }
  if (auto v = get<unsigned>(vm, "max-attempts")) {
    if (*v < 1 || *v > 100) misuse("--max-attempts: between 1 and 100");
    o.max_attempts = *v;
  }
  o.timeout = duration_flag(vm, "timeout", o.timeout);
  if (o.timeout.count() <= 0) misuse("--timeout: must be longer than 0");
  if (vm.count("deadline")) o.deadline = duration_flag(vm, "deadline", {});
  if (auto v = get<std::string>(vm, "retry")) {
    if (!parse_retry_statuses(*v)) misuse("--retry: failed, unknown or invalid, comma-separated (--retry failed,unknown)");
    o.retry = *v;
  }
  if (auto rates = get<std::vector<std::string>>(vm, "rate")) {
    for (const auto& text : *rates) {
      std::string error;
      auto r = parse_rate_spec(text, &error);
      if (!r) misuse("--rate: " + error);
      o.rates.push_back(*r);
    }
  }
  if (auto v = get<std::string>(vm, "progress")) {
    if (*v == "auto") o.progress = -1;
    else if (*v == "bar") o.progress = 1;
    else if (*v == "lines") o.progress = 0;
    else misuse("--progress: auto, bar or lines");
  }
  check_rate_names(o.rates, *declared, warnings);
  check_flags_in_effect(vm, *declared, o.use_simulator, warnings);
  read_operations_options(vm, env, o, for_check);
  if (!for_check) read_budget_store_options(vm, env, o);
  if (auto v = get<std::string>(vm, "shard")) std::tie(o.shard, o.shards) = shard_flag(*v, env);
  // The simulator serves both APIs with settings of its own.
  if (declared->api->settings_problem && !o.use_simulator)
    if (std::string problem = declared->api->settings_problem(o.job, !for_check); !problem.empty()) misuse(problem);
  return o;
}

// The options add_fault_options declared under `prefix`, into `o`.
void read_fault_options(const po::variables_map& vm, const std::string& prefix, SimOptions& o) {
  const auto name = [&prefix](const char* option) { return prefix + option; };
  o.latency = duration_flag(vm, name("latency").c_str(), o.latency);
  o.path_delay = duration_flag(vm, name("path-delay").c_str(), o.path_delay);
  o.clock_behind = duration_flag(vm, name("clock-behind").c_str(), o.clock_behind);
  o.error_rate = probability_flag(vm, name("error-rate").c_str());
  if (vm.count(name("retry-after-share"))) o.retry_after_share = probability_flag(vm, name("retry-after-share").c_str());
  o.throttle_rate = probability_flag(vm, name("throttle-rate").c_str());
  o.reset_rate = probability_flag(vm, name("reset-rate").c_str());
  if (vm.count(name("throttle-retry-after-share")))
    o.throttle_retry_after_share = probability_flag(vm, name("throttle-retry-after-share").c_str());
  o.unavailable_rate = probability_flag(vm, name("unavailable-rate").c_str());
  o.nf_rate_published = !vm[name("nf-rate-hidden")].as<bool>();
  o.lost_reply_rate = probability_flag(vm, name("lost-reply-rate").c_str());
  if (auto r = rate_flag(vm, name("total-count-limit").c_str())) o.total_count_limit = r->limit, o.total_count_window = r->window;
  if (auto r = rate_flag(vm, name("nf-rate").c_str())) o.nf_rate_limit = r->limit, o.nf_rate_window = r->window;
  if (auto r = rate_flag(vm, name("tw-rate").c_str())) o.tw_rate_limit = r->limit, o.tw_rate_window = r->window;
  if (auto v = get<std::uint64_t>(vm, name("seed").c_str())) o.seed = *v;
}

SimOptions sim_command_options(const po::variables_map& vm) {
  SimOptions o;
  if (auto v = get<unsigned>(vm, "port")) {
    if (*v > 65535) misuse("--port: 0 to 65535");
    o.port = static_cast<std::uint16_t>(*v);
  }
  if (auto v = get<std::string>(vm, "host")) o.host = *v;
  read_fault_options(vm, "", o);
  if (vm.count("token-ttl")) {
    auto ttl = duration_flag(vm, "token-ttl", {});
    if (ttl.count() < 1000) misuse("--token-ttl: at least 1s");
    o.token_ttl = std::chrono::duration_cast<std::chrono::seconds>(ttl);
  }
  if (auto v = get<unsigned>(vm, "threads")) {
    if (*v < 1 || *v > 64) misuse("--threads: 1 to 64");
    o.threads = *v;
  }
  if (keeps_ids_only(vm)) o.store = SimStore::ids;
  if (auto v = get<std::vector<std::string>>(vm, "tls")) {
    if (v->size() != 2) misuse("--tls: a certificate file and a key file are expected (--tls CERT KEY)");
    o.tls_cert = (*v)[0];
    o.tls_key = (*v)[1];
  }
  return o;
}

// Options that belong to another command are refused rather than ignored.
void refuse_foreign(const po::variables_map& vm, const po::options_description& foreign, const std::string& command) {
  for (const auto& option : foreign.options()) {
    const auto& name = option->long_name();
    if (vm.count(name) && !vm[name].defaulted())
      misuse("--" + name + " is not an option of '" + command + "'");
  }
}

std::string unknown_option_message(const std::string& given, const std::vector<const po::options_description*>& of) {
  std::vector<std::string> names;
  for (const auto* description : of)
    for (const auto& option : description->options()) names.push_back(option->long_name());
  const std::vector<std::string_view> views(names.begin(), names.end());
  std::string typed = given;
  typed.erase(0, typed.find_first_not_of('-'));
  typed = typed.substr(0, typed.find('='));
  auto near = near_names(typed, views);
  for (auto& name : near) name = "--" + name;
  return "unknown option " + given + (near.empty() ? std::string() : " (did you mean " + name_list(near, "") + "?)");
}

Command report_command(const std::vector<std::string>& rest) {
  po::options_description d("report options");
  d.add_options()("file", po::value<std::string>())("help,h", po::bool_switch())(
      "results", po::value<std::vector<std::string>>()->composing()->value_name("FILE"),
      "a results file to merge, repeatable (default: JOB.results.csv and every JOB.shard-K-of-N.results.csv)");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(rest).options(d).positional(positional).run(), vm);
  po::notify(vm);
  if (vm["help"].as<bool>()) {
    std::ostringstream out;
    out << "usage: audience-batch report JOB.csv [--results FILE ...]\n\n" << d;
    return HelpCommand{out.str()};
  }
  if (!vm.count("file")) misuse("a job file is required (audience-batch report JOB.csv)");
  ReportCommand c{vm["file"].as<std::string>(), {}};
  if (auto v = get<std::vector<std::string>>(vm, "results"))
    for (const auto& f : *v) c.results.emplace_back(f);
  return c;
}

}  // namespace

Environment process_environment() {
  return [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

Command parse_command_line(const std::vector<std::string>& args, const Environment& env) {
  try {
    if (args.empty()) return UsageError{"a command is required: run, check, sim, --help or --version"};
    const std::string& command = args[0];
    if (command == "--help" || command == "-h" || command == "help") return HelpCommand{help_text()};
    if (command == "--version" || command == "-V") return VersionCommand{};
    if (command == "report") return report_command(std::vector<std::string>(args.begin() + 1, args.end()));
    if (command != "run" && command != "check" && command != "sim")
      return UsageError{"unknown command \"" + command + "\" (run, check, sim, report, --help, --version)"};

    po::options_description all;
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::string>())("help,h", po::bool_switch());
    auto job = job_options();
    auto endpoints = endpoint_options();
    auto limits = limit_options();
    auto sim = sim_options();
    auto operations = operations_options();
    auto store = store_options();
    auto run_sim = run_sim_options();
    all.add(hidden).add(job).add(endpoints).add(limits).add(operations).add(sim).add(store).add(run_sim);
    po::positional_options_description positional;
    positional.add("file", 1);

    std::vector<std::string> rest(args.begin() + 1, args.end());
    po::variables_map vm;
    // Exact long names only: by default Boost completes a prefix ("--retry"
    // became --retry-after-share), so a typo could turn into another flag.
    const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    try {
      po::store(po::command_line_parser(rest).options(all).positional(positional).style(style).run(), vm);
    } catch (const po::unknown_option& e) {
      using Descriptions = std::vector<const po::options_description*>;
      const auto known = command == "sim" ? Descriptions{&sim} : Descriptions{&job, &endpoints, &limits, &operations};
      misuse(unknown_option_message(e.get_option_name(), known));
    }
    po::notify(vm);

    if (vm["help"].as<bool>()) {
      std::ostringstream out;
      out << kUsage << "\n";
      if (command == "sim") out << sim << "\n" << store;
      else out << job << "\n" << endpoints << "\n" << limits << "\n" << operations << "\n" << run_sim << "\n" << store;
      return HelpCommand{out.str()};
    }
    if (command == "sim") {
      if (vm.count("file")) misuse("sim takes no job file");
      refuse_foreign(vm, job, command);
      refuse_foreign(vm, endpoints, command);
      refuse_foreign(vm, limits, command);
      refuse_foreign(vm, operations, command);
      refuse_foreign(vm, run_sim, command);
      return SimCommand{sim_command_options(vm)};
    }
    refuse_foreign(vm, sim, command);
    std::vector<std::string> warnings;
    if (command == "check") {
      refuse_foreign(vm, run_sim, command);
      return CheckCommand{run_options(vm, env, true, warnings)};
    }
    for (const auto& option : run_sim.options())
      if (vm.count(option->long_name()) && !vm[option->long_name()].defaulted() && !vm["sim"].as<bool>())
        misuse("--" + option->long_name() + " shapes the embedded simulator: add --sim");
    RunOptions options = run_options(vm, env, false, warnings);
    read_fault_options(vm, "sim-", options.simulator);
    return RunCommand{std::move(options), std::move(warnings)};
  } catch (const Misuse& m) {
    return UsageError{m.message};
  } catch (const po::error& e) {
    return UsageError{e.what()};
  }
}

}  // namespace ab
