// The simple answer reader takes the answers it can read whole and leaves
// every other one to Beast untouched. Whether it reads them as Beast does is
// the differential fuzzer's job (tests/fuzz/simple_answer_fuzz.cpp); these
// are the shapes the engine meets, and where the line between the two runs.
#include "engine/send/simple_answer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ab {
namespace {

using Outcome = SimpleAnswer::Outcome;

constexpr std::size_t header_limit = 64 * 1024;
constexpr std::uint64_t body_limit = 1024 * 1024;

SimpleAnswer read(std::string_view bytes, HttpAnswer& out) {
  return read_simple_answer(bytes, out, header_limit, body_limit);
}

Outcome outcome_of(std::string_view bytes) {
  HttpAnswer out;
  const auto r = read(bytes, out);
  if (r.outcome != Outcome::done) {
    EXPECT_EQ(out.status, 0u) << "an answer not taken leaves out alone";
    EXPECT_TRUE(out.headers.empty());
    EXPECT_TRUE(out.body.empty());
  }
  return r.outcome;
}

std::vector<AnswerField> fields_of(const HttpAnswer& answer) { return {answer.headers.begin(), answer.headers.end()}; }

const std::string nginx =
    "HTTP/1.1 201 Created\r\nServer: nginx\r\nDate: Sun, 06 Dec 2026 07:59:00 GMT\r\n"
    "Content-Type: application/json\r\nContent-Length: 13\r\nConnection: keep-alive\r\n\r\n{\"id\":\"ta-1\"}";

TEST(SimpleAnswer, ReadsAWholeAnswerWithoutTheFramingFields) {
  HttpAnswer out;
  const auto r = read(nginx, out);
  ASSERT_EQ(r.outcome, Outcome::done);
  EXPECT_EQ(r.used, nginx.size());
  EXPECT_TRUE(r.keep_alive);
  EXPECT_EQ(out.status, 201u);
  EXPECT_EQ(out.body, R"({"id":"ta-1"})");
  EXPECT_EQ(fields_of(out), (std::vector<AnswerField>{{"date", "Sun, 06 Dec 2026 07:59:00 GMT"},
                                                      {"content-type", "application/json"}}));
}

TEST(SimpleAnswer, KeepsXsRateFieldsInOrderTrimmedAndLowerCased) {
  const std::string x =
      "HTTP/1.1 429 Too Many Requests\r\nX-Rate-Limit-Limit:450\r\nx-rate-limit-remaining: \t0 \r\n"
      "X-Empty:\r\nRetry-After: 3\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
  HttpAnswer out;
  const auto r = read(x, out);
  ASSERT_EQ(r.outcome, Outcome::done);
  EXPECT_FALSE(r.keep_alive) << "Connection: close";
  EXPECT_EQ(out.status, 429u);
  EXPECT_EQ(fields_of(out), (std::vector<AnswerField>{{"x-rate-limit-limit", "450"},
                                                      {"x-rate-limit-remaining", "0"},
                                                      {"x-empty", ""},
                                                      {"retry-after", "3"}}));
}

TEST(SimpleAnswer, StopsAtTheAnswersEndAndWaitsForWhatIsStillComing) {
  HttpAnswer out;
  const auto r = read(nginx + "HTTP/1.1 200", out);
  ASSERT_EQ(r.outcome, Outcome::done);
  EXPECT_EQ(r.used, nginx.size()) << "bytes after the answer are not its own";
  for (std::size_t cut : {std::size_t{0}, std::size_t{4}, std::size_t{30}, nginx.size() - 20, nginx.size() - 1})
    EXPECT_EQ(outcome_of(std::string_view(nginx).substr(0, cut)), Outcome::need_more) << cut;
  // A body too large to wait for here is Beast's to read as it comes.
  HttpAnswer big;
  EXPECT_EQ(read_simple_answer("HTTP/1.1 200 OK\r\nContent-Length: 900000\r\n\r\n{", big, header_limit, body_limit)
                .outcome,
            Outcome::not_simple);
  EXPECT_EQ(outcome_of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), Outcome::done);
}

TEST(SimpleAnswer, LeavesEveryOtherShapeToBeast) {
  const std::vector<std::string> others = {
      "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}",                          // 1.0: keep-alive rules differ
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",  // chunked
      "HTTP/1.1 200 OK\r\n\r\n{}",                                               // delimited by the close
      "HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n",                     // no body, whatever it says
      "HTTP/1.1 304 Not Modified\r\nContent-Length: 2\r\n\r\n",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",     // a second length
      "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\n{}",
      "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\n{}",
      "HTTP/1.1 200 OK\r\nConnection: keep-alive, Upgrade\r\nContent-Length: 2\r\n\r\n{}",
      "HTTP/1.1 200 OK\r\nUpgrade: h2c\r\nContent-Length: 2\r\n\r\n{}",
      "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 2\r\n\r\n{}",    // obs-fold
      "HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 2\r\n\r\n{}",
      "HTTP/1.1 200 OK\r\n: no name\r\nContent-Length: 2\r\n\r\n{}",
      "HTTP/1.1 200 OK\r\nX-Control: a\x01z\r\nContent-Length: 2\r\n\r\n{}",
      "HTTP/1.1 200 OK\r\nX-Bare: a\nContent-Length: 2\r\n\r\n{}",                // LF without CR
      "HTTP/1.1 200 OK\r\nX-Bare: a\rb\r\nContent-Length: 2\r\n\r\n{}",          // CR without LF
      "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\n{}",
      "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\n{}",
      "HTTP/2 200\r\n\r\n",
      "hello",
  };
  for (const auto& bytes : others) EXPECT_EQ(outcome_of(bytes), Outcome::not_simple) << bytes;
}

TEST(SimpleAnswer, KeepsToTheLimitsBeastIsGiven) {
  const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
  HttpAnswer out;
  EXPECT_EQ(read_simple_answer(answer, out, 20, body_limit).outcome, Outcome::not_simple) << "head past its limit";
  EXPECT_EQ(read_simple_answer(answer, out, header_limit, 1).outcome, Outcome::not_simple) << "body past its limit";
  EXPECT_EQ(read_simple_answer(answer, out, header_limit, 2).outcome, Outcome::done);
}

}  // namespace
}  // namespace ab
