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

// What the simulated neuroflash store keeps of each created audience (docs/simulator.md):
// full, every field (about 75 bytes an audience); ids, the id, workspace and a
// fingerprint for the duplicate rule (about 20 bytes), for rehearsals that read nothing back.
enum class SimStore { full, ids };

struct SimOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                             // 0: a free port
  std::chrono::milliseconds latency{0};               // added to every answer (with jitter)
  // Each way between client and server: a request is handled (and counted
  // against a rate limit) this long after it arrived, its answer leaves this
  // much later again. A far client, as the server's rate counter sees it.
  std::chrono::milliseconds path_delay{0};
  // The API's clock runs this far behind the machine's: every time it
  // publishes (x-rate-limit-reset, Retry-After, Date) and every window it
  // counts by. A client that trusts its own clock sends a window's budget early.
  std::chrono::milliseconds clock_behind{0};
  double error_rate = 0;                              // 5xx, nothing changed
  double retry_after_share = 0.2;                     // of those: 503 with Retry-After: 1
  double throttle_rate = 0;                           // 429, nothing changed
  double throttle_retry_after_share = 0;              // of those: 429 with Retry-After: 1
  double unavailable_rate = 0;                        // 503 without Retry-After, nothing changed
  double reset_rate = 0;                              // connection dropped before handling
  double lost_reply_rate = 0;                         // handled, then the connection dropped
  std::uint64_t total_count_limit = 200;              // with_total_count requests ...
  std::chrono::milliseconds total_count_window{15 * 60 * 1000};  // ... per window
  std::uint64_t nf_rate_limit = 0;                    // 0: unlimited (neuroflash publishes none)
  std::chrono::milliseconds nf_rate_window{1000};
  bool nf_rate_published = true;                      // false: no x-rate-limit-* headers, 429s name Retry-After only
  std::uint64_t tw_rate_limit = 0;                    // per ad account, every X endpoint; 0: see below
  std::chrono::milliseconds tw_rate_window{15 * 60 * 1000};
  // With tw_rate_limit 0: X's published budgets per endpoint family (reads
  // 2,000 per 15 minutes, writes 450 per minute, x-rate-limit-*); false: none.
  bool tw_published_budgets = true;
  std::uint64_t tw_members_limit = 1500;              // X membership requests (API.md §B8) ...
  std::chrono::milliseconds tw_members_window{60 * 1000};  // ... per window
  double tw_members_short_rate = 0;                   // membership answers with success_count < total_count
  std::chrono::seconds token_ttl{14'400};             // neuroflash access tokens
  std::uint64_t seed = 1;
  std::string tls_cert{};                             // both set: serve HTTPS
  std::string tls_key{};
  unsigned threads = 1;
  SimStore store = SimStore::full;
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
  // What GET /__inspect/WHAT returns (JSON text), "null" when nothing is
  // there: "tw/members/ID" is an X audience's member set, {"email": [hashes], ...}.
  std::string inspect_json(const std::string& what) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `audience-batch sim`: serves until SIGINT/SIGTERM; prints the startup line.
int run_simulator(const SimOptions& options);

}  // namespace ab
