#include "jobs/twitter/context.hpp"

#include "jobs/twitter/nonce.hpp"
#include "jobs/twitter/oauth1_signer.hpp"

namespace ab::tw {

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
  Context context{endpoints, ApiPaths(endpoints.api, endpoints.account),
                  std::make_shared<OAuth1Authenticator>(std::move(credentials), clock, std::move(nonces)), clock};
  return context;
}

Context make_context(const TwitterEndpoints& endpoints) {
  return make_context(endpoints, [] { return std::chrono::system_clock::now(); }, crypto_nonce);
}

}  // namespace ab::tw
