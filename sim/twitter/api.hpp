// The simulated X Ads API (API.md §B): audiences under every version it
// serves over one store (/8/.../tailored_audiences, /9/ to /12/.../custom_audiences),
// the accounts of B9, and OAuth 1.0a verification of every request against
// the URL the client addressed (its Host header), as a real server would.
#pragma once

#include "sim/http/api_handler.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace ab::sim {

struct TwitterConfig {
  std::string api_root = "/tw";                            // {api_root}/{version}/accounts/...
  std::string scheme = "http";                             // what clients sign: {scheme}://{Host}{path}
  std::string default_authority = "127.0.0.1";             // the Host of a request that names none
  std::string account = "18ce54d4x5t";
  std::string consumer_key = "sim-consumer-key";
  std::string consumer_secret = "sim-consumer-secret";
  std::string access_token = "sim-access-token";
  std::string access_token_secret = "sim-access-token-secret";
  std::uint64_t total_count_limit = 200;                   // with_total_count requests per window
  std::chrono::milliseconds total_count_window{15 * 60 * 1000};
  std::uint64_t rate_limit = 0;                            // per ad account, every endpoint; 0: X's published budgets
  std::chrono::milliseconds rate_window{15 * 60 * 1000};
  std::uint64_t members_limit = 1500;                      // membership requests (B8) per window
  std::chrono::milliseconds members_window{60 * 1000};
  double members_short_answer_rate = 0;                    // answers with success_count < total_count
  bool published_budgets = true;                           // with rate_limit 0: X's per-family budgets, else none
  std::uint64_t seed = 1;
};

std::unique_ptr<ApiHandler> make_twitter_api(TwitterConfig config);

}  // namespace ab::sim
