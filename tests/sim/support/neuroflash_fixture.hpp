// Handler-level tests of the simulated neuroflash API: no sockets, a clock the
// test moves by hand, requests built as a well-behaved client would send them.
#pragma once

#include "sim/neuroflash/api.hpp"
#include "sim/support/handler_reply.hpp"

#include <boost/beast/http/verb.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

namespace ab::sim::test {

using NfReply = HandlerReply;

// The seed's create body (API.md §A4): a valid, complete profile.
boost::json::object seed_profile();

class NeuroflashApiTest : public ::testing::Test {
 protected:
  NeuroflashApiTest();
  void restart(NeuroflashConfig changed);  // a fresh handler with this configuration

  // As is: `token` empty sends no Authorization header; content type application/json when a body is given.
  NfReply send(boost::beast::http::verb verb, std::string_view path, std::string body = {},
               std::string_view token = {}, std::string_view content_type = "application/json");
  NfReply call(boost::beast::http::verb verb, std::string_view path, const boost::json::value& body = nullptr);

  NfReply ask_token(std::string_view form);
  std::string fresh_token();  // a valid token, also kept as `token`
  std::string workspace();    // the first workspace's id

  std::string audiences_path(std::string_view ws = {});  // {api}/audience-service/v1/workspaces/{ws}/target-audiences
  std::string audience_path(std::string_view id);
  NfReply create(const boost::json::value& body);
  std::string create_id(const boost::json::value& body);  // expects 201
  std::vector<std::string> foreign_ids() const;
  std::uint64_t violations(std::string_view rule) const { return referee.violations(rule); }

  NeuroflashConfig config;
  Referee referee;
  SystemTime now{std::chrono::seconds{1'750'000'000}};
  std::unique_ptr<ApiHandler> api;
  std::string token;
  std::string last_endpoint;
};

}  // namespace ab::sim::test
