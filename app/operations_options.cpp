#include "app/operations_options.hpp"

#include "engine/run/duration.hpp"
#include "engine/send/proxy.hpp"

#include <boost/program_options.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>

namespace ab {

namespace po = boost::program_options;

namespace {

[[noreturn]] void misuse(const std::string& message) { throw po::error(message); }

std::optional<Duration> interval_flag(const po::variables_map& vm, const char* name, Duration shortest) {
  if (!vm.count(name)) return std::nullopt;
  std::string error;
  auto d = parse_duration(vm[name].as<std::string>(), &error);
  if (!d) misuse("--" + std::string(name) + ": " + error);
  if (*d < shortest) misuse("--" + std::string(name) + ": at least " + std::to_string(shortest.count()) + "ms");
  return d;
}

}  // namespace

po::options_description operations_options() {
  po::options_description d("operations (docs/operations.md)");
  d.add_options()
      ("progress-interval", po::value<std::string>()->value_name("DURATION"),
       "a timestamped progress line this often when stderr is not a terminal (default 10s)")
      ("metrics-interval", po::value<std::string>()->value_name("DURATION"),
       "rewrite --metrics FILE this often during the run (default 15s)")
      ("pushgateway", po::value<std::string>()->value_name("URL"),
       "push the --metrics figures to this Prometheus Pushgateway at the end")
      ("proxy", po::value<std::string>()->value_name("URL"),
       "HTTP proxy for every request, http://[user:password@]host:port (default: HTTPS_PROXY, HTTP_PROXY, "
       "NO_PROXY)")
      ("quiet,q", po::bool_switch(), "print only errors, warnings and the summary")
      ("verbose,v", po::bool_switch(), "also print each retry and each pause for a budget, with why")
      ("log-format", po::value<std::string>()->value_name("text|json"),
       "json: one object a line on stderr (time, level, event, fields) (default text)")
      ("echo", po::value<std::vector<std::string>>()->composing()->value_name("COLUMN[,COLUMN]"),
       "copy these input columns into the results file, after error (default none)");
  return d;
}

namespace {

// Lower case first, as curl reads them; an empty variable is no proxy.
std::string proxy_variable(const Environment& env, const char* lower, const char* upper) {
  if (auto v = env(lower); v && !v->empty()) return *v;
  return env(upper).value_or("");
}

void read_proxy_options(const po::variables_map& vm, const Environment& env, RunOptions& o) {
  if (vm.count("proxy")) {
    o.proxy.https = o.proxy.http = vm["proxy"].as<std::string>();
  } else {
    o.proxy.https = proxy_variable(env, "https_proxy", "HTTPS_PROXY");
    o.proxy.http = proxy_variable(env, "http_proxy", "HTTP_PROXY");
  }
  o.proxy.no_proxy = proxy_variable(env, "no_proxy", "NO_PROXY");
  try {
    ProxyRoutes check(o.proxy);
  } catch (const std::invalid_argument& e) {
    misuse(vm.count("proxy") ? "--proxy" + std::string(e.what()).substr(std::string(e.what()).find(':')) : e.what());
  }
}

// --echo's names, in order. Whether the job file has them is asked of its
// header before anything is sent (echo_cells.hpp); what needs no file is here.
std::vector<std::string> echo_columns(const po::variables_map& vm) {
  std::vector<std::string> names;
  if (!vm.count("echo")) return names;
  for (const auto& given : vm["echo"].as<std::vector<std::string>>()) {
    std::string_view rest = given;
    for (;;) {
      const auto comma = rest.find(',');
      std::string name(rest.substr(0, comma));
      if (name.empty()) misuse("--echo: a column name is empty in \"" + given + "\" (--echo COLUMN[,COLUMN])");
      if (std::find(names.begin(), names.end(), name) != names.end()) misuse("--echo: '" + name + "' is named twice");
      for (const char* own : {"row", "status", "http_status", "id", "attempts", "error"})
        if (name == own)
          misuse("--echo: '" + name + "' is a column of the results file already; a results header names each column once");
      names.push_back(std::move(name));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return names;
}

}  // namespace

void read_operations_options(const po::variables_map& vm, const Environment& env, RunOptions& o, bool for_check) {
  read_proxy_options(vm, env, o);
  // An empty variable is no choice, as with the proxies.
  if (auto dir = env("AUDIENCE_BATCH_MARKS_DIR"); dir && !dir->empty()) o.marks_directory = *dir;
  o.echo = echo_columns(vm);
  if (o.job_file == "-" && o.out.empty() && !for_check)
    misuse("a job from standard input (-) needs --out FILE (or --out - for standard output)");
  if (o.responses == "-" || o.metrics == "-") misuse("--responses and --metrics need a file, not -");
  const bool quiet = vm.count("quiet") && vm["quiet"].as<bool>();
  const bool verbose = vm.count("verbose") && vm["verbose"].as<bool>();
  if (quiet && verbose) misuse("-q and -v: choose one");
  o.verbosity = quiet ? -1 : verbose ? 1 : 0;
  if (vm.count("log-format")) {
    const auto& format = vm["log-format"].as<std::string>();
    if (format != "text" && format != "json") misuse("--log-format: text or json");
    o.log_json = format == "json";
  }
  if (auto d = interval_flag(vm, "progress-interval", Duration{100})) o.progress_interval = *d;
  if (auto d = interval_flag(vm, "metrics-interval", Duration{100})) o.metrics_interval = *d;
  if (vm.count("pushgateway")) {
    o.pushgateway = vm["pushgateway"].as<std::string>();
    auto parsed = boost::urls::parse_absolute_uri(o.pushgateway);
    if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") || parsed->host().empty())
      misuse("--pushgateway: \"" + o.pushgateway + "\" is not an absolute http(s) URL");
    if (parsed->has_userinfo())
      misuse("--pushgateway: credentials in the URL are not supported");
  }
}

}  // namespace ab
