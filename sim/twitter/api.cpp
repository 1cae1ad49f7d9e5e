#include "sim/twitter/api.hpp"

#include "sim/http/http_target.hpp"
#include "sim/json_answer.hpp"
#include "sim/twitter/oauth1_verifier.hpp"
#include "sim/twitter/accounts.hpp"
#include "sim/twitter/audience_endpoints.hpp"
#include "sim/twitter/batch.hpp"
#include "sim/twitter/call.hpp"
#include "sim/twitter/members.hpp"
#include "sim/twitter/rate_limits.hpp"
#include "sim/twitter/routes.hpp"
#include "sim/twitter/seed.hpp"
#include "sim/twitter/store.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/array.hpp>

#include <optional>
#include <random>

namespace ab::sim {

namespace {

bool is_form(std::string_view content_type) {
  return tw::lower_ascii(content_type).starts_with("application/x-www-form-urlencoded");
}

oauth1::Params without_protocol_params(const oauth1::Params& params) {
  oauth1::Params out;
  for (const auto& param : params)
    if (!param.first.starts_with("oauth_")) out.push_back(param);
  return out;
}

// The first parameter given more than once, or nullptr. X takes one value
// per parameter; a client that repeats one means something it will not get.
const std::string* repeated_param(const oauth1::Params& params) {
  for (std::size_t i = 0; i < params.size(); ++i)
    for (std::size_t j = i + 1; j < params.size(); ++j)
      if (params[i].first == params[j].first) return &params[i].first;
  return nullptr;
}

// A path under the API's root, split at its version: "/tw/12/accounts" ->
// {"12", "/accounts"}. nullopt when the path is not this API's (a version
// segment that is not a number is some other path).
struct VersionedPath {
  std::string_view version;
  std::string_view rest;
};

std::optional<VersionedPath> split_version(std::string_view path, std::string_view root) {
  if (!path.starts_with(root) || path.size() <= root.size() + 1 || path[root.size()] != '/') return std::nullopt;
  const std::string_view after = path.substr(root.size() + 1);
  const auto slash = after.find('/');
  const std::string_view version = after.substr(0, slash);
  if (version.empty() || version.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  return VersionedPath{version, slash == std::string_view::npos ? std::string_view{} : after.substr(slash)};
}

// X's code for a server-side error status.
std::string_view server_error_code(unsigned status) {
  return status == 503 ? "SERVICE_UNAVAILABLE" : "INTERNAL_ERROR";
}

class TwitterApi final : public ApiHandler {
 public:
  explicit TwitterApi(TwitterConfig config)
      : config_(std::move(config)),
        rng_(config_.seed),
        store_(config_.account, 40'000'000 + rng_() % 10'000'000),
        verifier_({config_.consumer_key, config_.consumer_secret, config_.access_token, config_.access_token_secret}),
        limits_(config_.rate_limit, config_.rate_window, config_.published_budgets),
        total_count_window_(config_.total_count_limit, config_.total_count_window),
        members_window_(config_.members_limit, config_.members_window) {
    members_rules_.short_answer_rate = config_.members_short_answer_rate;
    tw::seed_audiences(store_, rng_);
  }

  std::optional<Response> handle(const Request& request, Exchange& exchange) override {
    const std::string_view target = request.target();
    const auto versioned = split_version(path_of(target), config_.api_root);
    if (!versioned) return std::nullopt;
    const tw::Dialect* dialect = tw::dialect_of(versioned->version);

    const tw::Route route = dialect ? tw::match_route(request.method_string(), versioned->rest, *dialect) : tw::Route{};
    exchange.endpoint = tw::endpoint_name(route.endpoint);
    const std::string_view content_type = request[http::field::content_type];
    auto signed_params = oauth1::decode_form(query_of(target));
    if (signed_params && is_form(content_type)) {
      auto form = oauth1::decode_form(request.body());
      if (form)
        signed_params->insert(signed_params->end(), form->begin(), form->end());
      else
        signed_params.reset();
    }
    const oauth1::Params params = signed_params ? without_protocol_params(*signed_params) : oauth1::Params();
    const tw::Call call{dialect ? *dialect : *tw::dialect_of("8"), route.account_id, route.audience_id, params,
                        content_type, request.body(), exchange.now, exchange.referee};
    if (!dialect)
      return respond(request, tw::error_answer(call, 404,
                                               {tw::code::not_found,
                                                "X Ads API version " + std::string(versioned->version) +
                                                    " is not served here (" + std::to_string(tw::oldest_version) + " to " +
                                                    std::to_string(tw::newest_version) + " are)",
                                                {}}));
    if (!signed_params)
      return respond(
          request,
          tw::error_answer(call, 400, {tw::code::invalid_parameter, "the query or form body is not well encoded", {}}));

    const auto verdict = verifier_.verify(
        {request.method_string(), signed_base_url(request), *signed_params, request[http::field::authorization]},
        exchange.now);
    if (!verdict.accepted()) {
      const auto rule = verdict.refusal == oauth1::Refusal::replayed_nonce ? rule::replayed_nonce : rule::bad_signature;
      return respond(request, tw::error_answer(call, 401, {tw::code::invalid_auth, verdict.reason, {}}, rule));
    }

    const bool on_account = !route.account_id.empty() && route.account_id == config_.account;
    const tw::Admission admission =
        limits_.admit(exchange.now, tw::family_of(request.method_string()), on_account, exchange.referee);
    tw::Answer answer = admitted(call, route, admission);
    return respond(request, answer, &admission);
  }

  // X's shape (API.md §B10): the errors array, and on a 429 the family's
  // x-rate-limit-* headers naming a reset, which X's clients read and break without.
  std::optional<Response> fault_answer(const Request& request, const InjectedFault& fault, SystemTime now) override {
    const std::string_view target = request.target();
    if (!split_version(path_of(target), config_.api_root)) return std::nullopt;
    const bool throttle = fault.status == 429;
    const tw::XError error{throttle ? tw::code::too_many_requests : server_error_code(fault.status),
                           throttle ? "Rate limit exceeded (simulated throttle)" : "Simulated server error", {}};
    boost::json::object echo;
    if (auto query = oauth1::decode_form(query_of(target)))
      for (const auto& [key, value] : without_protocol_params(*query))
        if (!echo.contains(key)) echo[key] = value;
    const boost::json::object body{{"errors", boost::json::array{tw::error_json(error)}},
                                   {"request", boost::json::object{{"params", std::move(echo)}}}};
    Response response = json_answer(request, static_cast<http::status>(fault.status), body);
    if (throttle)
      if (auto window = limits_.throttled(now, tw::family_of(request.method_string())))
        set_rate_headers(response, *window, "x-rate-limit");
    if (fault.retry_after) response.set(http::field::retry_after, "1");
    return response;
  }

  boost::json::object store_stats() const override {
    return {{"tw_audiences", store_.live()},
            {"tw_creates", store_.creates()},
            {"tw_batch_creates", store_.batch_creates()},
            {"tw_members", members_.sizes()}};
  }

  // "tw/members/ID": the audience's member set.
  std::optional<boost::json::value> inspect(std::string_view what) const override {
    constexpr std::string_view prefix = "tw/members/";
    if (!what.starts_with(prefix)) return std::nullopt;
    return boost::json::value(members_.members(std::string(what.substr(prefix.size()))));
  }

 private:
  tw::Answer admitted(const tw::Call& call, const tw::Route& route, const tw::Admission& admission) {
    if (!admission.allowed()) {
      const bool account_refused = admission.account && !admission.account->allowed;
      return tw::error_answer(call, 429,
                              {tw::code::too_many_requests,
                               account_refused ? "ad account rate limit exceeded" : "user rate limit exceeded",
                               {}});
    }
    if (route.endpoint == tw::Endpoint::unknown)
      return tw::error_answer(call, 404, {tw::code::not_found, "no such endpoint", {}});
    if (route.endpoint != tw::Endpoint::accounts && route.account_id != config_.account)
      return tw::error_answer(call, 404, {tw::code::not_found, "no ad account " + route.account_id, "account_id"});
    if (const std::string* repeated = repeated_param(call.params))
      return tw::error_answer(call, 400,
                              {tw::code::invalid_parameter, *repeated + " is given more than once; give it once",
                               *repeated});
    switch (route.endpoint) {
      case tw::Endpoint::list:
        return tw::list_audiences(call, store_, total_count_window_);
      case tw::Endpoint::get:
        return tw::get_audience(call, store_);
      case tw::Endpoint::create:
        return tw::create_audience(call, store_);
      case tw::Endpoint::update:
        return tw::update_audience(call, store_);
      case tw::Endpoint::remove:
        return tw::delete_audience(call, store_);
      case tw::Endpoint::batch:
        return tw::batch_audiences(call, store_);
      case tw::Endpoint::members:
        return tw::audience_users(call, store_, members_, members_window_, members_rules_, rng_);
      case tw::Endpoint::accounts:
        return tw::list_accounts(call, config_.account);
      case tw::Endpoint::account:
        return tw::get_account(call);
      case tw::Endpoint::unknown:
        break;
    }
    return tw::error_answer(call, 404, {tw::code::not_found, "no such endpoint", {}});
  }

  // The URL the client addressed and signed: a server verifies what it was
  // called as, so http://localhost:PORT and http://127.0.0.1:PORT both pass.
  std::string signed_base_url(const Request& request) const {
    const std::string_view host = request[http::field::host];
    return config_.scheme + "://" + std::string(host.empty() ? config_.default_authority : host) +
           std::string(path_of(request.target()));
  }

  static Response respond(const Request& request, const tw::Answer& answer, const tw::Admission* admission = nullptr) {
    Response response = json_answer(request, static_cast<http::status>(answer.status), answer.body);
    if (!admission) return response;
    // The refused family goes last, so that its Retry-After is the one that stays.
    const std::optional<WindowDecision> user = answer.window ? answer.window : admission->user;
    if (admission->account && !admission->account->allowed) {
      if (user) set_rate_headers(response, *user, "x-rate-limit");
      set_rate_headers(response, *admission->account, "x-account-rate-limit");
    } else {
      if (admission->account) set_rate_headers(response, *admission->account, "x-account-rate-limit");
      if (user) set_rate_headers(response, *user, "x-rate-limit");
    }
    return response;
  }

  TwitterConfig config_;
  std::mt19937_64 rng_;
  tw::Store store_;
  oauth1::Verifier verifier_;
  tw::RateLimits limits_;
  RateWindow total_count_window_;
  RateWindow members_window_;
  tw::MembersRules members_rules_;
  tw::MemberSets members_;
};

}  // namespace

std::unique_ptr<ApiHandler> make_twitter_api(TwitterConfig config) {
  return std::make_unique<TwitterApi>(std::move(config));
}

}  // namespace ab::sim
