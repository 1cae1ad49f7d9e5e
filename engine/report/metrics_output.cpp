#include "engine/report/metrics_output.hpp"

#include "engine/report/pushgateway.hpp"

#include <fstream>
#include <sstream>

namespace ab {

namespace {

std::string read_whole(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::chrono::milliseconds MetricsOutput::steady_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch());
}

MetricsOutput::MetricsOutput(const RunSettings& options, std::string_view kind)
    : options_(options),
      kind_(kind),
      before_(options.metrics.empty() ? LastRun{} : parse_last_run(read_whole(options.metrics))),
      schedule_(options.metrics_interval, steady_now()) {}

MetricsContext MetricsOutput::context(double seconds, std::uint64_t skipped, bool running) const {
  return MetricsContext{kind_, seconds, skipped, running, before_};
}

void MetricsOutput::tick(const Metrics& metrics, double seconds, std::uint64_t skipped) {
  if (options_.metrics.empty() || !schedule_.due(steady_now())) return;
  auto problem = write_atomically(options_.metrics, metrics.prometheus(context(seconds, skipped, true)));
  if (warning_.empty()) warning_ = std::move(problem);
}

std::vector<std::string> MetricsOutput::finish(const Metrics& metrics, double seconds, std::uint64_t skipped,
                                               int exit_code) {
  std::vector<std::string> warnings;
  if (!warning_.empty()) warnings.push_back("metrics: " + warning_);
  if (options_.metrics.empty() && options_.pushgateway.empty()) return warnings;
  auto c = context(seconds, skipped, false);
  c.last = after_run(before_, unix_now(), exit_code);
  const auto text = metrics.prometheus(c);
  if (!options_.metrics.empty())
    if (auto problem = write_atomically(options_.metrics, text); !problem.empty())
      warnings.push_back("metrics: " + problem);
  if (!options_.pushgateway.empty()) {
    const auto url = pushgateway_url(options_.pushgateway, kind_);
    if (auto problem = push_metrics(url, text, TlsSettings{options_.ca_file}, options_.timeout); !problem.empty())
      warnings.push_back("pushgateway: " + problem);
  }
  return warnings;
}

}  // namespace ab
