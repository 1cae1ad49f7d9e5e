// HTTP(S) proxies as curl and most tools read them: HTTPS_PROXY for https
// targets (tunnelled with CONNECT, so TLS stays end to end), HTTP_PROXY for
// http targets (the request sent to the proxy in absolute form), NO_PROXY
// for hosts reached directly. Credentials in a proxy URL become a
// Proxy-Authorization header and are never shown: `display` leaves them out.
#pragma once

#include "engine/run/run_options.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ab {

struct ProxyServer {
  std::string host;           // without brackets
  std::string port;
  std::string authorization;  // "Basic ..." when the URL had credentials, else empty
  std::string display;        // http://host:port, for messages
};

// One proxy URL; nullopt and `error` (which never repeats the credentials) when it is not one.
std::optional<ProxyServer> parse_proxy_url(std::string_view url, std::string& error);

class ProxyRoutes {
 public:
  ProxyRoutes() = default;
  // Throws std::invalid_argument with a message fit for the user.
  explicit ProxyRoutes(const ProxyOptions& options);

  // The proxy for a target, or null when it is reached directly.
  const ProxyServer* for_target(bool tls, std::string_view host) const;
  bool any() const { return https_ || http_; }

 private:
  bool bypassed(std::string_view host) const;

  std::optional<ProxyServer> https_;
  std::optional<ProxyServer> http_;
  std::vector<std::string> no_proxy_;  // lower case, without a leading dot; "*": every host
};

}  // namespace ab
