// --budget-store and the client certificate it may need (rediss:// to a
// Redis with tls-auth-clients yes): read, and refused (exit 2) before
// anything starts when they cannot work together.
#pragma once

#include "app/cli_options.hpp"
#include "audience_batch/run.hpp"

#include <boost/program_options/variables_map.hpp>

namespace ab {

// A misuse throws boost::program_options::error.
void read_budget_store_options(const boost::program_options::variables_map& vm, const Environment& env,
                               RunOptions& options);

}  // namespace ab
