// The single-audience endpoints of API.md §B1-B5. Each takes an
// authenticated call on the simulated account and returns X's answer; every
// rule a client breaks is counted on call.referee.
#pragma once

#include "sim/rate_window.hpp"
#include "sim/twitter/call.hpp"
#include "sim/twitter/store.hpp"

namespace ab::sim::tw {

// B1 GET accounts/:id/{tailored|custom}_audiences. with_total_count=true requests take
// from `total_count_window` and are refused with 429 past it.
Answer list_audiences(const Call& call, const Store& store, RateWindow& total_count_window);
// B2 GET accounts/:id/{tailored|custom}_audiences/:id
Answer get_audience(const Call& call, const Store& store);
// B3 POST accounts/:id/{tailored|custom}_audiences?name=...
Answer create_audience(const Call& call, Store& store);
// B4 PUT accounts/:id/{tailored|custom}_audiences/:id?name=...&description=...
Answer update_audience(const Call& call, Store& store);
// B5 DELETE accounts/:id/{tailored|custom}_audiences/:id
Answer delete_audience(const Call& call, Store& store);

}  // namespace ab::sim::tw
