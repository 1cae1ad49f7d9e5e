// The flags of running a job at night (docs/operations.md): progress,
// metrics and where they go. Kept apart from cli_options.cpp so that the
// options of the API and of operations change without meeting.
#pragma once

#include "app/cli_options.hpp"
#include "audience_batch/run.hpp"

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

namespace ab {

boost::program_options::options_description operations_options();

// Reads them into `options`; a misuse throws boost::program_options::error.
// `for_check`: for `check`, which writes no results (a job from standard
// input needs no --out).
void read_operations_options(const boost::program_options::variables_map& vm, const Environment& env,
                             RunOptions& options, bool for_check = false);

}  // namespace ab
