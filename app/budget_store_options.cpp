#include "app/budget_store_options.hpp"

#include "engine/shared/store_url.hpp"

#include <boost/program_options/errors.hpp>

#include <fstream>

namespace ab {

namespace po = boost::program_options;

namespace {

[[noreturn]] void misuse(const std::string& message) { throw po::error(message); }

// The flag, else the environment variable, else "".
std::string flag_or_variable(const po::variables_map& vm, const char* flag, const Environment& env,
                             const char* variable) {
  if (vm.count(flag)) return vm[flag].as<std::string>();
  return env(variable).value_or("");
}

void check_readable(const std::string& path, const char* flag) {
  if (!std::ifstream(path)) misuse("--" + std::string(flag) + ": cannot read " + path);
}

}  // namespace

void read_budget_store_options(const po::variables_map& vm, const Environment& env, RunOptions& o) {
  o.budget_store = flag_or_variable(vm, "budget-store", env, "AUDIENCE_BATCH_BUDGET_STORE");
  std::optional<StoreUrl> url;
  if (!o.budget_store.empty()) {
    auto parsed = parse_store_url(o.budget_store);
    if (auto* error = std::get_if<std::string>(&parsed)) misuse("--budget-store: " + *error);
    url = std::get<StoreUrl>(parsed);
  }
  o.budget_store_cert = flag_or_variable(vm, "budget-store-cert", env, "AUDIENCE_BATCH_BUDGET_STORE_CERT");
  o.budget_store_key = flag_or_variable(vm, "budget-store-key", env, "AUDIENCE_BATCH_BUDGET_STORE_KEY");
  if (o.budget_store_cert.empty() && o.budget_store_key.empty()) return;
  if (o.budget_store_cert.empty() || o.budget_store_key.empty())
    misuse("--budget-store-cert and --budget-store-key (AUDIENCE_BATCH_BUDGET_STORE_CERT, _KEY) go together: "
           "the client certificate and its private key");
  if (!url) misuse("--budget-store-cert: a client certificate for Redis, but no --budget-store");
  if (!url->tls) misuse("--budget-store-cert: a client certificate needs rediss:// (TLS), not redis://");
  check_readable(o.budget_store_cert, "budget-store-cert");
  check_readable(o.budget_store_key, "budget-store-key");
}

}  // namespace ab
