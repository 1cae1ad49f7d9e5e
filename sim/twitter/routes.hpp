// Which X Ads endpoint a request names, from its method and the path after
// the API's versioned base ("/accounts/18ce54d4x5t/custom_audiences/2906h"),
// in the dialect of that version.
#pragma once

#include "sim/twitter/versions.hpp"

#include <string>
#include <string_view>

namespace ab::sim::tw {

enum class Endpoint { list, get, create, update, remove, batch, members, accounts, account, unknown };

struct Route {
  Endpoint endpoint = Endpoint::unknown;
  std::string account_id;   // decoded; empty for an unknown route
  std::string audience_id;  // decoded; empty unless the path names one
};

Route match_route(std::string_view method, std::string_view path, const Dialect& dialect);

// The referee's name for an endpoint: "tw.list", "tw.batch", "tw.accounts", ...
std::string_view endpoint_name(Endpoint endpoint);

}  // namespace ab::sim::tw
