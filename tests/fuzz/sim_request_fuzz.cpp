// libFuzzer target for the simulator's request path without sockets: random
// bytes go through Beast's request parser (with the server's limits) and every
// request parsed from them through the Router to the neuroflash handler.
// Placeholders let the fuzzer reach past authentication: "@T" in the
// Authorization header becomes a valid token, "@W" a workspace id, "@A" an
// audience of the client's and "@F" a foreign audience, in target and body.
// Besides "no crash, no sanitizer report" it checks: every answer has a valid
// status and a JSON body (or none with 204), and the stats stay JSON with
// counts that add up.
#include "sim/json_text.hpp"
#include "sim/neuroflash/api.hpp"
#include "sim/http/router.hpp"

#include <boost/beast/http/parser.hpp>
#include <boost/json/parse.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using ab::sim::Request;
using ab::sim::SystemTime;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "sim_request_fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

struct Names {
  std::string token, workspace, audience, foreign;
};

// A fresh simulated account for each input, so that a finding replays alone.
struct Account {
  Account() {
    std::vector<std::unique_ptr<ab::sim::ApiHandler>> handlers;
    handlers.push_back(ab::sim::make_neuroflash_api({.rate_limit = 5, .rate_window = std::chrono::milliseconds(1000)}));
    router = std::make_unique<ab::sim::Router>(std::move(handlers), ab::sim::RouterConfig{});
    names.token = json::parse(call(http::verb::post, "/nf/oauth/v2/token",
                                   "grant_type=client_credentials&client_id=sim-client&client_secret=sim-secret&scope=openid",
                                   "application/x-www-form-urlencoded"))
                      .at("access_token")
                      .as_string();
    names.workspace = json::parse(call(http::verb::get, "/nf/api/workspace-service/v1/workspaces"))
                          .at("_embedded").at("workspaces").at(0).at("id").as_string();
    names.audience = json::parse(call(http::verb::post,
                                      "/nf/api/audience-service/v1/workspaces/" + names.workspace + "/target-audiences",
                                      R"({"name":"n","genderDistribution":{"female":1,"male":0,"nonBinary":0,"preferNotToSay":0}})",
                                      "application/json"))
                         .at("id").as_string();
    names.foreign = json::parse(router->route(Request(http::verb::get, "/__stats", 11), now).response.body())
                        .at("store").at("nf_foreign_ids").at(0).as_string();
  }

  std::string call(http::verb verb, std::string target, std::string body = {}, std::string_view type = {}) {
    Request request(verb, target, 11);
    if (!names.token.empty()) request.set(http::field::authorization, "Bearer " + names.token);
    if (!type.empty()) request.set(http::field::content_type, type);
    request.body() = std::move(body);
    request.prepare_payload();
    return router->route(request, now).response.body();
  }

  void substitute(Request& request) const {
    std::string target(request.target());
    for (auto* text : {&target, &request.body()}) {
      replace_all(*text, "@W", names.workspace);
      replace_all(*text, "@A", names.audience);
      replace_all(*text, "@F", names.foreign);
    }
    request.target(target);
    if (auto it = request.find(http::field::authorization); it != request.end()) {
      std::string value(it->value());
      replace_all(value, "@T", names.token);
      request.set(http::field::authorization, value);
    }
  }

  std::unique_ptr<ab::sim::Router> router;
  Names names;
  SystemTime now{std::chrono::seconds{1'750'000'000}};
};

void check_answer(const ab::sim::Response& response) {
  require(response.result_int() >= 200 && response.result_int() <= 599, "a final status");
  if (response.body().empty()) {
    require(response.result_int() == 204, "only 204 has no body");
    return;
  }
  boost::system::error_code ec;
  json::parse(response.body(), ec);
  require(!ec, "every body is JSON");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Account account;
  auto bytes = boost::asio::buffer(data, size);
  // Up to 8 pipelined requests, each cut off by the same limits as the server's.
  for (int n = 0; n < 8 && bytes.size() > 0; ++n) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(1024 * 1024);
    parser.eager(true);
    boost::system::error_code ec;
    const auto used = parser.put(bytes, ec);
    if (ec || !parser.is_done()) break;
    bytes += used;
    Request request = parser.release();
    account.substitute(request);
    auto reply = account.router->route(request, account.now);
    require(!reply.drop, "no faults are configured");
    check_answer(reply.response);
    account.now += std::chrono::milliseconds(300);
  }
  const auto stats = account.router->stats();
  std::uint64_t total = 0;
  for (const auto& [endpoint, statuses] : stats.at("requests").as_object())
    for (const auto& [status, count] : statuses.as_object()) total += count.as_uint64();
  require(total == stats.at("total_requests").as_uint64(), "the totals add up");
  boost::system::error_code ec;
  json::parse(ab::sim::to_json_text(stats), ec);
  require(!ec, "the stats are JSON");
  return 0;
}
