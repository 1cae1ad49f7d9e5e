#include "sim/twitter/routes.hpp"

#include <boost/url/pct_string_view.hpp>

#include <optional>
#include <vector>

namespace ab::sim::tw {

namespace {

// The path's segments, decoded; nullopt if an escape is broken.
std::optional<std::vector<std::string>> segments(std::string_view path) {
  std::vector<std::string> out;
  if (!path.starts_with('/')) return std::nullopt;
  path.remove_prefix(1);
  for (;;) {
    const auto slash = path.find('/');
    auto segment = boost::urls::make_pct_string_view(path.substr(0, slash));
    if (!segment) return std::nullopt;
    out.push_back(segment->decode());
    if (slash == std::string_view::npos) return out;
    path.remove_prefix(slash + 1);
  }
}

bool names_audiences(const std::vector<std::string>& parts, std::size_t at, const Dialect& dialect) {
  return parts[at] == "accounts" && !parts[at + 1].empty() && parts[at + 2] == dialect.audiences;
}

}  // namespace

Route match_route(std::string_view method, std::string_view path, const Dialect& dialect) {
  const auto parts = segments(path);
  if (!parts) return {};
  const std::size_t n = parts->size();
  // B9: the SDKs' entry point.
  if (n == 1 && (*parts)[0] == "accounts" && method == "GET") return {Endpoint::accounts, {}, {}};
  if (n == 2 && (*parts)[0] == "accounts" && !(*parts)[1].empty() && method == "GET")
    return {Endpoint::account, (*parts)[1], {}};
  if (n == 3 && names_audiences(*parts, 0, dialect)) {
    if (method == "GET") return {Endpoint::list, (*parts)[1], {}};
    if (method == "POST") return {Endpoint::create, (*parts)[1], {}};
  }
  if (n == 4 && names_audiences(*parts, 0, dialect) && !(*parts)[3].empty()) {
    if (method == "GET") return {Endpoint::get, (*parts)[1], (*parts)[3]};
    if (method == "PUT") return {Endpoint::update, (*parts)[1], (*parts)[3]};
    if (method == "DELETE") return {Endpoint::remove, (*parts)[1], (*parts)[3]};
  }
  if (n == 5 && names_audiences(*parts, 0, dialect) && !(*parts)[3].empty() && (*parts)[4] == "users" && method == "POST")
    return {Endpoint::members, (*parts)[1], (*parts)[3]};
  if (n == 4 && (*parts)[0] == "batch" && names_audiences(*parts, 1, dialect) && method == "POST")
    return {Endpoint::batch, (*parts)[2], {}};
  return {};
}

std::string_view endpoint_name(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::list:
      return "tw.list";
    case Endpoint::get:
      return "tw.get";
    case Endpoint::create:
      return "tw.create";
    case Endpoint::update:
      return "tw.update";
    case Endpoint::remove:
      return "tw.delete";
    case Endpoint::batch:
      return "tw.batch";
    case Endpoint::members:
      return "tw.members";
    case Endpoint::accounts:
      return "tw.accounts";
    case Endpoint::account:
      return "tw.account";
    case Endpoint::unknown:
      break;
  }
  return "tw.unknown";
}

}  // namespace ab::sim::tw
