#include "jobs/twitter/api_versions.hpp"

#include <array>
#include <charconv>

namespace ab::tw {

namespace {

// Read on X's developer pages (docs/x-ads-api-versions.md says how): the
// versions page for what is served, the Custom Audiences reference for the
// v9+ names. Where nothing said a thing changed (the batch endpoint's body,
// a segment's `tailored_audience_id`), it is taken as unchanged.
constexpr std::array<ApiVersion, 5> kVersions{{
    {8, "tailored_audiences", "tailored_audience_ids", "retired 2021-08-31"},
    {9, "custom_audiences", "custom_audience_ids", "retired 2022-03-31"},
    {10, "custom_audiences", "custom_audience_ids", "retired 2022-10-27"},
    {11, "custom_audiences", "custom_audience_ids", "served"},
    {12, "custom_audiences", "custom_audience_ids", "served (current)"},
}};

std::string_view last_segment(std::string_view url) {
  if (const auto query = url.find_first_of("?#"); query != std::string_view::npos) url = url.substr(0, query);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  const auto slash = url.rfind('/');
  return slash == std::string_view::npos ? url : url.substr(slash + 1);
}

}  // namespace

std::span<const ApiVersion> known_api_versions() { return kVersions; }

std::string known_api_version_list() {
  std::string out;
  for (const auto& version : kVersions) out += (out.empty() ? "" : ", ") + std::to_string(version.number);
  return out;
}

std::variant<ApiVersion, std::string> api_version_of(std::string_view api_url) {
  const std::string_view segment = last_segment(api_url);
  unsigned number = 0;
  const auto [end, error] = std::from_chars(segment.data(), segment.data() + segment.size(), number);
  const bool numeric = !segment.empty() && error == std::errc() && end == segment.data() + segment.size();
  if (numeric)
    for (const auto& version : kVersions)
      if (version.number == number) return version;
  return "the X Ads API URL \"" + std::string(api_url) + "\" must end in a version audience-batch knows (" +
         known_api_version_list() + "; " + std::to_string(kCurrentApiVersion) + " is what X serves today), not \"" +
         std::string(segment) + "\"";
}

}  // namespace ab::tw
