// The command line of SPEC.md §2-§8: parses flags and environment into
// options and hands them to run_job / check_job / run_simulator.
#pragma once

namespace ab {
int cli_main(int argc, char** argv);
}
