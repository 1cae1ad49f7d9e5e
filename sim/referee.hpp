// The referee: counts requests and answers per endpoint and status, and every
// rule of API.md a client broke. Tests of the engine assert the rules are zero.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace ab::sim {

// The rule names tests look for in /__stats "violations".
namespace rule {
inline constexpr std::string_view batch_over_10 = "batch_over_10";
inline constexpr std::string_view ids_over_200 = "ids_over_200";
inline constexpr std::string_view count_out_of_range = "count_out_of_range";
inline constexpr std::string_view total_count_over_budget = "total_count_over_budget";
inline constexpr std::string_view total_count_with_cursor = "total_count_with_cursor";
inline constexpr std::string_view partial_put = "partial_put";
inline constexpr std::string_view invalid_body = "invalid_body";
inline constexpr std::string_view bad_signature = "bad_signature";
inline constexpr std::string_view replayed_nonce = "replayed_nonce";
inline constexpr std::string_view duplicate_create = "duplicate_create";
inline constexpr std::string_view request_before_reset = "request_before_reset";
inline constexpr std::string_view bad_token = "bad_token";
// Audience membership (API.md §B8).
inline constexpr std::string_view raw_pii_sent = "raw_pii_sent";  // an identifier not hashed
inline constexpr std::string_view members_over_2500 = "members_over_2500";
inline constexpr std::string_view members_body_over_limit = "members_body_over_limit";
inline constexpr std::string_view members_over_budget = "members_over_budget";
}  // namespace rule

class Referee {
 public:
  void count(std::string_view endpoint, unsigned status);
  void violation(std::string_view rule_name);
  std::uint64_t violations(std::string_view rule_name) const;
  std::uint64_t total_violations() const;
  std::uint64_t requests(std::string_view endpoint) const;
  // A request is in flight from when it has been read to when its answer is
  // written or its connection dropped: the client's --concurrency as seen here.
  void request_began();
  void request_ended();
  // A request the server's rate window `budget` let through, in its window
  // that ends at `reset_epoch`: tests read how full each window was.
  void admitted(std::string_view budget, std::int64_t reset_epoch);
  // {"requests": {endpoint: {status: n}}, "violations": {rule: n}, "total_requests": n,
  //  "total_violations": n, "max_in_flight": n, "span": {endpoint: {"first": s, "last": s}},
  //  "windows": {budget: {reset epoch second: requests let through}}}
  // (span: epoch seconds of the first and the last answer counted, for makespans)
  boost::json::object stats() const;
  void reset();

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::map<unsigned, std::uint64_t>, std::less<>> requests_;
  std::map<std::string, std::uint64_t, std::less<>> violations_;
  struct Span {
    double first = 0;
    double last = 0;
  };
  std::map<std::string, Span, std::less<>> spans_;
  std::map<std::string, std::map<std::int64_t, std::uint64_t>, std::less<>> windows_;
  std::uint64_t in_flight_ = 0;
  std::uint64_t max_in_flight_ = 0;
};

}  // namespace ab::sim
