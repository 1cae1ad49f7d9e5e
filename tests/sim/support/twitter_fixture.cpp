#include "sim/support/twitter_fixture.hpp"

#include "sim/twitter/oauth1_signature.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>

namespace ab::sim::test {

namespace http = boost::beast::http;

std::string TwReply::error_code() const {
  if (!body.is_object()) return {};
  const auto* errors = body.as_object().if_contains("errors");
  if (!errors || !errors->is_array() || errors->as_array().empty()) return {};
  return std::string(errors->as_array()[0].at("code").as_string());
}

std::string encode(std::string_view text) { return oauth1::percent_encode(text); }

std::string str(const boost::json::value& value) { return std::string(value.as_string()); }

TwitterApiTest::TwitterApiTest()
    : now(std::chrono::seconds(1'714'564'800)),  // 2024-05-01T12:00:00Z
      signer({"", "", "", ""}) {
  restart(config);
}

void TwitterApiTest::set_version(unsigned version) {
  api_base = "/tw/" + std::to_string(version);
  public_base_url = "http://127.0.0.1:8181" + api_base;
  audiences_name = version == 8 ? "tailored_audiences" : "custom_audiences";
}

void TwitterApiTest::restart(TwitterConfig new_config) {
  config = std::move(new_config);
  signer.credentials() = {config.consumer_key, config.consumer_secret, config.access_token, config.access_token_secret};
  api = make_twitter_api(config);
}

Request TwitterApiTest::make_request(http::verb verb, std::string_view target, std::string body,
                                     std::string_view content_type) const {
  Request request{verb, target, 11};
  request.set(http::field::host, "127.0.0.1:8181");
  if (!content_type.empty()) request.set(http::field::content_type, content_type);
  request.body() = std::move(body);
  request.prepare_payload();
  return request;
}

TwReply TwitterApiTest::deliver(const Request& request) {
  Exchange exchange{now, referee, {}};
  auto response = api->handle(request, exchange);
  EXPECT_TRUE(response.has_value()) << request.target();
  if (!response) return {};
  TwReply reply;
  reply.status = response->result_int();
  boost::system::error_code error;
  reply.body = boost::json::parse(response->body(), error);
  EXPECT_FALSE(error) << response->body();
  reply.raw = std::move(*response);
  return reply;
}

TwReply TwitterApiTest::send(http::verb verb, std::string_view target, std::string body,
                             std::string_view content_type) {
  Request request = make_request(verb, target, std::move(body), content_type);
  signer.sign(request, api_base, public_base_url, now);
  return deliver(request);
}

std::string TwitterApiTest::audiences_path() const {
  return api_base + "/accounts/" + config.account + "/" + audiences_name;
}

TwReply TwitterApiTest::list(std::string_view query) {
  return send(http::verb::get, audiences_path() + (query.empty() ? "" : "?" + std::string(query)));
}

TwReply TwitterApiTest::get(std::string_view id, std::string_view query) {
  return send(http::verb::get,
              audiences_path() + "/" + std::string(id) + (query.empty() ? "" : "?" + std::string(query)));
}

TwReply TwitterApiTest::create(std::string_view query) {
  return send(http::verb::post, audiences_path() + "?" + std::string(query));
}

TwReply TwitterApiTest::update(std::string_view id, std::string_view query) {
  return send(http::verb::put, audiences_path() + "/" + std::string(id) + "?" + std::string(query));
}

TwReply TwitterApiTest::remove(std::string_view id) {
  return send(http::verb::delete_, audiences_path() + "/" + std::string(id));
}

TwReply TwitterApiTest::batch(std::string body) {
  return send(http::verb::post, api_base + "/batch/accounts/" + config.account + "/" + audiences_name,
              std::move(body), "application/json");
}

std::vector<boost::json::object> TwitterApiTest::list_all(std::string_view query) {
  std::vector<boost::json::object> all;
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    std::string q(query);
    if (!cursor.empty()) q += (q.empty() ? "" : "&") + std::string("cursor=") + encode(cursor);
    const TwReply reply = list(q);
    EXPECT_EQ(reply.status, 200u) << reply.raw.body();
    if (reply.status != 200) break;
    for (const auto& item : reply.data_array()) all.push_back(item.as_object());
    const auto& next = reply.object().at("next_cursor");
    if (next.is_null()) return all;
    cursor = std::string(next.as_string());
  }
  ADD_FAILURE() << "list never ended";
  return all;
}

std::vector<std::string> TwitterApiTest::ids_of(std::string_view query, std::string_view audience_type) {
  std::vector<std::string> ids;
  for (const auto& audience : list_all(query))
    if (str(audience.at("audience_type")) == audience_type) ids.push_back(str(audience.at("id")));
  return ids;
}

}  // namespace ab::sim::test
