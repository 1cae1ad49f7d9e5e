// The simulated X/Twitter Ads API v8 tailored audiences (API.md §B), with
// OAuth 1.0a verification of every request.
#pragma once

#include "sim/api_handler.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace ab::sim {

struct TwitterConfig {
  std::string api_base = "/tw/8";                          // path prefix: {api_base}/accounts/...
  std::string public_base_url;                             // "http://127.0.0.1:PORT/tw/8": what clients sign
  std::string account = "18ce54d4x5t";
  std::string consumer_key = "sim-consumer-key";
  std::string consumer_secret = "sim-consumer-secret";
  std::string access_token = "sim-access-token";
  std::string access_token_secret = "sim-access-token-secret";
  std::uint64_t total_count_limit = 200;                   // with_total_count requests per window
  std::chrono::milliseconds total_count_window{15 * 60 * 1000};
  std::uint64_t rate_limit = 0;                            // per ad account; 0: unlimited
  std::chrono::milliseconds rate_window{15 * 60 * 1000};
  std::uint64_t members_limit = 1500;                      // membership requests (B8) per window
  std::chrono::milliseconds members_window{60 * 1000};
  double members_short_answer_rate = 0;                    // answers with success_count < total_count
  std::uint64_t seed = 1;
};

std::unique_ptr<ApiHandler> make_twitter_api(TwitterConfig config);

}  // namespace ab::sim
