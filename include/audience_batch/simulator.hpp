// The simulator of both APIs, embeddable: `run --sim`, `audience-batch sim`
// and the tests all start it through this class.
//
//   ab::Simulator sim({.port = 0});
//   auto where = sim.start();          // listening once this returns
//   ... point a job at where.nf_api, where.tw_api ...
//   sim.stop();
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace ab {

struct SimOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                             // 0: a free port
  std::chrono::milliseconds latency{0};               // added to every answer (with jitter)
  double error_rate = 0;                              // 5xx, nothing changed
  double retry_after_share = 0.2;                     // of those: 503 with Retry-After: 1
  double throttle_rate = 0;                           // 429, nothing changed
  double reset_rate = 0;                              // connection dropped before handling
  double lost_reply_rate = 0;                         // handled, then the connection dropped
  std::uint64_t total_count_limit = 200;              // with_total_count requests ...
  std::chrono::milliseconds total_count_window{15 * 60 * 1000};  // ... per window
  std::uint64_t nf_rate_limit = 0;                    // 0: unlimited (neuroflash publishes none)
  std::chrono::milliseconds nf_rate_window{1000};
  std::uint64_t tw_rate_limit = 0;                    // per ad account, every X endpoint; 0: see below
  std::chrono::milliseconds tw_rate_window{15 * 60 * 1000};
  // With tw_rate_limit 0: X's published budgets per endpoint family (reads
  // 2,000 per 15 minutes, writes 450 per minute, x-rate-limit-*); false: none.
  bool tw_published_budgets = true;
  std::chrono::seconds token_ttl{14'400};             // neuroflash access tokens
  std::uint64_t seed = 1;
  std::string tls_cert{};                             // both set: serve HTTPS
  std::string tls_key{};
  unsigned threads = 1;
};

// Where the simulator listens, and the credentials it accepts.
struct SimEndpoints {
  std::string nf_api;
  std::string nf_token_url;
  std::string tw_api;     // the version X serves today (custom_audiences)
  std::string tw_api_v8;  // v8 (tailored_audiences), over the same store
  std::string tw_account;
  std::string client_id;
  std::string client_secret;
  std::string consumer_key;
  std::string consumer_secret;
  std::string access_token;
  std::string access_token_secret;
  std::uint16_t port = 0;

  std::string to_json() const;  // the startup line of SPEC.md §8
};

class Simulator {
 public:
  explicit Simulator(SimOptions options);
  ~Simulator();  // stops
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Binds, starts serving on background threads, returns where.
  SimEndpoints start();
  // Stops accepting, closes connections, joins the threads.
  void stop();
  // The referee's counters, as GET /__stats returns them (JSON text).
  std::string stats_json() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `audience-batch sim`: serves until SIGINT/SIGTERM; prints the startup line.
int run_simulator(const SimOptions& options);

}  // namespace ab
