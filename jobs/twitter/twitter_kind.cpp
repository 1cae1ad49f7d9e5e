#include "jobs/twitter/twitter_kind.hpp"

#include "engine/run/coroutine.hpp"

#include "jobs/twitter/api_errors.hpp"

namespace ab::tw {

std::string missing_settings(const TwitterEndpoints& endpoints) {
  const std::pair<const std::string*, const char*> required[] = {
      {&endpoints.account, "TWITTER_ADS_ACCOUNT_ID (or --tw-account)"},
      {&endpoints.consumer_key, "TWITTER_CONSUMER_KEY"},
      {&endpoints.consumer_secret, "TWITTER_CONSUMER_SECRET"},
      {&endpoints.access_token, "TWITTER_ACCESS_TOKEN"},
      {&endpoints.access_token_secret, "TWITTER_ACCESS_TOKEN_SECRET"},
  };
  std::string missing;
  for (const auto& [value, setting] : required) {
    if (!value->empty()) continue;
    if (!missing.empty()) missing += ", ";
    missing += setting;
  }
  return missing;
}

Awaitable<StartResult> TwitterKind::start(Api& api) {
  if (!context_.version_error.empty()) co_return StartResult{false, context_.version_error};
  if (const std::string missing = missing_settings(context_.endpoints); !missing.empty())
    co_return StartResult{false, "tw.* jobs need " + missing};

  // The cheapest signed request there is: one audience of the account.
  ApiRequest request =
      context_.request(boost::beast::http::verb::get, context_.paths.audiences(Query().add("count", "1")), {});
  const auto answer = co_await api.send(std::move(request));
  if (answer.ok()) co_return StartResult{};
  if (credentials_refused(answer)) co_return StartResult{false, refused_credentials(context_, answer)};
  co_return StartResult{false, "cannot use the X Ads API for account " + context_.endpoints.account + ": " +
                                   describe_failure(answer)};
}

bool credentials_refused(const ApiAnswer& answer) { return answer.status == 401 || answer.status == 403; }

std::string refused_credentials(const Context& context, const ApiAnswer& answer) {
  return "the X Ads API refused the credentials for account " + context.endpoints.account + ": " +
         describe_failure(answer);
}

}  // namespace ab::tw
