// `audience-batch check`: every row judged as a run would judge it, nothing sent.
#include "audience_batch/run.hpp"

#include "engine/input/columns.hpp"
#include "engine/input/row_validation.hpp"
#include "engine/journal/echo_cells.hpp"
#include "jobs/registry.hpp"

#include <exception>
#include <optional>
#include <span>

namespace ab {

namespace {

CheckSummary cannot_start(std::string error) {
  CheckSummary summary;
  summary.exit_code = 2;
  summary.error = std::move(error);
  return summary;
}

CheckSummary check(const std::filesystem::path& job_file, const std::string& kind, const JobConfig& config,
                   std::span<const std::string> echo, std::ostream& report) {
  std::optional<CsvReader> reader;
  try {
    reader.emplace(job_file);
  } catch (const std::exception& e) {
    return cannot_start(std::string("cannot read ") + e.what());
  }
  const KindDeclaration* declared = find_job_kind(kind);
  if (!declared) return cannot_start("unknown job kind \"" + kind + "\" (known: " + job_kind_list() + ")");
  const std::unique_ptr<JobKind> job_kind = declared->make(config);
  // As a run would: a missing required column is one refusal, not a line per row.
  if (auto missing = check_header(reader->header().names, job_kind->columns()))
    return cannot_start(job_file.string() + ": " + *missing);
  if (auto problem = job_kind->header_problem(reader->header().names))
    return cannot_start(job_file.string() + ": " + *problem);
  if (auto problem = echo_problem(reader->header().names, echo, job_kind->columns())) return cannot_start(*problem);
  try {
    const RowTally tally = report_invalid_rows(*reader, *job_kind, report);
    CheckSummary summary;
    summary.rows = tally.rows;
    summary.invalid = tally.invalid;
    summary.exit_code = tally.invalid == 0 ? 0 : 1;
    return summary;
  } catch (const std::exception& e) {
    return cannot_start(std::string("cannot read ") + e.what());
  }
}

}  // namespace

CheckSummary check_job(const std::filesystem::path& job_file, const std::string& kind, const JobConfig& config,
                       std::ostream& report) {
  return check(job_file, kind, config, {}, report);
}

CheckSummary check_job(const RunOptions& options, std::ostream& report) {
  return check(options.job_file, options.kind, options.job, options.echo, report);
}

}  // namespace ab
