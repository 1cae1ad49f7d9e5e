// Turns argv and the environment into the options of one command, or a
// one-line reason why not (exit 2). Flag, else environment, else default.
#pragma once

#include "audience_batch/run.hpp"
#include "audience_batch/simulator.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ab {

struct RunCommand {
  RunOptions options;
  std::vector<std::string> warnings;  // flags that do nothing in this combination, said before the run
};
struct CheckCommand { RunOptions options; };  // job_file, kind and job config are used
struct SimCommand { SimOptions options; };
// report JOB.csv: the results of every shard of a job merged (app/report.hpp).
struct ReportCommand {
  std::filesystem::path job_file;
  std::vector<std::filesystem::path> results;  // --results; empty: found beside the job file
};
struct HelpCommand { std::string text; };
struct VersionCommand {};
struct UsageError { std::string message; };

using Command =
    std::variant<RunCommand, CheckCommand, SimCommand, ReportCommand, HelpCommand, VersionCommand, UsageError>;

// `getenv` is injected so that tests can give an environment of their own.
using Environment = std::function<std::optional<std::string>(const char* name)>;
Environment process_environment();

Command parse_command_line(const std::vector<std::string>& args, const Environment& env);

}  // namespace ab
