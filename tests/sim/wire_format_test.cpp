// The server's own response writer says exactly what Beast's serializer says.
#include "sim/http/wire_format.hpp"

#include "sim/json_answer.hpp"

#include <boost/beast/http/write.hpp>
#include <gtest/gtest.h>

#include <sstream>

namespace ab::sim {
namespace {

std::string as_beast_writes_it(const Response& response) {
  std::ostringstream out;
  out << response;
  return out.str();
}

std::string as_we_write_it(const Response& response) {
  std::string head = "leftovers of the previous answer";
  write_head(response, head);
  return head + response.body();
}

TEST(WireFormat, MatchesBeastForJsonAnswersOfBothVersions) {
  for (unsigned version : {10u, 11u}) {
    for (bool keep_alive : {true, false}) {
      Request request(http::verb::get, "/x", version);
      request.keep_alive(keep_alive);
      auto answer = json_answer(request, http::status::too_many_requests, error_body("slow down", "RATE"));
      answer.set("x-rate-limit-reset", "1700000000");
      answer.set(http::field::retry_after, "3");
      EXPECT_EQ(as_we_write_it(answer), as_beast_writes_it(answer));
    }
  }
}

TEST(WireFormat, MatchesBeastForEmptyAndUnusualAnswers) {
  Request request(http::verb::delete_, "/x", 11);
  auto deleted = empty_answer(request, http::status::no_content);
  EXPECT_EQ(as_we_write_it(deleted), as_beast_writes_it(deleted));
  EXPECT_EQ(as_we_write_it(deleted), "HTTP/1.1 204 No Content\r\n\r\n");

  Response custom(static_cast<http::status>(599), 11);
  custom.reason("Made Up");
  custom.body() = "x";
  custom.prepare_payload();
  EXPECT_EQ(as_we_write_it(custom), as_beast_writes_it(custom));
}

}  // namespace
}  // namespace ab::sim
