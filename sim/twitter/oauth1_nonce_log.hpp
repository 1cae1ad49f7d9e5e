// The (nonce, timestamp) pairs a server has accepted, kept only as long as a
// timestamp stays acceptable: older requests are refused for their age, so
// forgetting their nonces cannot let a replay through (RFC 5849 §3.3).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace ab::sim::oauth1 {

class NonceLog {
 public:
  // Records the pair; false if it was already recorded (a replay).
  bool remember(std::string_view nonce, std::int64_t timestamp);
  // Forgets every pair whose timestamp is before `oldest_kept`.
  void forget_before(std::int64_t oldest_kept);
  std::size_t size() const { return seen_.size(); }

 private:
  std::set<std::pair<std::int64_t, std::string>, std::less<>> seen_;  // ordered by timestamp, for forget_before
};

}  // namespace ab::sim::oauth1
