// Tests of the whole simulator over real sockets: start it on a free port,
// talk to it with HttpTestClient as any client would.
#pragma once

#include "audience_batch/simulator.hpp"
#include "sim/support/http_test_client.hpp"

#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

namespace ab::sim::test {

class SimulatorTest : public ::testing::Test {
 protected:
  void TearDown() override;

  // Starts the simulator (port 0 unless given) and a client for it.
  void start(SimOptions options = {}, HttpTestClientOptions client_options = {});
  HttpTestClient make_client() const;

  // neuroflash over the wire; `path` is relative to the API's base ("/workspace-service/...").
  HttpReply nf(std::string_view method, std::string_view path, const boost::json::value& body = nullptr);
  HttpReply ask_token();
  std::string token();              // a fresh token, kept for nf()
  std::string audiences_path();     // relative: /audience-service/v1/workspaces/{first}/target-audiences
  boost::json::value stats();       // GET /__stats

  std::unique_ptr<Simulator> sim;
  SimEndpoints where;
  HttpTestClientOptions client_options;
  std::unique_ptr<HttpTestClient> client;
  std::string bearer;
};

}  // namespace ab::sim::test
