// A small synchronous HTTP/1.1 client for tests of the simulator over real
// sockets: keep-alive on one connection (reopened when the server closed it),
// plain or TLS, every step under a timeout so that a test never hangs, and a
// raw-bytes mode for requests no well-behaved client would send.
//
//   HttpTestClient client("127.0.0.1", port);
//   auto reply = client.request("POST", "/nf/api/...", body, {{"Content-Type", "application/json"}});
//   EXPECT_EQ(reply.status, 201);
#pragma once

#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ab::sim::test {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpReply {
  unsigned status = 0;               // 0: no answer came (see `error`)
  boost::system::error_code error;   // why no answer came: eof, reset, timeout...
  HeaderList headers;                // names in lower case, in the order received
  std::string body;

  bool answered() const { return status != 0; }
  bool has_header(std::string_view name) const;
  std::string header(std::string_view name) const;  // "" when absent
  boost::json::value json() const;                  // throws when the body is not JSON
};

struct HttpTestClientOptions {
  bool tls = false;
  std::string ca_file;  // TLS: verify the server against this certificate; empty: no verification
  std::chrono::milliseconds timeout{10'000};
};

class HttpTestClient {
 public:
  HttpTestClient(std::string host, std::uint16_t port, HttpTestClientOptions options = {});
  ~HttpTestClient();
  HttpTestClient(const HttpTestClient&) = delete;
  HttpTestClient& operator=(const HttpTestClient&) = delete;

  // One request on the kept-alive connection. A body is sent with its
  // Content-Length; `headers` are added as given (Host is set unless given).
  HttpReply request(std::string_view method, std::string_view target, std::string body = {},
                    const HeaderList& headers = {});
  // A fresh connection: writes `bytes` as they are, then reads until the
  // server closes (or the timeout) and returns everything it sent.
  std::string send_raw(std::string_view bytes);
  void close();
  unsigned connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "http://127.0.0.1:8080/nf/api" -> host "127.0.0.1", port 8080, path "/nf/api".
struct UrlParts {
  bool tls = false;
  std::string host;
  std::uint16_t port = 0;
  std::string path;
};
UrlParts split_url(std::string_view url);

}  // namespace ab::sim::test
