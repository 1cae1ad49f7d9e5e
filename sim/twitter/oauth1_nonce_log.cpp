#include "sim/twitter/oauth1_nonce_log.hpp"

namespace ab::sim::oauth1 {

bool NonceLog::remember(std::string_view nonce, std::int64_t timestamp) {
  return seen_.emplace(timestamp, std::string(nonce)).second;
}

void NonceLog::forget_before(std::int64_t oldest_kept) {
  seen_.erase(seen_.begin(), seen_.lower_bound(std::pair<std::int64_t, std::string>(oldest_kept, std::string())));
}

}  // namespace ab::sim::oauth1
