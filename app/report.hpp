// `audience-batch report JOB.csv`: the results files of a job's shards (or of
// one run) merged into one summary by status, with the rows still open, so
// that an operator sees at once whether the night's file is done and which
// shard to run again.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <vector>

namespace ab {

// `results` empty: JOB.results.csv and every JOB.shard-K-of-N.results.csv
// beside the job file. Exit code: 0 every row final and ok; 1 every row
// final, some not ok; 3 rows still open (run their shards again); 2 a file
// cannot be read or is not a results file.
int report_job(const std::filesystem::path& job_file, std::vector<std::filesystem::path> results, std::ostream& out,
               std::ostream& err);

}  // namespace ab
