// The simulated neuroflash Audience Service and its OAuth2 token endpoint (API.md §A).
#pragma once

#include "audience_batch/simulator.hpp"
#include "sim/http/api_handler.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace ab::sim {

struct NeuroflashConfig {
  std::string api_base = "/nf/api";                       // path prefix of the API
  std::string token_path = "/nf/oauth/v2/token";          // the token endpoint's path
  std::string client_id = "sim-client";
  std::string client_secret = "sim-secret";
  std::chrono::seconds token_ttl{14'400};
  std::uint64_t rate_limit = 0;                           // 0: unlimited
  std::chrono::milliseconds rate_window{1000};
  bool rate_published = true;                             // false: only a refusal's Retry-After
  std::uint64_t seed = 1;
  SimStore store = SimStore::full;                        // what the store keeps of an audience
};

std::unique_ptr<ApiHandler> make_neuroflash_api(NeuroflashConfig config);

}  // namespace ab::sim
