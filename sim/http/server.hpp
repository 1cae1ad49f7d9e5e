// The simulator's HTTP/1.1 server: Beast over Asio coroutines, keep-alive,
// plain or TLS, any number of connections. It parses, guards and times out;
// what to answer is the Router's business.
//
// Robustness: an unparsable request gets 400, a header block over
// `header_limit` 431, a body over `body_limit` 413, each with a JSON body and
// then the connection closed; an idle or stalled connection is closed after
// `idle_timeout`. Faults the Router decides (delay, drop) are carried out with
// timers and closes, never by blocking a thread.
#pragma once

#include "sim/http/router.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace ab::sim {

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                      // 0: a free port
  std::string tls_cert{};                      // PEM files; both set: HTTPS
  std::string tls_key{};
  std::size_t header_limit = 16 * 1024;        // request line and header fields
  std::uint64_t body_limit = 1024 * 1024;
  // Paths ending so may send up to bulk_body_limit (the X membership
  // endpoint takes 5,000,000 bytes, API.md §B8), so that the API, not the
  // server, judges a body over the API's own limit.
  std::string bulk_body_suffix = "/users";
  std::uint64_t bulk_body_limit = 8 * 1024 * 1024;
  std::chrono::milliseconds idle_timeout{60'000};  // waiting for (the rest of) a request
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds path_delay{0};     // each way between a client and the API (--path-delay)
  std::chrono::milliseconds clock_behind{0};   // the API's clock against the machine's (--clock-behind)
  unsigned threads = 1;                        // how many threads run the io_context
};

class Server {
 public:
  // Binds and listens at once (so that port() is known); throws
  // std::runtime_error when the address cannot be bound or the TLS files not loaded.
  Server(boost::asio::io_context& io, ServerConfig config);
  // Destroy only once the io_context has stopped (no thread runs it).
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  bool tls() const;
  // Starts accepting on the io_context and answering through `router`, which
  // must outlive the io_context; connections are served by whichever threads run it.
  void start(Router& router);
  // Stops accepting (thread-safe). Open connections end when the io_context
  // is destroyed: stop it, join its threads, destroy the Server, then it.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ab::sim
