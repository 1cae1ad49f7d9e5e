// What `run --sim` prints at the end: the embedded simulator's referee on the
// run it just watched (API.md's rules the client broke, by name), so that a
// rehearsed bad night shows whether the engine stayed within every rule.
#pragma once

#include <string>

namespace ab {

// One line from the simulator's stats (its /__stats JSON): "simulator referee:
// 412 requests, no rule broken" or "... 2 rules broken: request_before_reset 2".
std::string referee_report(const std::string& stats_json);

// One line on the neuroflash store's size, so that a rehearsal shows what a
// night of this size costs the simulator: "simulator store: full, 1000000
// audiences created, 84.1 bytes an audience (80.2 MiB)"; empty when nothing
// was created.
std::string store_report(const std::string& stats_json);

}  // namespace ab
