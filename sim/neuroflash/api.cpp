#include "sim/neuroflash/api.hpp"

#include "sim/faults.hpp"

#include "sim/http/http_target.hpp"
#include "sim/json_answer.hpp"
#include "sim/json_text.hpp"
#include "sim/neuroflash/profile.hpp"
#include "sim/neuroflash/store.hpp"
#include "sim/neuroflash/oauth2_tokens.hpp"
#include "sim/rate_window.hpp"
#include "sim/neuroflash/url_import.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/array.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <array>

#include <optional>

namespace ab::sim {

namespace {

namespace json = boost::json;

enum class Route { workspaces, url_import, audiences, audience, not_found };

struct Match {
  Route route = Route::not_found;
  std::string_view workspace;
  std::string_view id;
};

// `rest` is the path after the API's base, e.g. "/audience-service/v1/workspaces/W/target-audiences/ID".
Match match(std::string_view rest) {
  constexpr std::string_view workspaces = "/workspace-service/v1/workspaces";
  constexpr std::string_view audience_service = "/audience-service/v1/workspaces/";
  if (rest == workspaces) return {Route::workspaces, {}, {}};
  if (!rest.starts_with(audience_service)) return {};
  rest.remove_prefix(audience_service.size());
  const auto slash = rest.find('/');
  if (slash == 0 || slash == std::string_view::npos) return {};
  const std::string_view workspace = rest.substr(0, slash);
  rest.remove_prefix(slash);
  if (rest == "/target-audiences-url-imports") return {Route::url_import, workspace, {}};
  if (rest == "/target-audiences") return {Route::audiences, workspace, {}};
  constexpr std::string_view audiences = "/target-audiences/";
  if (!rest.starts_with(audiences)) return {};
  rest.remove_prefix(audiences.size());
  if (rest.empty() || rest.find('/') != std::string_view::npos) return {};
  return {Route::audience, workspace, rest};
}

bool starts_with_no_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && boost::beast::iequals(text.substr(0, prefix.size()), prefix);
}

Response method_not_allowed(const Request& request, std::string_view allowed) {
  auto answer = json_answer(request, http::status::method_not_allowed,
                            error_body("use " + std::string(allowed), "METHOD_NOT_ALLOWED"));
  answer.set(http::field::allow, allowed);
  return answer;
}

class NeuroflashApi final : public ApiHandler {
 public:
  explicit NeuroflashApi(NeuroflashConfig config)
      : config_(std::move(config)),
        tokens_(config_.token_ttl, config_.seed ^ 0x6e66'746f'6b65'6e73ULL),
        store_(config_.seed, config_.store),
        workspaces_json_(to_json_text(workspaces_document())) {
    if (config_.rate_limit > 0) window_.emplace(config_.rate_limit, config_.rate_window);
  }

  // neuroflash's own shape (API.md §A6): {"error", "code"}, no rate headers.
  std::optional<Response> fault_answer(const Request& request, const InjectedFault& fault, SystemTime) override {
    const std::string_view path = path_of(request.target());
    if (path != config_.token_path && !path.starts_with(config_.api_base + "/")) return std::nullopt;
    return generic_fault_answer(request, fault);
  }

  std::optional<Response> handle(const Request& request, Exchange& exchange) override {
    const std::string_view path = path_of(request.target());
    if (path == config_.token_path) {
      exchange.endpoint = "nf.token";
      return answer_token_request(request, {config_.client_id, config_.client_secret}, tokens_, exchange.now);
    }
    if (!path.starts_with(config_.api_base) || path.size() == config_.api_base.size() ||
        path[config_.api_base.size()] != '/')
      return std::nullopt;
    const Match where = match(path.substr(config_.api_base.size()));
    exchange.endpoint = endpoint_name(where.route, request.method());
    if (where.route == Route::not_found)
      return json_answer(request, http::status::not_found, error_body("no such endpoint", "NOT_FOUND"));
    if (auto refusal = check_method(request, where.route)) return refusal;
    if (auto refusal = authorize(request, exchange)) return refusal;

    std::optional<WindowDecision> pace;
    if (window_) {
      if (window_->before_named_reset(exchange.now)) exchange.referee.violation(rule::request_before_reset);
      pace = window_->take(exchange.now);
      if (pace->allowed) exchange.referee.admitted("nf", pace->reset_epoch);
    }
    Response answer = pace && !pace->allowed
                          ? json_answer(request, http::status::too_many_requests,
                                        error_body("rate limit exceeded", "RATE_LIMIT_EXCEEDED"))
                          : serve(request, where, exchange);
    if (pace && config_.rate_published) set_rate_headers(answer, *pace);
    if (pace && !config_.rate_published && !pace->allowed)
      answer.set(http::field::retry_after, std::to_string(pace->retry_after.count()));
    return answer;
  }

  json::object store_stats() const override { return store_.stats(); }

 private:
  static std::string endpoint_name(Route route, http::verb method) {
    switch (route) {
      case Route::workspaces: return "nf.workspaces";
      case Route::url_import: return "nf.url-import";
      case Route::audiences: return method == http::verb::post ? "nf.create" : "nf.audiences";
      case Route::audience:
        if (method == http::verb::get) return "nf.get";
        if (method == http::verb::put) return "nf.update";
        if (method == http::verb::delete_) return "nf.delete";
        return "nf.audience";
      case Route::not_found: break;
    }
    return "nf.not_found";
  }

  static std::optional<Response> check_method(const Request& request, Route route) {
    const auto method = request.method();
    switch (route) {
      case Route::workspaces:
        if (method != http::verb::get) return method_not_allowed(request, "GET");
        break;
      case Route::url_import:
      case Route::audiences:
        if (method != http::verb::post) return method_not_allowed(request, "POST");
        break;
      case Route::audience:
        if (method != http::verb::get && method != http::verb::put && method != http::verb::delete_)
          return method_not_allowed(request, "GET, PUT, DELETE");
        break;
      case Route::not_found: break;
    }
    return std::nullopt;
  }

  // A 401 unless the request carries a valid bearer token. A missing or
  // unknown token is a broken rule; an expired one is normal (refresh once).
  std::optional<Response> authorize(const Request& request, Exchange& exchange) const {
    const std::string_view authorization = request[http::field::authorization];
    constexpr std::string_view bearer = "bearer ";
    TokenState state = TokenState::unknown;
    if (starts_with_no_case(authorization, bearer))
      state = tokens_.check(authorization.substr(bearer.size()), exchange.now);
    if (state == TokenState::valid) return std::nullopt;
    if (state == TokenState::unknown) exchange.referee.violation(rule::bad_token);
    const bool expired = state == TokenState::expired;
    auto answer = json_answer(request, http::status::unauthorized,
                              error_body(expired ? "the access token has expired" : "a valid bearer token is required",
                                         "UNAUTHORIZED"));
    answer.set(http::field::www_authenticate, expired ? R"(Bearer error="invalid_token", error_description="expired")"
                                                      : R"(Bearer error="invalid_token")");
    return answer;
  }

  Response serve(const Request& request, const Match& where, Exchange& exchange) {
    if (where.route == Route::workspaces) return json_text_answer(request, http::status::ok, workspaces_json_);
    if (!store_.has_workspace(where.workspace))
      return json_answer(request, http::status::not_found, error_body("workspace not found", "WORKSPACE_NOT_FOUND"));
    if (where.route == Route::url_import) return url_import(request, exchange);
    if (where.route == Route::audiences) return create(request, where, exchange);
    const auto audience = store_.find(where.workspace, where.id);
    if (!audience)
      return json_answer(request, http::status::not_found,
                         error_body("target audience not found", "TARGET_AUDIENCE_NOT_FOUND"));
    if (request.method() == http::verb::get) return read_back(request, *audience);
    if (!store_.client_owns(*audience))
      return json_answer(request, http::status::forbidden,
                         error_body("only the user who created this target audience may change or delete it",
                                    "FORBIDDEN"));
    if (request.method() == http::verb::put) return replace(request, *audience, exchange);
    store_.erase(*audience);
    return empty_answer(request, http::status::no_content);
  }

  Response read_back(const Request& request, NeuroflashStore::Ref audience) const {
    if (auto text = store_.answer(audience)) return json_text_answer(request, http::status::ok, std::move(*text));
    // The store was told to keep ids only: say so rather than answer half an audience.
    return json_answer(request, http::status::conflict,
                       error_body("this simulator keeps only ids (--sim-store ids): run it with --sim-store full "
                                  "to read audiences back",
                                  "SIM_STORE_IDS_ONLY"));
  }

  // The JSON body, or the 4xx answer when there is none (which breaks invalid_body).
  static std::optional<Response> read_json(const Request& request, Exchange& exchange, json::value& body,
                                           json::storage_ptr storage = {}) {
    if (!starts_with_no_case(request[http::field::content_type], "application/json")) {
      exchange.referee.violation(rule::invalid_body);
      return json_answer(request, http::status::unsupported_media_type,
                         error_body("the body must be application/json", "UNSUPPORTED_MEDIA_TYPE"));
    }
    boost::system::error_code ec;
    body = json::parse(request.body(), ec, std::move(storage));
    if (!ec) return std::nullopt;
    exchange.referee.violation(rule::invalid_body);
    return json_answer(request, http::status::bad_request, error_body("the body is not valid JSON", "INVALID_JSON"));
  }

  static Response invalid(const Request& request, const std::vector<FieldError>& errors) {
    return json_answer(request, http::status::bad_request, validation_errors(errors));
  }

  Response url_import(const Request& request, Exchange& exchange) {
    json::value body;
    if (auto refusal = read_json(request, exchange, body)) return std::move(*refusal);
    auto check = check_url_import(body);
    if (!check.errors.empty()) {
      exchange.referee.violation(rule::invalid_body);
      return invalid(request, check.errors);
    }
    return json_answer(request, http::status::ok, profile_from_hosts(check.hosts));
  }

  Response create(const Request& request, const Match& where, Exchange& exchange) {
    // The body and the checked profile live only as long as this request:
    // an arena on the stack spares the allocator a few dozen calls.
    std::array<unsigned char, 8192> scratch;
    json::monotonic_resource memory(scratch.data(), scratch.size());
    json::value body;
    if (auto refusal = read_json(request, exchange, body, &memory)) return std::move(*refusal);
    auto check = check_profile(body, ProfileUse::create, {}, &memory);
    if (!check.ok()) {
      exchange.referee.violation(rule::invalid_body);
      return invalid(request, check.errors);
    }
    // Names repeat legitimately; the same name with the same profile is a
    // create sent twice (a retry after a lost answer).
    auto written = store_.create(where.workspace, check.profile, exchange.now);
    if (written.duplicate) exchange.referee.violation(rule::duplicate_create);
    auto answer = json_text_answer(request, http::status::created, std::move(written.answer));
    std::string location(path_of(request.target()));
    location.push_back('/');
    location.append(store_.id(written.audience));
    answer.set(http::field::location, location);
    return answer;
  }

  Response replace(const Request& request, NeuroflashStore::Ref audience, Exchange& exchange) {
    json::value body;
    if (auto refusal = read_json(request, exchange, body)) return std::move(*refusal);
    auto check = check_profile(body, ProfileUse::replace, store_.id(audience));
    if (!check.missing.empty()) exchange.referee.violation(rule::partial_put);
    if (check.errors.size() > check.missing.size()) exchange.referee.violation(rule::invalid_body);
    if (!check.ok()) return invalid(request, check.errors);
    return json_text_answer(request, http::status::ok, store_.replace(audience, check.profile, exchange.now).answer);
  }

  // HAL, as neuroflash's workspace service answers (API.md §A2).
  json::object workspaces_document() const {
    const std::string self = config_.api_base + "/workspace-service/v1/workspaces";
    json::array list;
    for (const auto& w : store_.workspaces())
      list.push_back(json::object{{"id", w.id}, {"name", w.name}, {"_links", {{"self", {{"href", self + "/" + w.id}}}}}});
    const auto count = list.size();
    return {{"_embedded", {{"workspaces", std::move(list)}}},
            {"_links", {{"self", {{"href", self}}}}},
            {"page", {{"size", 20}, {"totalElements", count}, {"totalPages", 1}, {"number", 0}}}};
  }

  NeuroflashConfig config_;
  TokenIssuer tokens_;
  NeuroflashStore store_;
  std::string workspaces_json_;
  // Tokens of one client share one window: a fresh token does not escape it.
  std::optional<RateWindow> window_;
};

}  // namespace

std::unique_ptr<ApiHandler> make_neuroflash_api(NeuroflashConfig config) {
  return std::make_unique<NeuroflashApi>(std::move(config));
}

}  // namespace ab::sim
