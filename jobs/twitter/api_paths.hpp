// Where the X Ads API audience endpoints are (API.md §B, §B11: the resource
// is named by the API version) and how their query strings are written:
// parameters in the order given, each RFC 3986-encoded, exactly as they are signed.
#pragma once

#include "jobs/twitter/api_versions.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ab::tw {

class Query {
 public:
  Query& add(std::string_view name, std::string_view value);
  // Adds the parameter only when `value` is not empty.
  Query& add_if(std::string_view name, std::string_view value);
  // "" when empty, else "?a=1&b=x%20y".
  std::string str() const;
  bool empty() const { return params_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

class ApiPaths {
 public:
  // `api_base` e.g. "https://ads-api.x.com/12" (a trailing "/" is ignored),
  // `version` the one it names (api_version_of).
  ApiPaths(std::string_view api_base, std::string_view account, const ApiVersion& version);

  // {base}/accounts/{account}/{audiences}{query}: B1 list, B3 create.
  std::string audiences(const Query& query = {}) const;
  // {base}/accounts/{account}/{audiences}/{id}{query}: B2, B4, B5.
  std::string audience(std::string_view id, const Query& query = {}) const;
  // {base}/accounts/{account}/{audiences}/{id}/users: B8 membership.
  std::string audience_users(std::string_view id) const;
  // {base}/batch/accounts/{account}/{audiences}: B6.
  std::string batch_audiences() const;
  // B1's id-list parameter: tailored_audience_ids (v8) or custom_audience_ids.
  std::string_view ids_filter() const { return version_.ids_filter; }
  const ApiVersion& version() const { return version_; }

 private:
  ApiVersion version_;
  std::string base_;
  std::string account_;  // encoded for a path segment
};

}  // namespace ab::tw
