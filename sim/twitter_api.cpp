#include "sim/twitter_api.hpp"

#include "sim/http_target.hpp"
#include "sim/json_answer.hpp"
#include "sim/oauth1_verifier.hpp"
#include "sim/twitter_audience_endpoints.hpp"
#include "sim/twitter_batch.hpp"
#include "sim/twitter_call.hpp"
#include "sim/twitter_members.hpp"
#include "sim/twitter_rate_limits.hpp"
#include "sim/twitter_routes.hpp"
#include "sim/twitter_seed.hpp"
#include "sim/twitter_store.hpp"

#include <boost/beast/http/field.hpp>

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

class TwitterApi final : public ApiHandler {
 public:
  explicit TwitterApi(TwitterConfig config)
      : config_(std::move(config)),
        rng_(config_.seed),
        store_(config_.account, 40'000'000 + rng_() % 10'000'000),
        verifier_({config_.consumer_key, config_.consumer_secret, config_.access_token, config_.access_token_secret}),
        limits_(config_.rate_limit, config_.rate_window),
        total_count_window_(config_.total_count_limit, config_.total_count_window),
        members_window_(config_.members_limit, config_.members_window) {
    members_rules_.short_answer_rate = config_.members_short_answer_rate;
    tw::seed_audiences(store_, rng_);
  }

  std::optional<Response> handle(const Request& request, Exchange& exchange) override {
    const std::string_view target = request.target();
    const std::string_view path = path_of(target);
    const std::string_view base = config_.api_base;
    if (!path.starts_with(base) || (path.size() > base.size() && path[base.size()] != '/')) return std::nullopt;
    const std::string_view rest = path.substr(base.size());

    const tw::Route route = tw::match_route(request.method_string(), rest);
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
    const tw::Call call{route.account_id, route.audience_id, params,          content_type,
                        request.body(),   exchange.now,      exchange.referee};
    if (!signed_params)
      return respond(
          request,
          tw::error_answer(call, 400, {tw::code::invalid_parameter, "the query or form body is not well encoded", {}}));

    const std::string base_url = signed_base_url(request, rest);
    const auto verdict = verifier_.verify(
        {request.method_string(), base_url, *signed_params, request[http::field::authorization]}, exchange.now);
    if (!verdict.accepted()) {
      const auto rule = verdict.refusal == oauth1::Refusal::replayed_nonce ? rule::replayed_nonce : rule::bad_signature;
      return respond(request, tw::error_answer(call, 401, {tw::code::invalid_auth, verdict.reason, {}}, rule));
    }

    const bool on_account = route.account_id == config_.account;
    const tw::Admission admission = limits_.admit(exchange.now, on_account, exchange.referee);
    tw::Answer answer = admitted(call, route, admission);
    return respond(request, answer, &admission);
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
    if (route.account_id != config_.account)
      return tw::error_answer(call, 404, {tw::code::not_found, "no ad account " + route.account_id, "account_id"});
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
      case tw::Endpoint::unknown:
        break;
    }
    return tw::error_answer(call, 404, {tw::code::not_found, "no such endpoint", {}});
  }

  // The URL the client saw and signed: the public base plus the path after api_base.
  std::string signed_base_url(const Request& request, std::string_view rest) const {
    if (!config_.public_base_url.empty()) return config_.public_base_url + std::string(rest);
    return "http://" + std::string(request[http::field::host]) + config_.api_base + std::string(rest);
  }

  static Response respond(const Request& request, const tw::Answer& answer, const tw::Admission* admission = nullptr) {
    Response response = json_answer(request, static_cast<http::status>(answer.status), answer.body);
    if (admission) {
      // The refused family goes last, so that its Retry-After is the one that stays.
      const WindowDecision& user = answer.window ? *answer.window : admission->user;
      if (admission->account && !admission->account->allowed) {
        set_rate_headers(response, user, "x-rate-limit");
        set_rate_headers(response, *admission->account, "x-account-rate-limit");
      } else {
        if (admission->account) set_rate_headers(response, *admission->account, "x-account-rate-limit");
        set_rate_headers(response, user, "x-rate-limit");
      }
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
