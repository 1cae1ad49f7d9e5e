#include "sim/support/neuroflash_fixture.hpp"

#include "support/neuroflash_seed.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace ab::sim::test {

namespace http = boost::beast::http;

boost::json::object seed_profile() {
  return boost::json::parse(ab::testing::neuroflash_seed_profile).as_object();
}

NeuroflashApiTest::NeuroflashApiTest() : api(make_neuroflash_api(config)) {}

void NeuroflashApiTest::restart(NeuroflashConfig changed) {
  config = std::move(changed);
  api = make_neuroflash_api(config);
  token.clear();
}

NfReply NeuroflashApiTest::send(http::verb verb, std::string_view path, std::string body, std::string_view bearer,
                                std::string_view content_type) {
  Request request(verb, path, 11);
  request.set(http::field::host, "127.0.0.1");
  if (!bearer.empty()) request.set(http::field::authorization, "Bearer " + std::string(bearer));
  if (!body.empty() && !content_type.empty()) request.set(http::field::content_type, content_type);
  request.body() = std::move(body);
  request.prepare_payload();
  Exchange exchange{now, referee, {}};
  auto answer = api->handle(request, exchange);
  last_endpoint = exchange.endpoint;
  NfReply reply;
  if (!answer) return reply;
  reply.status = answer->result_int();
  boost::system::error_code ec;
  reply.body = boost::json::parse(answer->body(), ec);
  if (ec) reply.body = nullptr;
  reply.raw = std::move(*answer);
  return reply;
}

NfReply NeuroflashApiTest::call(http::verb verb, std::string_view path, const boost::json::value& body) {
  if (token.empty()) fresh_token();
  return send(verb, path, body.is_null() ? std::string{} : boost::json::serialize(body), token);
}

NfReply NeuroflashApiTest::ask_token(std::string_view form) {
  return send(http::verb::post, config.token_path, std::string(form), {}, "application/x-www-form-urlencoded");
}

std::string NeuroflashApiTest::fresh_token() {
  auto reply = ask_token("grant_type=client_credentials&client_id=" + config.client_id +
                         "&client_secret=" + config.client_secret + "&scope=openid");
  EXPECT_EQ(reply.status, 200u);
  token = std::string(reply.body.at("access_token").as_string());
  return token;
}

std::string NeuroflashApiTest::workspace() {
  auto reply = call(http::verb::get, config.api_base + "/workspace-service/v1/workspaces");
  EXPECT_EQ(reply.status, 200u);
  return std::string(reply.body.at("_embedded").at("workspaces").at(0).at("id").as_string());
}

std::string NeuroflashApiTest::audiences_path(std::string_view ws) {
  const std::string id = ws.empty() ? workspace() : std::string(ws);
  return config.api_base + "/audience-service/v1/workspaces/" + id + "/target-audiences";
}

std::string NeuroflashApiTest::audience_path(std::string_view id) { return audiences_path() + "/" + std::string(id); }

NfReply NeuroflashApiTest::create(const boost::json::value& body) { return call(http::verb::post, audiences_path(), body); }

std::string NeuroflashApiTest::create_id(const boost::json::value& body) {
  auto reply = create(body);
  EXPECT_EQ(reply.status, 201u) << reply.raw.body();
  return reply.status == 201 ? std::string(reply.body.at("id").as_string()) : std::string{};
}

std::vector<std::string> NeuroflashApiTest::foreign_ids() const {
  std::vector<std::string> ids;
  const auto stats = api->store_stats();
  for (const auto& id : stats.at("nf_foreign_ids").as_array()) ids.emplace_back(id.as_string());
  return ids;
}

}  // namespace ab::sim::test
