// What every nf.* kind declares alike: the neuroflash API's endpoints and flags.
#include "jobs/neuroflash/neuroflash_kind.hpp"

#include <array>
#include <chrono>

namespace ab::nf {

namespace {

constexpr std::array<std::string_view, 3> kFlags = {"nf-api", "nf-token-url", "nf-workspace"};

std::vector<std::string> urls(const JobConfig& config) { return {config.nf.api, config.nf.token_url}; }

}  // namespace

const ApiDeclaration api_declaration{"neuroflash", "nf.", kFlags, urls, nullptr};

Clock steady_clock() {
  return [] { return std::chrono::steady_clock::now(); };
}

}  // namespace ab::nf
