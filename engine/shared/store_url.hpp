// Where the shared budgets live: `redis://[user:password@]host:port[/db]`,
// or `rediss://...` for Redis over TLS.
// Plain parsing, no I/O; the password is never part of describe().
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace ab {

struct StoreUrl {
  std::string host;
  std::uint16_t port = 6379;
  std::string user;      // empty: AUTH with the password alone (Redis < 6 style, or the default user)
  std::string password;  // empty: no AUTH
  unsigned db = 0;
  bool tls = false;      // rediss://
  // "redis://host:port/db" (or rediss://) without the credentials: safe for logs and messages.
  std::string describe() const;
};

// A StoreUrl, or a one-line reason why the text is not one.
std::variant<StoreUrl, std::string> parse_store_url(const std::string& text);

}  // namespace ab
