// What every tw.* kind declares alike: the X Ads API's endpoint, flags and
// the settings a job needs before it may start.
#include "jobs/twitter/api_versions.hpp"
#include "jobs/twitter/kinds.hpp"

#include <array>

namespace ab::tw {

namespace {

constexpr std::array<std::string_view, 2> kFlags = {"tw-api", "tw-account"};

std::vector<std::string> urls(const JobConfig& config) { return {config.tw.api}; }

// A version we do not speak is refused even by `check`; an account only
// matters to a run, which sends.
std::string settings_problem(const JobConfig& config, bool sending) {
  const auto version = api_version_of(config.tw.api);
  if (const auto* problem = std::get_if<std::string>(&version)) return "--tw-api: " + *problem;
  if (sending && config.tw.account.empty())
    return "tw.* jobs need an ad account: --tw-account ID or TWITTER_ADS_ACCOUNT_ID";
  return {};
}

}  // namespace

const ApiDeclaration api_declaration{"X Ads API", "tw.", kFlags, urls, settings_problem};

}  // namespace ab::tw
