// The X Ads API versions audience-batch speaks, and what differs between them
// (API.md §B11): v8 names the audience resource `tailored_audiences`, v9 and
// later `custom_audiences`. The version is the last path segment of --tw-api
// ("https://ads-api.x.com/12"); a version this table does not hold is refused
// before any request, since guessing its resource names could only fail later.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace ab::tw {

struct ApiVersion {
  unsigned number = 0;
  std::string_view audiences;   // the resource's path segment: B1-B6
  std::string_view ids_filter;  // B1's comma-separated id list parameter
  std::string_view served;      // whether X still serves it (its versions page)
};

// The version X serves today (TwitterEndpoints::api defaults to it).
inline constexpr unsigned kCurrentApiVersion = 12;

std::span<const ApiVersion> known_api_versions();
// "8, 9, 10, 11, 12"
std::string known_api_version_list();

// The version named by the last path segment of `api_url`, or a one-line
// reason naming the versions this table knows.
std::variant<ApiVersion, std::string> api_version_of(std::string_view api_url);

}  // namespace ab::tw
