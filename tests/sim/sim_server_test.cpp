// The simulator's HTTP server over real sockets: keep-alive, concurrency,
// and the 4xx answers to requests no good client sends.
#include "sim/support/sim_fixture.hpp"

#include "sim/http/router.hpp"
#include "sim/http/server.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace ab::sim::test {
namespace {

std::string status_line(const std::string& raw) { return raw.substr(0, raw.find("\r\n")); }
std::string body_of(const std::string& raw) { return raw.substr(raw.find("\r\n\r\n") + 4); }

TEST_F(SimulatorTest, PortZeroPicksAFreePortAndTwoSimulatorsCoexist) {
  start();
  EXPECT_NE(where.port, 0u);
  Simulator other({});
  auto there = other.start();
  EXPECT_NE(there.port, where.port);
  HttpTestClient second("127.0.0.1", there.port);
  EXPECT_EQ(second.request("GET", "/__stats").status, 200u);
}

TEST_F(SimulatorTest, KeepsTheConnectionAliveAcrossRequests) {
  start();
  token();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(nf("GET", "/workspace-service/v1/workspaces").status, 200u);
  EXPECT_EQ(client->connections_opened(), 1u);
}

TEST_F(SimulatorTest, ServesSeveralConnectionsAtOnce) {
  start({.threads = 2});
  const auto path = split_url(where.nf_api).path + audiences_path();
  std::atomic<int> created{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 6; ++w) {
    workers.emplace_back([&, w] {
      auto mine = make_client();
      for (int i = 0; i < 25; ++i) {
        const std::string body = R"({"name":"worker )" + std::to_string(w) + " #" + std::to_string(i) +
                                 R"(","genderDistribution":{"female":0.5,"male":0.4,"nonBinary":0.07,"preferNotToSay":0.03}})";
        auto reply = mine.request("POST", path, body,
                                  {{"Authorization", "Bearer " + bearer}, {"Content-Type", "application/json"}});
        if (reply.status == 201) ++created;
      }
      EXPECT_EQ(mine.connections_opened(), 1u);
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(created.load(), 150);
  const auto s = stats();
  EXPECT_EQ(s.at("store").at("nf_audiences"), 150);
  EXPECT_EQ(s.at("requests").at("nf.create").at("201"), 150);
  EXPECT_EQ(s.at("total_violations"), 0);
}

TEST_F(SimulatorTest, AnHttp10RequestIsAnsweredThenTheConnectionCloses) {
  start();
  const auto raw = client->send_raw("GET /__stats HTTP/1.0\r\n\r\n");
  EXPECT_EQ(status_line(raw), "HTTP/1.0 200 OK");
}

TEST_F(SimulatorTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  const auto raw = client->send_raw(
      "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /__stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto second = raw.find("HTTP/1.1 200 OK");
  EXPECT_EQ(raw.find("HTTP/1.1 404 Not Found"), 0u);
  EXPECT_NE(second, std::string::npos);
}

TEST_F(SimulatorTest, MalformedRequestsGet400AndAClosedConnection) {
  start();
  using namespace std::string_literals;
  for (const std::string& bad : {"GARBAGE\r\n\r\n"s, "GET / HTTX/1.1\r\n\r\n"s, "GET / HTTP/1.1\r\nNo colon here\r\n\r\n"s,
                                 "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n"s,
                                 "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx"s,
                                 "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"s,
                                 "GET / HTTP/1.1\r\nHost: x\r\n\0\r\n\r\n"s}) {
    const auto raw = client->send_raw(bad);  // returns once the server closed
    EXPECT_EQ(status_line(raw), "HTTP/1.1 400 Bad Request") << bad;
    EXPECT_NE(raw.find("Connection: close"), std::string::npos);
    EXPECT_NE(body_of(raw).find("\"code\":\"BAD_REQUEST\""), std::string::npos);
  }
  EXPECT_EQ(stats().at("requests").at("http").at("400"), 7);
}

TEST_F(SimulatorTest, AHugeHeaderBlockIs431) {
  start();
  const std::string raw =
      client->send_raw("GET /__stats HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(20 * 1024, 'a') + "\r\n\r\n");
  EXPECT_EQ(status_line(raw), "HTTP/1.1 431 Request Header Fields Too Large");
  // Under the limit is fine.
  auto fine = client->request("GET", "/__stats", {}, {{"X-Filler", std::string(8 * 1024, 'a')}});
  EXPECT_EQ(fine.status, 200u);
}

TEST_F(SimulatorTest, AHugeBodyIs413WhetherAnnouncedOrChunked) {
  start();
  const auto path = split_url(where.nf_api).path + audiences_path();
  const std::string big(1024 * 1024 + 1, 'x');
  auto announced = client->request("POST", path, big,
                                   {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + bearer}});
  EXPECT_EQ(announced.status, 413u);
  std::string chunked = "POST /__stats HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) chunked += "10000\r\n" + std::string(0x10000, 'y') + "\r\n";
  chunked += "0\r\n\r\n";
  EXPECT_EQ(status_line(client->send_raw(chunked)), "HTTP/1.1 413 Payload Too Large");
  // Exactly the limit is read and judged by the API: not JSON here.
  auto at_limit = client->request("POST", path, std::string(1024 * 1024, ' '),
                                  {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + bearer}});
  EXPECT_EQ(at_limit.status, 400u);
}

TEST_F(SimulatorTest, AnExpect100ContinueBodyIsRead) {
  start();
  const auto raw = client->send_raw(
      "POST /__reset HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  EXPECT_EQ(raw.find("HTTP/1.1 100 Continue\r\n"), 0u);
  EXPECT_NE(raw.find("HTTP/1.1 200 OK"), std::string::npos);
}

TEST_F(SimulatorTest, UnknownPathsAre404Json) {
  start();
  // (/tw/9/accounts is an endpoint now: B9's accounts.)
  for (auto path : {"/", "/nf", "/nf/api", "/tw/v9/accounts", "/__nothing"}) {
    auto reply = client->request("GET", path);
    EXPECT_EQ(reply.status, 404u) << path;
    EXPECT_EQ(reply.header("Content-Type"), "application/json");
    EXPECT_EQ(reply.json().at("code"), "NOT_FOUND");
  }
  EXPECT_EQ(stats().at("requests").at("unknown").at("404"), 5);
}

TEST_F(SimulatorTest, StatsHaveTheRefereesShapeAndTheStores) {
  start();
  token();
  nf("GET", "/workspace-service/v1/workspaces");
  const auto s = stats();
  for (auto key : {"requests", "violations", "total_requests", "total_violations", "store"})
    EXPECT_TRUE(s.as_object().contains(key)) << key;
  EXPECT_EQ(s.at("requests").at("nf.token").at("200"), 1);
  EXPECT_EQ(s.at("requests").at("nf.workspaces").at("200"), 1);
  EXPECT_EQ(s.at("total_requests"), 2);
  EXPECT_EQ(s.at("store").at("nf_audiences"), 0);
  EXPECT_EQ(s.at("store").at("nf_creates"), 0);
  EXPECT_EQ(s.at("store").at("nf_foreign_ids").as_array().size(), 3u);
  EXPECT_EQ(boost::json::parse(sim->stats_json()).at("total_requests"), 2);
}

TEST_F(SimulatorTest, StoppingClosesTheConnections) {
  start();
  EXPECT_EQ(client->request("GET", "/__stats").status, 200u);
  sim->stop();
  auto after = client->request("GET", "/__stats");
  EXPECT_FALSE(after.answered());
  EXPECT_TRUE(after.error);
  EXPECT_NO_THROW(sim->stats_json());
}

// The idle timeout, on a server of its own with a short one.
TEST(SimServer, ClosesAConnectionThatStaysSilent) {
  boost::asio::io_context io;
  Router router({}, {});
  Server server(io, {.idle_timeout = std::chrono::milliseconds(100)});
  server.start(router);
  std::thread runner([&] { io.run(); });
  HttpTestClient client("127.0.0.1", server.port());
  // Half a request, then silence: the server gives up, without an answer.
  EXPECT_EQ(client.send_raw("GET /__stats HTTP/1.1\r\n"), "");
  server.stop();
  io.stop();
  runner.join();
}

TEST(SimServer, RefusesAnAddressItCannotBind) {
  boost::asio::io_context io;
  EXPECT_THROW(Server(io, {.host = "not-an-address"}), std::runtime_error);
  Server first(io, {});
  EXPECT_THROW(Server(io, {.port = first.port()}), std::runtime_error);
}

}  // namespace
}  // namespace ab::sim::test
