#include "jobs/neuroflash/oauth2.hpp"

#include "engine/run/coroutine.hpp"

#include "jobs/neuroflash/answers.hpp"
#include "jobs/neuroflash/api_paths.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <charconv>

namespace ab::nf {

namespace json = boost::json;

namespace {

// When the answer names no lifetime: short enough to be safe, long enough not to matter.
constexpr std::chrono::seconds default_expires_in{300};

std::optional<std::chrono::seconds> seconds_in(const json::value& v) {
  if (v.is_int64() && v.get_int64() > 0) return std::chrono::seconds(v.get_int64());
  if (v.is_uint64()) return std::chrono::seconds(static_cast<std::int64_t>(v.get_uint64()));
  if (v.is_double() && v.get_double() >= 1) return std::chrono::seconds(static_cast<std::int64_t>(v.get_double()));
  if (v.is_string()) {
    std::string_view s = v.get_string();
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc{} && end == s.data() + s.size() && n > 0) return std::chrono::seconds(n);
  }
  return std::nullopt;
}

}  // namespace

std::string token_request_body(const ClientCredentials& credentials) {
  return "grant_type=client_credentials&client_id=" + percent_encoded(credentials.client_id) +
         "&client_secret=" + percent_encoded(credentials.client_secret) + "&scope=openid";
}

void TokenLifetime::issued(SteadyTime now, std::chrono::seconds expires_in) {
  issued_at_ = now;
  auto lifetime = std::chrono::duration_cast<std::chrono::nanoseconds>(expires_in);
  refresh_at_ = now + std::chrono::duration_cast<std::chrono::nanoseconds>(lifetime * refresh_share);
  grace_ = std::min<std::chrono::nanoseconds>(max_renew_grace, lifetime / 10);
}

bool TokenLifetime::fresh(SteadyTime now) const { return issued_at_ && now < refresh_at_; }

bool TokenLifetime::just_issued(SteadyTime now) const { return issued_at_ && now - *issued_at_ < grace_; }

OAuth2ClientCredentials::OAuth2ClientCredentials(ClientCredentials credentials, Clock clock)
    : credentials_(std::move(credentials)),
      clock_(std::move(clock)),
      refresh_work_([this] { return fetch_unless_fresh(); }),
      renew_work_([this] { return fetch_unless_just_issued(); }) {}

unsigned OAuth2ClientCredentials::fetches() const {
  std::lock_guard lock(mutex_);
  return fetches_;
}

std::string OAuth2ClientCredentials::bearer() const {
  std::lock_guard lock(mutex_);
  return token_.empty() ? std::string() : "Bearer " + token_;
}

Awaitable<TokenFetch> OAuth2ClientCredentials::ensure_token() {
  {
    std::lock_guard lock(mutex_);
    if (lifetime_.fresh(clock_())) co_return TokenFetch{.ok = true, .refused = false, .status = 0, .error = {}};
  }
  co_return co_await flight_.run(refresh_work_);
}

Awaitable<TokenFetch> OAuth2ClientCredentials::fetch_unless_fresh() {
  {
    std::lock_guard lock(mutex_);
    if (lifetime_.fresh(clock_())) co_return TokenFetch{.ok = true, .refused = false, .status = 0, .error = {}};
  }
  co_return co_await fetch();
}

Awaitable<TokenFetch> OAuth2ClientCredentials::fetch_unless_just_issued() {
  {
    std::lock_guard lock(mutex_);
    if (lifetime_.just_issued(clock_())) co_return TokenFetch{.ok = true, .refused = false, .status = 0, .error = {}};
  }
  co_return co_await fetch();
}

Awaitable<std::string> OAuth2ClientCredentials::authorization(const ApiRequest&) {
  // A failed refresh keeps the old token: it may still be valid, and if it is
  // not, the 401 leads to renew() and one more try.
  co_await ensure_token();
  co_return bearer();
}

std::optional<std::string> OAuth2ClientCredentials::authorization_now(const ApiRequest&) {
  std::lock_guard lock(mutex_);
  if (token_.empty() || !lifetime_.fresh(clock_())) return std::nullopt;
  return "Bearer " + token_;
}

Awaitable<bool> OAuth2ClientCredentials::renew() {
  {
    std::lock_guard lock(mutex_);
    if (lifetime_.just_issued(clock_())) co_return true;
  }
  auto fetched = co_await flight_.run(renew_work_);
  co_return fetched.ok;
}

Awaitable<TokenFetch> OAuth2ClientCredentials::fetch() {
  if (!api_) throw std::logic_error("OAuth2ClientCredentials: no Api to send the token request through");
  ApiRequest request;
  request.method = boost::beast::http::verb::post;
  request.url = credentials_.token_url;
  request.body = token_request_body(credentials_);
  request.content_type = "application/x-www-form-urlencoded";
  request.budgets = {"nf.token"};
  request.replay_safe = true;  // a second token does no harm
  {
    std::lock_guard lock(mutex_);
    ++fetches_;
  }
  ApiAnswer answer = co_await api_->send(std::move(request));

  TokenFetch result;
  result.status = answer.status;
  if (!answer.ok()) {
    result.refused = answer.outcome == ApiOutcome::rejected && (answer.status == 400 || answer.status == 401);
    result.error = describe_failure(answer);
    co_return result;
  }
  auto token = text_field(answer.json, "access_token");
  if (!token) {
    result.error = "token endpoint answered without an access_token";
    co_return result;
  }
  const auto* expires = answer.json.get_object().if_contains("expires_in");
  auto lifetime = (expires ? seconds_in(*expires) : std::nullopt).value_or(default_expires_in);
  {
    std::lock_guard lock(mutex_);
    token_ = std::move(*token);
    lifetime_.issued(clock_(), lifetime);
  }
  result.ok = true;
  co_return result;
}

}  // namespace ab::nf
