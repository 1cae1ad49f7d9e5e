// neuroflash's "fastest way" (API.md §A3): a prepared demographic profile
// bootstrapped from a brand's URLs. The simulator derives it from the URLs'
// hosts with a stable hash, so the same URLs always give the same profile and
// different brands plausibly different ones; it is a valid create body as is.
#pragma once

#include "sim/neuroflash/profile.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ab::sim {

// The only audience model the simulator knows: the one in the seed.
inline constexpr std::string_view known_audience_model = "538b1efc6f88ad88feebf7acd8c618facb54fe82";

struct UrlImportCheck {
  std::vector<std::string> hosts;  // lower case, without "www.", in the order of the URLs
  std::vector<FieldError> errors;  // empty: valid
};

// Checks {"audienceModelId": the known model, "urls": [absolute http(s) URLs, at least one]}.
UrlImportCheck check_url_import(const boost::json::value& body);

// The profile for these hosts: name, country, genderDistribution (whole
// percents, so its decimal sum is exactly 1), ages, interests, needs,
// painPoints, nativeLanguage, residence, shared (false).
boost::json::object profile_from_hosts(const std::vector<std::string>& hosts);

}  // namespace ab::sim
