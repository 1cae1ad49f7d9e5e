#include "sim/neuroflash/oauth2_tokens.hpp"

#include "sim/json_answer.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/params_view.hpp>

#include <cstdio>
#include <map>

namespace ab::sim {

namespace {

// Expired tokens are remembered for a while, so that a client using one gets
// "expired" (a normal refresh) rather than "unknown" (a broken rule).
constexpr std::size_t remembered_tokens = 4096;
constexpr std::chrono::hours remembered_after_expiry{24};

}  // namespace

TokenIssuer::TokenIssuer(std::chrono::seconds ttl, std::uint64_t seed) : ttl_(ttl), random_(seed) {}

std::string TokenIssuer::issue(SystemTime now) {
  forget_long_expired(now);
  std::string token;
  do {
    char word[17];
    token.clear();
    for (int i = 0; i < 4; ++i) {
      std::snprintf(word, sizeof word, "%016llx", static_cast<unsigned long long>(random_()));
      token += word;
    }
  } while (expiry_.contains(token));
  expiry_.emplace(token, now + ttl_);
  return token;
}

TokenState TokenIssuer::check(std::string_view token, SystemTime now) const {
  auto it = expiry_.find(token);
  if (it == expiry_.end()) return TokenState::unknown;
  return now < it->second ? TokenState::valid : TokenState::expired;
}

void TokenIssuer::forget_long_expired(SystemTime now) {
  if (expiry_.size() < remembered_tokens) return;
  std::erase_if(expiry_, [&](const auto& entry) { return entry.second + remembered_after_expiry < now; });
}

namespace {

Response oauth_error(const Request& request, http::status status, std::string_view error, std::string_view description) {
  auto answer = json_answer(request, status, boost::json::object{{"error", error}, {"error_description", description}});
  answer.set(http::field::cache_control, "no-store");
  return answer;
}

bool is_form(std::string_view content_type) {
  constexpr std::string_view form = "application/x-www-form-urlencoded";
  if (content_type.size() < form.size() || !boost::beast::iequals(content_type.substr(0, form.size()), form))
    return false;
  return content_type.size() == form.size() || content_type[form.size()] == ';';
}

// Space-separated scopes must include "openid".
bool asks_openid(std::string_view scopes) {
  while (!scopes.empty()) {
    const auto space = scopes.find(' ');
    if (scopes.substr(0, space) == "openid") return true;
    if (space == std::string_view::npos) break;
    scopes.remove_prefix(space + 1);
  }
  return false;
}

}  // namespace

Response answer_token_request(const Request& request, const ClientCredentials& expected, TokenIssuer& tokens,
                              SystemTime now) {
  if (request.method() != http::verb::post) {
    auto answer = oauth_error(request, http::status::method_not_allowed, "invalid_request", "use POST");
    answer.set(http::field::allow, "POST");
    return answer;
  }
  if (!is_form(request[http::field::content_type]))
    return oauth_error(request, http::status::bad_request, "invalid_request",
                       "the body must be application/x-www-form-urlencoded");
  if (!boost::urls::parse_query(request.body()))
    return oauth_error(request, http::status::bad_request, "invalid_request", "the form is not well encoded");
  std::map<std::string, std::string, std::less<>> form;
  for (auto param : boost::urls::params_view(request.body(), boost::urls::encoding_opts(true))) {
    // RFC 6749 §3.2: a parameter must not be sent twice.
    if (!form.emplace(param.key, param.value).second)
      return oauth_error(request, http::status::bad_request, "invalid_request", "a parameter is repeated");
  }
  auto field = [&](std::string_view name) -> std::string_view {
    auto it = form.find(name);
    return it == form.end() ? std::string_view{} : std::string_view(it->second);
  };
  if (field("grant_type").empty())
    return oauth_error(request, http::status::bad_request, "invalid_request", "grant_type is required");
  if (field("grant_type") != "client_credentials")
    return oauth_error(request, http::status::bad_request, "unsupported_grant_type", "only client_credentials");
  if (field("client_id") != expected.client_id || field("client_secret") != expected.client_secret)
    return oauth_error(request, http::status::unauthorized, "invalid_client", "client authentication failed");
  if (!asks_openid(field("scope")))
    return oauth_error(request, http::status::bad_request, "invalid_scope", "scope must include openid");

  auto answer = json_answer(request, http::status::ok,
                            boost::json::object{{"access_token", tokens.issue(now)},
                                                {"token_type", "Bearer"},
                                                {"expires_in", tokens.ttl().count()},
                                                {"scope", "openid"}});
  answer.set(http::field::cache_control, "no-store");
  return answer;
}

}  // namespace ab::sim
