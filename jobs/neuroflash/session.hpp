// What every nf.* request shares within one run: the token, the workspace,
// the paths, and the budget. start() authenticates and finds the workspace
// once; after it, the session is read-only (apart from the token, which
// guards itself), so workers on any thread may use it.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/run/run_options.hpp"
#include "engine/send/api.hpp"
#include "engine/run/job_kind.hpp"
#include "jobs/neuroflash/api_paths.hpp"
#include "jobs/neuroflash/oauth2.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/object.hpp>

#include <string>

namespace ab::nf {

// Every neuroflash API request charges this budget (adaptive unless --rate nf=N/D).
inline constexpr std::string_view api_budget = "nf";

class Session {
 public:
  Session(const JobConfig& config, Clock clock);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Authenticates (refused credentials fail here, before any row), then takes
  // the workspace from the configuration or the first one the API lists.
  Awaitable<StartResult> start(Api& api);

  // A request to the API with the bearer token and budget "nf"; `body`, when
  // given, is sent as JSON. `replay_safe` false: the engine never sends it
  // twice and records an intent for `row` first.
  ApiRequest request(boost::beast::http::verb method, std::string url, const boost::json::object* body,
                     bool replay_safe, std::size_t row);
  // The same with the body given as JSON text.
  ApiRequest request_json(boost::beast::http::verb method, std::string url, std::string json_body, bool replay_safe,
                          std::size_t row);

  const std::string& workspace() const { return workspace_; }
  // The workspace's URLs, built once start() knows it (every row needs one).
  const std::string& audiences_url() const { return audiences_url_; }
  const std::string& url_imports_url() const { return url_imports_url_; }
  std::string audience_url(std::string_view id) const;
  const JobConfig& config() const { return config_; }
  OAuth2ClientCredentials& auth() { return auth_; }

 private:
  Awaitable<StartResult> find_workspace(Api& api);
  StartResult use_workspace(std::string id);

  JobConfig config_;
  ApiPaths paths_;
  OAuth2ClientCredentials auth_;
  std::string workspace_;
  std::string audiences_url_;
  std::string url_imports_url_;
};

}  // namespace ab::nf
