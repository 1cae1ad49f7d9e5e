#include "engine/send/proxy.hpp"

#include <boost/url/parse.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace ab {

namespace {

std::string base64(std::string_view text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::optional<ProxyServer> parse_proxy_url(std::string_view url, std::string& error) {
  // A bare "host:port", as some set it, means http://host:port.
  std::string text(url);
  if (text.find("://") == std::string::npos) text = "http://" + text;
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed || parsed->host().empty()) {
    error = "not a proxy URL (http://[user:password@]host:port expected)";
    return std::nullopt;
  }
  if (parsed->scheme() != "http") {
    error = "proxy scheme \"" + std::string(parsed->scheme()) + "\" is not supported (http:// proxies only)";
    return std::nullopt;
  }
  ProxyServer p;
  p.host = parsed->host_address();
  if (p.host.size() > 1 && p.host.front() == '[') p.host = p.host.substr(1, p.host.size() - 2);
  p.port = parsed->has_port() ? std::string(parsed->port()) : "80";
  p.display = "http://" + std::string(parsed->encoded_host_and_port());
  if (parsed->has_userinfo()) p.authorization = "Basic " + base64(parsed->user() + ":" + parsed->password());
  return p;
}

ProxyRoutes::ProxyRoutes(const ProxyOptions& options) {
  auto parse = [](const std::string& url, const char* what) -> std::optional<ProxyServer> {
    if (url.empty()) return std::nullopt;
    std::string error;
    auto p = parse_proxy_url(url, error);
    if (!p) throw std::invalid_argument(std::string(what) + ": " + error);
    return p;
  };
  https_ = parse(options.https, "HTTPS_PROXY");
  http_ = parse(options.http, "HTTP_PROXY");
  std::string_view list = options.no_proxy;
  while (!list.empty()) {
    const auto comma = list.find(',');
    auto entry = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    while (!entry.empty() && std::isspace(static_cast<unsigned char>(entry.front()))) entry.remove_prefix(1);
    while (!entry.empty() && std::isspace(static_cast<unsigned char>(entry.back()))) entry.remove_suffix(1);
    if (entry.starts_with("*.")) entry.remove_prefix(1);
    if (entry.starts_with('.')) entry.remove_prefix(1);
    // "host:port" entries name the host; the port is not told apart.
    if (auto colon = entry.rfind(':'); colon != std::string_view::npos && entry.find(':') == colon)
      entry = entry.substr(0, colon);
    if (!entry.empty()) no_proxy_.push_back(lower(entry));
  }
}

bool ProxyRoutes::bypassed(std::string_view host) const {
  const auto h = lower(host);
  for (const auto& entry : no_proxy_) {
    if (entry == "*" || h == entry) return true;
    if (h.size() > entry.size() && h.ends_with(entry) && h[h.size() - entry.size() - 1] == '.') return true;
  }
  return false;
}

const ProxyServer* ProxyRoutes::for_target(bool tls, std::string_view host) const {
  const auto& proxy = tls ? https_ : http_;
  if (!proxy || bypassed(host)) return nullptr;
  return &*proxy;
}

}  // namespace ab
