#include "jobs/twitter/context.hpp"

#include "jobs/twitter/nonce.hpp"
#include "jobs/twitter/oauth1_signer.hpp"

namespace ab::tw {

namespace {

// The paths for the version `endpoints.api` names, or the reason it names none.
std::pair<ApiPaths, std::string> paths_for(const TwitterEndpoints& endpoints) {
  auto version = api_version_of(endpoints.api);
  if (auto* known = std::get_if<ApiVersion>(&version)) return {ApiPaths(endpoints.api, endpoints.account, *known), {}};
  const ApiVersion current = known_api_versions().back();
  return {ApiPaths(endpoints.api, endpoints.account, current), std::get<std::string>(version)};
}

}  // namespace

ApiRequest Context::request(boost::beast::http::verb method, std::string url, std::vector<std::size_t> rows) const {
  ApiRequest r;
  r.method = method;
  r.url = std::move(url);
  r.budgets = {kBudget};
  r.rows = std::move(rows);
  r.auth = auth.get();
  return r;
}

Context make_context(const TwitterEndpoints& endpoints, WallClock clock, std::function<std::string()> nonces) {
  OAuth1Credentials credentials{endpoints.consumer_key, endpoints.consumer_secret, endpoints.access_token,
                                endpoints.access_token_secret};
  auto [paths, version_error] = paths_for(endpoints);
  Context context{endpoints, std::move(paths), std::move(version_error),
                  std::make_shared<OAuth1Authenticator>(std::move(credentials), clock, std::move(nonces)), clock};
  return context;
}

Context make_context(const TwitterEndpoints& endpoints) {
  return make_context(endpoints, [] { return std::chrono::system_clock::now(); }, crypto_nonce);
}

}  // namespace ab::tw
