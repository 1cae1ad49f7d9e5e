#include "app/cli.hpp"

#include "app/cli_options.hpp"
#include "app/standard_streams.hpp"
#include "app/report.hpp"
#include "audience_batch/run.hpp"
#include "audience_batch/simulator.hpp"

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#ifndef AB_VERSION
#define AB_VERSION "0.0.0"
#endif

namespace ab {

namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

int report_check(const CheckSummary& s) {
  if (s.exit_code == 2) {
    std::cerr << "audience-batch: error: " << s.error << "\n";
    return 2;
  }
  std::cerr << "check: " << s.rows << " rows, " << (s.rows - s.invalid) << " valid, " << s.invalid << " invalid\n";
  return s.exit_code;
}

}  // namespace

int cli_main(int argc, char** argv) {
  // A closed pipe on stderr or stdout (`... 2>&1 | head -n 1`) must not end
  // the run half way with SIGPIPE: writes to it fail instead, and the run,
  // which needs neither, goes on to its own exit code.
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  const Command command = parse_command_line(args, process_environment());
  return std::visit(
      Overloaded{
          [](const HelpCommand& c) {
            std::cout << c.text;
            return 0;
          },
          [](const VersionCommand&) {
            std::cout << "audience-batch " << AB_VERSION << "\n";
            return 0;
          },
          [](const UsageError& e) {
            // One line, so that a cron mail or a log grep shows the whole reason.
            std::cerr << "audience-batch: error: " << e.message << " (see audience-batch --help)\n";
            return 2;
          },
          [](const SimCommand& c) { return run_simulator(c.options); },
          [](const CheckCommand& c) {
            return report_check(check_job_with_standard_input(c.options, std::cin, std::cout));
          },
          [](const RunCommand& c) {
            for (const auto& warning : c.warnings) std::cerr << "audience-batch: warning: " << warning << "\n";
            return run_job_with_standard_streams(c.options, std::cin, std::cout, std::cerr).exit_code;
          },
          [](const ReportCommand& c) { return report_job(c.job_file, c.results, std::cout, std::cerr); },
      },
      command);
}

}  // namespace ab
