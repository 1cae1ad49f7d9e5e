#include "jobs/neuroflash/session.hpp"

#include "engine/run/coroutine.hpp"

#include "jobs/neuroflash/answers.hpp"

#include <boost/json/serialize.hpp>

namespace ab::nf {

namespace json = boost::json;
using boost::beast::http::verb;

namespace {

StartResult cannot_start(std::string why) { return {.ok = false, .error = std::move(why)}; }

// A2: the id at _embedded.workspaces[0].id of the HAL document.
std::optional<std::string> first_workspace(const json::value& hal) {
  if (!hal.is_object()) return std::nullopt;
  const auto* embedded = hal.get_object().if_contains("_embedded");
  if (!embedded || !embedded->is_object()) return std::nullopt;
  const auto* list = embedded->get_object().if_contains("workspaces");
  if (!list || !list->is_array() || list->get_array().empty()) return std::nullopt;
  return text_field(list->get_array().front(), "id");
}

}  // namespace

Session::Session(const JobConfig& config, Clock clock)
    : config_(config),
      paths_(config.nf.api),
      auth_(ClientCredentials{config.nf.token_url, config.nf.client_id, config.nf.client_secret}, std::move(clock)),
      workspace_(config.nf.workspace) {}

Awaitable<StartResult> Session::start(Api& api) {
  if (config_.nf.client_id.empty() || config_.nf.client_secret.empty())
    co_return cannot_start("neuroflash credentials missing: set NEUROFLASH_CLIENT_ID and NEUROFLASH_CLIENT_SECRET");
  auth_.use_api(api);
  TokenFetch token = co_await auth_.ensure_token();
  if (!token.ok) {
    if (token.refused)
      co_return cannot_start("the neuroflash token endpoint refused NEUROFLASH_CLIENT_ID/SECRET (HTTP " +
                             std::to_string(token.status) + "): " + token.error);
    co_return cannot_start("could not get a neuroflash access token: " + token.error);
  }
  if (!workspace_.empty()) co_return use_workspace(workspace_);
  co_return co_await find_workspace(api);
}

StartResult Session::use_workspace(std::string id) {
  workspace_ = std::move(id);
  audiences_url_ = paths_.audiences(workspace_);
  url_imports_url_ = paths_.url_imports(workspace_);
  return StartResult{};
}

std::string Session::audience_url(std::string_view id) const {
  return audiences_url_ + "/" + percent_encoded(id);
}

Awaitable<StartResult> Session::find_workspace(Api& api) {
  ApiRequest listing = request(verb::get, paths_.workspaces(), nullptr, true, 0);
  ApiAnswer answer = co_await api.send(std::move(listing));
  if (!answer.ok()) co_return cannot_start("could not list the neuroflash workspaces: " + describe_failure(answer));
  auto id = first_workspace(answer.json);
  if (!id) co_return cannot_start("the neuroflash API lists no workspace for these credentials; give one with --nf-workspace");
  co_return use_workspace(std::move(*id));
}

ApiRequest Session::request(verb method, std::string url, const json::object* body, bool replay_safe,
                            std::size_t row) {
  return request_json(method, std::move(url), body ? json::serialize(*body) : std::string(), replay_safe, row);
}

ApiRequest Session::request_json(verb method, std::string url, std::string json_body, bool replay_safe,
                                 std::size_t row) {
  ApiRequest r;
  r.method = method;
  r.url = std::move(url);
  if (!json_body.empty()) {
    r.body = std::move(json_body);
    r.content_type = "application/json";
  }
  r.budgets = {std::string(api_budget)};
  r.replay_safe = replay_safe;
  if (row) r.rows = {row};
  r.auth = &auth_;
  return r;
}

}  // namespace ab::nf
