// What every tw.* kind shares: where the API is, who signs, what time it is,
// and how a request of ours is addressed and charged.
#pragma once

#include "engine/run/run_options.hpp"
#include "engine/send/api.hpp"
#include "engine/run/clock.hpp"
#include "jobs/twitter/api_paths.hpp"

#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ab::tw {

// Budget names (SPEC.md §6): every request is charged "tw"; with_total_count
// requests also "tw.total_count" (200 per 15 minutes by default).
inline constexpr const char* kBudget = "tw";
inline constexpr const char* kTotalCountBudget = "tw.total_count";

using WallClock = std::function<SystemTime()>;

struct Context {
  TwitterEndpoints endpoints;
  ApiPaths paths;  // for the version endpoints.api names (the current one when it names none)
  // Why endpoints.api names no version audience-batch knows; empty when it does.
  // The kinds refuse to start with it (exit 2) before any request.
  std::string version_error;
  std::shared_ptr<Authenticator> auth;
  WallClock clock;
  // Clock skew allowed between us and the API when deciding whether an
  // audience was created by a send of ours (see create_reconciler.hpp).
  std::chrono::seconds created_margin{120};

  // A replay-safe request for `rows`, signed, charged to "tw".
  ApiRequest request(boost::beast::http::verb method, std::string url, std::vector<std::size_t> rows) const;
};

// The context the CLI uses: system clock, OAuth 1.0a with CSPRNG nonces.
Context make_context(const TwitterEndpoints& endpoints);
// The same with time and nonces injected (tests).
Context make_context(const TwitterEndpoints& endpoints, WallClock clock, std::function<std::string()> nonces);

}  // namespace ab::tw
