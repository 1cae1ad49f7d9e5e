#include "sim/referee.hpp"

#include <algorithm>

namespace ab::sim {

void Referee::count(std::string_view endpoint, unsigned status) {
  std::lock_guard lock(mutex_);
  auto it = requests_.find(endpoint);
  if (it == requests_.end()) it = requests_.emplace(std::string(endpoint), std::map<unsigned, std::uint64_t>{}).first;
  ++it->second[status];
  const auto now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto& span = spans_[std::string(endpoint)];
  if (span.first == 0) span.first = now;
  span.last = now;
}

void Referee::violation(std::string_view rule_name) {
  std::lock_guard lock(mutex_);
  auto it = violations_.find(rule_name);
  if (it == violations_.end()) it = violations_.emplace(std::string(rule_name), 0).first;
  ++it->second;
}

std::uint64_t Referee::violations(std::string_view rule_name) const {
  std::lock_guard lock(mutex_);
  auto it = violations_.find(rule_name);
  return it == violations_.end() ? 0 : it->second;
}

std::uint64_t Referee::total_violations() const {
  std::lock_guard lock(mutex_);
  std::uint64_t total = 0;
  for (const auto& [name, n] : violations_) total += n;
  return total;
}

std::uint64_t Referee::requests(std::string_view endpoint) const {
  std::lock_guard lock(mutex_);
  auto it = requests_.find(endpoint);
  if (it == requests_.end()) return 0;
  std::uint64_t total = 0;
  for (const auto& [status, n] : it->second) total += n;
  return total;
}

void Referee::request_began() {
  std::lock_guard lock(mutex_);
  max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
}

void Referee::request_ended() {
  std::lock_guard lock(mutex_);
  if (in_flight_ > 0) --in_flight_;
}

void Referee::admitted(std::string_view budget, std::int64_t reset_epoch) {
  std::lock_guard lock(mutex_);
  auto it = windows_.find(budget);
  if (it == windows_.end()) it = windows_.emplace(std::string(budget), std::map<std::int64_t, std::uint64_t>{}).first;
  ++it->second[reset_epoch];
}

boost::json::object Referee::stats() const {
  std::lock_guard lock(mutex_);
  boost::json::object requests;
  std::uint64_t total_requests = 0;
  for (const auto& [endpoint, by_status] : requests_) {
    boost::json::object statuses;
    for (const auto& [status, n] : by_status) {
      statuses[std::to_string(status)] = n;
      total_requests += n;
    }
    requests[endpoint] = std::move(statuses);
  }
  boost::json::object violations;
  std::uint64_t total_violations = 0;
  for (const auto& [name, n] : violations_) {
    violations[name] = n;
    total_violations += n;
  }
  boost::json::object spans;
  for (const auto& [endpoint, span] : spans_) spans[endpoint] = {{"first", span.first}, {"last", span.last}};
  boost::json::object windows;
  for (const auto& [budget, by_reset] : windows_) {
    boost::json::object counts;
    for (const auto& [reset, n] : by_reset) counts[std::to_string(reset)] = n;
    windows[budget] = std::move(counts);
  }
  return {{"requests", std::move(requests)},
          {"span", std::move(spans)},
          {"windows", std::move(windows)},
          {"violations", std::move(violations)},
          {"total_requests", total_requests},
          {"total_violations", total_violations},
          {"max_in_flight", max_in_flight_}};
}

void Referee::reset() {
  std::lock_guard lock(mutex_);
  requests_.clear();
  spans_.clear();
  windows_.clear();
  violations_.clear();
  max_in_flight_ = in_flight_;
}

}  // namespace ab::sim
