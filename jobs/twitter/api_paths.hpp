// Where the X Ads API v8 tailored-audience endpoints are (API.md §B) and how
// their query strings are written: parameters in the order given, each
// RFC 3986-encoded, exactly as they are signed.
#pragma once

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
  // `api_base` e.g. "https://ads-api.twitter.com/8" (a trailing "/" is ignored).
  ApiPaths(std::string_view api_base, std::string_view account);

  // {base}/accounts/{account}/tailored_audiences{query}: B1 list, B3 create.
  std::string audiences(const Query& query = {}) const;
  // {base}/accounts/{account}/tailored_audiences/{id}{query}: B2, B4, B5.
  std::string audience(std::string_view id, const Query& query = {}) const;
  // {base}/accounts/{account}/tailored_audiences/{id}/users: B8 membership.
  std::string audience_users(std::string_view id) const;
  // {base}/batch/accounts/{account}/tailored_audiences: B6.
  std::string batch_audiences() const;

 private:
  std::string base_;
  std::string account_;  // encoded for a path segment
};

}  // namespace ab::tw
