// Handler-level tests of the simulated X Ads API: no sockets, a fixed clock
// the test moves by hand, every request signed as a well-behaved client would.
#pragma once

#include "sim/support/handler_reply.hpp"
#include "sim/support/oauth1_test_signer.hpp"
#include "sim/twitter/api.hpp"

#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

namespace ab::sim::test {

struct TwReply : HandlerReply {
  const boost::json::object& object() const { return body.as_object(); }
  const boost::json::array& data_array() const { return body.at("data").as_array(); }
  // errors[0].code, or "" when there is none
  std::string error_code() const;
};

class TwitterApiTest : public ::testing::Test {
 protected:
  TwitterApiTest();

  // Rebuilds the handler with `config` (the fixture's default until then).
  void restart(TwitterConfig config);

  Request make_request(boost::beast::http::verb verb, std::string_view target, std::string body = {},
                       std::string_view content_type = {}) const;
  TwReply deliver(const Request& request);  // as is: no signing
  TwReply send(boost::beast::http::verb verb, std::string_view target, std::string body = {},
               std::string_view content_type = {});

  TwReply list(std::string_view query = {});
  TwReply get(std::string_view id, std::string_view query = {});
  TwReply create(std::string_view query);
  TwReply update(std::string_view id, std::string_view query);
  TwReply remove(std::string_view id);
  TwReply batch(std::string body);

  // Every audience of a list query, over all pages (count per page as given).
  std::vector<boost::json::object> list_all(std::string_view query);

  // Ids of seeded audiences, by kind (from the list endpoint).
  std::vector<std::string> ids_of(std::string_view query, std::string_view audience_type = "CRM");
  std::vector<std::string> owned_crm_ids() { return ids_of("count=1000"); }

  std::string audiences_path() const;  // {api_base}/accounts/{account}/{the version's audiences}
  std::uint64_t violations(std::string_view rule) const { return referee.violations(rule); }

  // The version under test: its base path, the URL a client signs for it, and
  // its resource name (8: tailored_audiences; set_version changes all three).
  void set_version(unsigned version);
  std::string api_base = "/tw/8";
  std::string public_base_url = "http://127.0.0.1:8181/tw/8";
  std::string audiences_name = "tailored_audiences";

  TwitterConfig config;
  Referee referee;
  SystemTime now;
  TestSigner signer;
  std::unique_ptr<ApiHandler> api;
};

std::string encode(std::string_view text);         // percent-encoded for a query
std::string str(const boost::json::value& value);  // a JSON string's text

}  // namespace ab::sim::test
