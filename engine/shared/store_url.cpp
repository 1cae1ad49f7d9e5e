#include "engine/shared/store_url.hpp"

#include <boost/url/parse.hpp>

#include <charconv>

namespace ab {

std::string StoreUrl::describe() const {
  std::string out = (tls ? "rediss://" : "redis://") + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                    std::to_string(port);
  if (db != 0) out += "/" + std::to_string(db);
  return out;
}

std::variant<StoreUrl, std::string> parse_store_url(const std::string& text) {
  auto parsed = boost::urls::parse_uri(text);
  // The text is not echoed back whole: it may hold a password.
  if (!parsed) return std::string("not a URL: redis://[user:password@]host:port[/db] is expected");
  const auto scheme = parsed->scheme();
  if (scheme != "redis" && scheme != "rediss")
    return "unsupported scheme \"" + std::string(scheme) + "\": redis:// or rediss:// is expected";
  StoreUrl url;
  url.tls = scheme == "rediss";
  url.host = std::string(parsed->host_address());
  if (url.host.empty()) return std::string("no host: redis://[user:password@]host:port[/db] is expected");
  if (parsed->has_port()) {
    if (parsed->port().empty() || parsed->port_number() == 0) return std::string("the port must be 1 to 65535");
    url.port = parsed->port_number();
  }
  if (parsed->has_userinfo()) {
    url.user = parsed->user();
    url.password = parsed->password();
    // "redis://:secret@host" is the usual way to give a password alone.
    if (!parsed->has_password()) std::swap(url.user, url.password);
  }
  std::string path(parsed->encoded_path());
  if (!path.empty() && path != "/") {
    const char* first = path.data() + 1;
    const char* last = path.data() + path.size();
    auto [end, ec] = std::from_chars(first, last, url.db);
    if (ec != std::errc() || end != last) return std::string("the path must be a database number, as in redis://host:6379/2");
  }
  if (parsed->has_query() || parsed->has_fragment())
    return std::string("no query or fragment is expected: redis://[user:password@]host:port[/db]");
  return url;
}

}  // namespace ab
