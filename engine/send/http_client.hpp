// HTTP/1.1 with keep-alive connections pooled per origin, plain and TLS.
// One attempt = one call: the pool says whether an answer came back and, when
// none did, whether the request can have reached the server — the fact the
// retry policy needs to tell a safe retry from a possible duplicate.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/send/answer_fields.hpp"
#include "engine/send/proxy.hpp"
#include "engine/send/retry_policy.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ab {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A field of a request, as views: a request costs no string per field.
struct RequestField {
  std::string_view name;
  std::string_view value;
};

struct HttpAnswer {
  AttemptFailure failure = AttemptFailure::none;
  unsigned status = 0;
  AnswerFields headers;  // lower-case names; not the framing fields nor Server
  std::string body;
  std::string error;     // when failure != none: "connect 10.0.0.1:443: Connection refused"
  bool untrusted = false;  // the server's TLS certificate did not verify: no retry can help
};

struct TlsSettings {
  std::string ca_file;   // empty: the system's CA store
};

// http:// is for loopback only unless the user allowed it (SPEC.md §3).
bool is_loopback_host(std::string_view host);

class HttpPool {
 public:
  HttpPool(Executor executor, const TlsSettings& tls);
  // Through the proxies that `proxies` names for each target.
  HttpPool(Executor executor, const TlsSettings& tls, ProxyRoutes proxies);
  ~HttpPool();
  HttpPool(const HttpPool&) = delete;
  HttpPool& operator=(const HttpPool&) = delete;

  // One attempt of `method url` with `fields` and `body`. Never throws for
  // network failures; a connection whose exchange failed is closed, never reused.
  // `url`, `fields` (and their text) and `body` are referenced until the
  // attempt ends: keep them alive in the awaiting coroutine (never pass
  // temporaries to co_spawn).
  Awaitable<HttpAnswer> send(boost::beast::http::verb method, std::string_view url,
                                           std::span<const RequestField> fields, std::string_view body,
                                           std::chrono::milliseconds timeout);

  // Opens up to `count` connections to the server of `url` in the background
  // and keeps them idle for the sends to come. Failures are left for those
  // sends to meet and report.
  void open_ahead(std::string_view url, std::size_t count, std::chrono::milliseconds timeout);

  // Closes every idle connection and makes in-flight ones fail (shutdown).
  void close_all();
  std::size_t connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ab
