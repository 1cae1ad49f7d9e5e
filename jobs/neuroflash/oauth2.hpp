// neuroflash authentication (API.md §A1): OAuth2 client credentials, one
// bearer token shared by every worker of a run.
//
// - fetched once (by start()), reused by every request;
// - replaced before it runs out: once 90 % of `expires_in` has passed, the
//   next request fetches a new one (the old one is used meanwhile if that fails);
// - replaced once more when the engine reports a 401 (renew());
// - single-flight: while one coroutine fetches, every other one that needs a
//   token waits for that same fetch, so N workers never cause N token requests.
//   A 401 that arrives shortly after a fresh token landed was answered to a
//   request sent with the old token: renew() then reuses the fresh one.
//
// Thread safety: the token state is under a mutex and waiters are resumed on
// their own executors, so workers may run on several threads. The token
// itself is never logged or put into an error message.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/send/api.hpp"
#include "engine/run/clock.hpp"
#include "jobs/neuroflash/single_flight.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace ab::nf {

using Clock = std::function<SteadyTime()>;

struct ClientCredentials {
  std::string token_url;
  std::string client_id;
  std::string client_secret;
};

// When a token should be replaced. Plain: the time is passed in.
class TokenLifetime {
 public:
  // The share of `expires_in` after which a token is replaced.
  static constexpr double refresh_share = 0.9;
  // A 401 within this long of a fetch (or a tenth of the lifetime, if less)
  // is taken as an answer to a request sent with the previous token.
  static constexpr std::chrono::seconds max_renew_grace{5};

  void issued(SteadyTime now, std::chrono::seconds expires_in);
  bool has_token() const { return issued_at_.has_value(); }
  // Valid and not yet due for replacement.
  bool fresh(SteadyTime now) const;
  // Issued so recently that a 401 cannot have been meant for it.
  bool just_issued(SteadyTime now) const;

 private:
  std::optional<SteadyTime> issued_at_;
  SteadyTime refresh_at_{};
  std::chrono::nanoseconds grace_{0};
};

// The outcome of one token request.
struct TokenFetch {
  bool ok = false;
  bool refused = false;   // the token endpoint rejected the credentials (400/401)
  unsigned status = 0;    // HTTP status of the token endpoint's answer, 0 when none
  std::string error;      // one line, never the token or the secret
};

class OAuth2ClientCredentials final : public Authenticator {
 public:
  OAuth2ClientCredentials(ClientCredentials credentials, Clock clock);

  // The Api token requests go through (budget "nf.token", no Authorization).
  // Set before the first use; it must outlive this object's use.
  void use_api(Api& api) { api_ = &api; }

  // Fetches a token unless a fresh one is held (start() uses it to fail early).
  Awaitable<TokenFetch> ensure_token();

  Awaitable<std::string> authorization(const ApiRequest& request) override;
  std::optional<std::string> authorization_now(const ApiRequest& request) override;
  Awaitable<bool> renew() override;

  // Token requests sent so far (tests, diagnostics).
  unsigned fetches() const;

 private:
  Awaitable<TokenFetch> fetch();
  // The flight's work, which looks again before fetching: a caller that saw
  // no fresh token may lead the next flight just after another flight landed
  // one, and must then not fetch a second.
  Awaitable<TokenFetch> fetch_unless_fresh();
  Awaitable<TokenFetch> fetch_unless_just_issued();
  std::string bearer() const;

  ClientCredentials credentials_;
  Clock clock_;
  Api* api_ = nullptr;
  // Named once: GCC 12 mishandles lambdas built inside a co_await expression.
  const SingleFlight<TokenFetch>::Work refresh_work_;
  const SingleFlight<TokenFetch>::Work renew_work_;
  SingleFlight<TokenFetch> flight_;
  mutable std::mutex mutex_;
  std::string token_;
  TokenLifetime lifetime_;
  unsigned fetches_ = 0;
};

// "grant_type=client_credentials&client_id=...": the form body of A1, percent-encoded.
std::string token_request_body(const ClientCredentials& credentials);

}  // namespace ab::nf
