// JOB.csv "-" and --out "-": a job from standard input, results to standard
// output. The engine needs real files (it resumes from the results file and
// checks the job file on a rerun), so both go through a private temporary
// directory: the job is spooled there first, the results are copied to
// standard output at the end and the directory removed. Such a run cannot
// be resumed; docs/operations.md says so. Messages name the spooled job
// "standard input", never the temporary file.
#pragma once

#include "audience_batch/run.hpp"

#include <iosfwd>

namespace ab {

Summary run_job_with_standard_streams(const RunOptions& options, std::istream& in, std::ostream& out,
                                      std::ostream& log);

// `check -`: the job from standard input, judged as check_job judges a file.
CheckSummary check_job_with_standard_input(const RunOptions& options, std::istream& in, std::ostream& report);

}  // namespace ab
