#include "sim/support/sim_fixture.hpp"

#include <boost/json/serialize.hpp>

namespace ab::sim::test {

void SimulatorTest::TearDown() {
  client.reset();
  if (sim) sim->stop();
}

void SimulatorTest::start(SimOptions options, HttpTestClientOptions client_opts) {
  sim = std::make_unique<Simulator>(std::move(options));
  where = sim->start();
  client_options = std::move(client_opts);
  client = std::make_unique<HttpTestClient>("127.0.0.1", where.port, client_options);
}

HttpTestClient SimulatorTest::make_client() const { return HttpTestClient("127.0.0.1", where.port, client_options); }

HttpReply SimulatorTest::nf(std::string_view method, std::string_view path, const boost::json::value& body) {
  if (bearer.empty()) token();
  HeaderList headers{{"Authorization", "Bearer " + bearer}};
  std::string text;
  if (!body.is_null()) {
    headers.emplace_back("Content-Type", "application/json");
    text = boost::json::serialize(body);
  }
  return client->request(method, split_url(where.nf_api).path + std::string(path), std::move(text), headers);
}

HttpReply SimulatorTest::ask_token() {
  return client->request("POST", split_url(where.nf_token_url).path,
                         "grant_type=client_credentials&client_id=" + where.client_id +
                             "&client_secret=" + where.client_secret + "&scope=openid",
                         {{"Content-Type", "application/x-www-form-urlencoded"}});
}

std::string SimulatorTest::token() {
  auto reply = ask_token();
  EXPECT_EQ(reply.status, 200u) << reply.body;
  bearer = reply.status == 200 ? std::string(reply.json().at("access_token").as_string()) : std::string{};
  return bearer;
}

std::string SimulatorTest::audiences_path() {
  auto reply = nf("GET", "/workspace-service/v1/workspaces");
  EXPECT_EQ(reply.status, 200u) << reply.body;
  return "/audience-service/v1/workspaces/" +
         std::string(reply.json().at("_embedded").at("workspaces").at(0).at("id").as_string()) + "/target-audiences";
}

boost::json::value SimulatorTest::stats() {
  auto reply = client->request("GET", "/__stats");
  EXPECT_EQ(reply.status, 200u);
  return reply.json();
}

}  // namespace ab::sim::test
