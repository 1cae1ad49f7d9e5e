#include "app/cli_options.hpp"

#include "engine/duration.hpp"
#include "engine/store_url.hpp"
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
    "Exit codes: 0 every row ok; 1 some rows invalid, failed or unknown; 2 nothing sent\n"
    "(usage, configuration, credentials, unreadable file); 3 stopped early, run again to resume.\n";

std::string kinds_list() {
  std::string out;
  for (auto name : job_kind_names()) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

po::options_description job_options() {
  po::options_description d("job options (run, check)");
  d.add_options()
      ("job", po::value<std::string>()->value_name("KIND"), ("the job kind: " + kinds_list()).c_str())
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
      ("tw-api", po::value<std::string>()->value_name("URL"), "TWITTER_ADS_API_URL; default https://ads-api.twitter.com/8")
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
       "a client-side budget, repeatable (default tw.total_count=200/15m)")
      ("max-attempts", po::value<unsigned>()->value_name("N"), "tries per request (default 8)")
      ("timeout", po::value<std::string>()->value_name("DURATION"), "one request (default 30s)")
      ("deadline", po::value<std::string>()->value_name("DURATION"), "stop starting work after this (default none)")
      ("progress", po::value<std::string>()->value_name("auto|bar|lines"), "progress display (default auto)")
      ("budget-store", po::value<std::string>()->value_name("URL"),
       "AUDIENCE_BATCH_BUDGET_STORE; redis://[user:password@]host:port[/db]: budgets shared with other runs")
      ("shard", po::value<std::string>()->value_name("K/N"),
       "only rows r with (r-1) mod N = K-1 (K 1-based; auto/N: K = JOB_COMPLETION_INDEX+1)");
  return d;
}

po::options_description sim_options() {
  po::options_description d("sim options");
  d.add_options()
      ("port", po::value<unsigned>()->value_name("N"), "port to listen on; 0 picks a free one (default 0)")
      ("host", po::value<std::string>()->value_name("ADDR"), "address to bind (default 127.0.0.1)")
      ("latency", po::value<std::string>()->value_name("DURATION"), "added to every answer, with jitter")
      ("error-rate", po::value<double>()->value_name("P"), "share of requests answered 5xx, nothing changed")
      ("retry-after-share", po::value<double>()->value_name("P"),
       "share of those 5xx that are 503 with Retry-After: 1, a refusal that parks the client's whole budget (default 0.2)")
      ("throttle-rate", po::value<double>()->value_name("P"), "share of requests answered 429, nothing changed")
      ("reset-rate", po::value<double>()->value_name("P"), "share of connections dropped before answering")
      ("lost-reply-rate", po::value<double>()->value_name("P"), "share of requests carried out, then the connection dropped")
      ("total-count-limit", po::value<std::string>()->value_name("N/DURATION"), "with_total_count budget (default 200/15m)")
      ("nf-rate", po::value<std::string>()->value_name("N/DURATION"), "neuroflash rate limit (default none)")
      ("tw-rate", po::value<std::string>()->value_name("N/DURATION"), "X ad-account rate limit (default none)")
      ("token-ttl", po::value<std::string>()->value_name("DURATION"), "neuroflash token lifetime (default 4h)")
      ("seed", po::value<std::uint64_t>()->value_name("N"), "seed of the fault and data generators (default 1)")
      ("threads", po::value<unsigned>()->value_name("N"), "server threads (default 1)")
      ("tls", po::value<std::vector<std::string>>()->multitoken()->value_name("CERT KEY"), "serve HTTPS with this certificate and key");
  return d;
}

std::string help_text() {
  std::ostringstream out;
  out << "audience-batch: push thousands of audiences into neuroflash and X Ads overnight,\n"
         "within every rate limit, retrying what can be retried and losing nothing.\n\n"
      << kUsage << "\n"
      << job_options() << "\n" << endpoint_options() << "\n" << limit_options() << "\n" << sim_options() << "\n"
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

void check_url(const std::string& url, const char* what) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") || parsed->host().empty())
    misuse(std::string(what) + ": \"" + url + "\" is not an absolute http(s) URL");
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

RunOptions run_options(const po::variables_map& vm, const Environment& env, bool for_check) {
  RunOptions o;
  if (!vm.count("file")) misuse("a job file is required (audience-batch " + std::string(for_check ? "check" : "run") + " JOB.csv --job KIND)");
  o.job_file = vm["file"].as<std::string>();
  auto kind = get<std::string>(vm, "job");
  if (!kind) misuse("--job is required: one of " + kinds_list());
  auto names = job_kind_names();
  if (std::find(names.begin(), names.end(), *kind) == names.end())
    misuse("--job: unknown kind \"" + *kind + "\"; one of " + kinds_list());
  o.kind = *kind;
  if (auto v = get<std::string>(vm, "out")) o.out = *v;
  if (auto v = get<std::string>(vm, "responses")) o.responses = *v;
  if (auto v = get<std::string>(vm, "metrics")) o.metrics = *v;
  o.use_simulator = vm["sim"].as<bool>();
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
  check_url(nf.api, "--nf-api");
  check_url(nf.token_url, "--nf-token-url");
  check_url(tw.api, "--tw-api");
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
  if (!for_check) {
    o.budget_store = pick(vm, "budget-store", env, "AUDIENCE_BATCH_BUDGET_STORE", "");
    if (!o.budget_store.empty()) {
      auto url = parse_store_url(o.budget_store);
      if (auto* error = std::get_if<std::string>(&url)) misuse("--budget-store: " + *error);
    }
  }
  if (auto v = get<std::string>(vm, "shard")) std::tie(o.shard, o.shards) = shard_flag(*v, env);
  if (!for_check && o.kind.starts_with("tw.") && tw.account.empty() && !o.use_simulator)
    misuse("tw.* jobs need an ad account: --tw-account ID or TWITTER_ADS_ACCOUNT_ID");
  return o;
}

SimOptions sim_command_options(const po::variables_map& vm) {
  SimOptions o;
  if (auto v = get<unsigned>(vm, "port")) {
    if (*v > 65535) misuse("--port: 0 to 65535");
    o.port = static_cast<std::uint16_t>(*v);
  }
  if (auto v = get<std::string>(vm, "host")) o.host = *v;
  o.latency = duration_flag(vm, "latency", o.latency);
  o.error_rate = probability_flag(vm, "error-rate");
  if (vm.count("retry-after-share")) o.retry_after_share = probability_flag(vm, "retry-after-share");
  o.throttle_rate = probability_flag(vm, "throttle-rate");
  o.reset_rate = probability_flag(vm, "reset-rate");
  o.lost_reply_rate = probability_flag(vm, "lost-reply-rate");
  if (auto r = rate_flag(vm, "total-count-limit")) o.total_count_limit = r->limit, o.total_count_window = r->window;
  if (auto r = rate_flag(vm, "nf-rate")) o.nf_rate_limit = r->limit, o.nf_rate_window = r->window;
  if (auto r = rate_flag(vm, "tw-rate")) o.tw_rate_limit = r->limit, o.tw_rate_window = r->window;
  if (vm.count("token-ttl")) {
    auto ttl = duration_flag(vm, "token-ttl", {});
    if (ttl.count() < 1000) misuse("--token-ttl: at least 1s");
    o.token_ttl = std::chrono::duration_cast<std::chrono::seconds>(ttl);
  }
  if (auto v = get<std::uint64_t>(vm, "seed")) o.seed = *v;
  if (auto v = get<unsigned>(vm, "threads")) {
    if (*v < 1 || *v > 64) misuse("--threads: 1 to 64");
    o.threads = *v;
  }
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
    all.add(hidden).add(job).add(endpoints).add(limits).add(sim);
    po::positional_options_description positional;
    positional.add("file", 1);

    std::vector<std::string> rest(args.begin() + 1, args.end());
    po::variables_map vm;
    po::store(po::command_line_parser(rest).options(all).positional(positional).run(), vm);
    po::notify(vm);

    if (vm["help"].as<bool>()) {
      std::ostringstream out;
      out << kUsage << "\n";
      if (command == "sim") out << sim;
      else out << job << "\n" << endpoints << "\n" << limits;
      return HelpCommand{out.str()};
    }
    if (command == "sim") {
      if (vm.count("file")) misuse("sim takes no job file");
      refuse_foreign(vm, job, command);
      refuse_foreign(vm, endpoints, command);
      refuse_foreign(vm, limits, command);
      return SimCommand{sim_command_options(vm)};
    }
    refuse_foreign(vm, sim, command);
    if (command == "check") return CheckCommand{run_options(vm, env, true)};
    return RunCommand{run_options(vm, env, false)};
  } catch (const Misuse& m) {
    return UsageError{m.message};
  } catch (const po::error& e) {
    return UsageError{e.what()};
  }
}

}  // namespace ab
