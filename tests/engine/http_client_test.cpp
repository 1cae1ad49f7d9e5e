// The HTTP pool against a scripted server on a real socket: what an attempt
// reports when there is an answer, no connection, no answer, or a server that
// closed an idle keep-alive connection — the facts the retry policy relies on.
#include "engine/send/http_client.hpp"

#include "engine/run/coroutine.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ab {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Accepts connections one after another and lets `serve` talk on each.
class ScriptedServer {
 public:
  using Serve = std::function<void(tcp::socket&)>;
  explicit ScriptedServer(Serve serve, const std::string& address = "127.0.0.1")
      : acceptor_(io_, {asio::ip::make_address(address), 0}) {
    thread_ = std::thread([this, serve = std::move(serve)] {
      for (;;) {
        tcp::socket socket(io_);
        boost::system::error_code ec;
        acceptor_.accept(socket, ec);
        if (ec || stopping_) return;
        ++connections;
        serve(socket);
      }
    });
  }
  ~ScriptedServer() {
    stopping_ = true;
    boost::system::error_code ec;
    tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  std::string url(const std::string& path = "/x") const { return url_via("127.0.0.1", path); }
  std::string url_via(const std::string& host, const std::string& path = "/x") const {
    return "http://" + host + ":" + std::to_string(acceptor_.local_endpoint().port()) + path;
  }
  std::atomic<int> connections{0};

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// Reads one request head (these tests send no bodies).
bool read_request(tcp::socket& socket) {
  asio::streambuf buffer;
  boost::system::error_code ec;
  asio::read_until(socket, buffer, "\r\n\r\n", ec);
  return !ec;
}

void answer(tcp::socket& socket, const std::string& extra_headers = "") {
  const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Rate-Limit-Remaining: 5\r\n" +
                               extra_headers + "\r\n{}";
  asio::write(socket, asio::buffer(response));
}

struct Client {
  asio::io_context io;
  HttpPool pool{io.get_executor(), TlsSettings{}};
  // The coroutine holds a reference to its headers until it ends: not a temporary.
  const std::vector<RequestField> no_headers;
  HttpAnswer get(const std::string& url, std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
    return send(boost::beast::http::verb::get, url, "", timeout);
  }
  // `url` and `body` are referenced until the attempt ends.
  HttpAnswer send(boost::beast::http::verb method, const std::string& url, std::string_view body,
                  std::chrono::milliseconds timeout) {
    auto f = asio::co_spawn(io, pool.send(method, url, no_headers, body, timeout), asio::use_future);
    io.restart();
    io.run();
    return f.get();
  }
};

// An answer as its caller sees it: the status, the body and the fields in order.
void expect_answer(const HttpAnswer& a, unsigned status, std::string_view body, const std::vector<AnswerField>& fields) {
  ASSERT_EQ(a.failure, AttemptFailure::none) << a.error;
  EXPECT_EQ(a.status, status);
  EXPECT_EQ(a.body, body);
  EXPECT_EQ(std::vector<AnswerField>(a.headers.begin(), a.headers.end()), fields);
}

TEST(HttpPool, AnAnswerComesBackWithLowerCaseHeadersAndTheConnectionIsReused) {
  ScriptedServer server([](tcp::socket& s) {
    while (read_request(s)) answer(s);
  });
  Client client;
  for (int i = 0; i < 3; ++i) {
    auto a = client.get(server.url());
    ASSERT_EQ(a.failure, AttemptFailure::none) << a.error;
    EXPECT_EQ(a.status, 200u);
    EXPECT_EQ(a.body, "{}");
    bool found = false;
    for (const auto& [k, v] : a.headers) found |= k == "x-rate-limit-remaining" && v == "5";
    EXPECT_TRUE(found);
  }
  EXPECT_EQ(server.connections.load(), 1);
  EXPECT_EQ(client.pool.connections_opened(), 1u);
}

// A chunked answer is put together, its fields kept in order (less the
// framing ones and Server, which tell a caller nothing), and the connection
// is kept for the next request.
TEST(HttpPool, AChunkedAnswerComesBackWhole) {
  ScriptedServer server([](tcp::socket& s) {
    while (read_request(s)) {
      const std::string response =
          "HTTP/1.1 201 Created\r\nServer: test\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n"
          "Connection: keep-alive\r\nRetry-After: 3\r\nDate: Mon, 30 Nov 2026 12:00:00 GMT\r\n\r\n"
          "4\r\n{\"id\r\n7\r\n\":\"a-1\"\r\n1\r\n}\r\n0\r\n\r\n";
      asio::write(s, asio::buffer(response));
    }
  });
  Client client;
  for (int i = 0; i < 2; ++i)
    expect_answer(client.get(server.url()), 201, R"({"id":"a-1"})",
                  {{"content-type", "application/json"}, {"retry-after", "3"}, {"date", "Mon, 30 Nov 2026 12:00:00 GMT"}});
  EXPECT_EQ(server.connections.load(), 1);
}

// An answer cut off in its body may have been applied, and tells nothing
// else: no status, fields or half a body are passed on.
TEST(HttpPool, AnAnswerCutOffInItsBodyReportsNothingOfIt) {
  ScriptedServer server([](tcp::socket& s) {
    if (!read_request(s)) return;
    const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nX-A: b\r\n\r\n{\"id\"";
    asio::write(s, asio::buffer(response));
  });
  Client client;
  auto a = client.get(server.url());
  EXPECT_EQ(a.failure, AttemptFailure::maybe_applied);
  EXPECT_EQ(a.status, 0u);
  EXPECT_TRUE(a.headers.empty());
  EXPECT_TRUE(a.body.empty());
}

// The request as it reaches the server, byte for byte: the caller's fields
// after ours, Content-Length for a body and for a POST without one (as
// Beast's prepare_payload sets it), none for a GET.
TEST(HttpPool, TheRequestOnTheWire) {
  std::vector<std::string> seen;
  std::mutex mutex;
  ScriptedServer server([&](tcp::socket& s) {
    for (;;) {
      asio::streambuf buffer;
      boost::system::error_code ec;
      const auto head = asio::read_until(s, buffer, "\r\n\r\n", ec);
      if (ec) return;
      std::string text(asio::buffers_begin(buffer.data()), asio::buffers_end(buffer.data()));
      const auto at = text.find("Content-Length: ");
      const std::size_t length = at == std::string::npos ? 0 : std::stoul(text.substr(at + 16));
      if (text.size() < head + length) asio::read(s, buffer, asio::transfer_exactly(head + length - text.size()), ec);
      text.assign(asio::buffers_begin(buffer.data()), asio::buffers_end(buffer.data()));
      {
        std::lock_guard lock(mutex);
        seen.push_back(text);
      }
      answer(s);
    }
  });
  Client client;
  const std::vector<RequestField> headers{{"Authorization", "Bearer t0k"}, {"Content-Type", "application/json"}};
  const std::string url = server.url("/a/b?q=1");  // referenced by the coroutine: not a temporary
  auto send = [&](boost::beast::http::verb method, std::string_view body) {
    auto f = asio::co_spawn(client.io, client.pool.send(method, url, headers, body, std::chrono::seconds(2)),
                            asio::use_future);
    client.io.restart();
    client.io.run();
    return f.get();
  };
  ASSERT_EQ(send(boost::beast::http::verb::post, R"({"name":"x"})").status, 200u);
  ASSERT_EQ(send(boost::beast::http::verb::post, "").status, 200u);
  ASSERT_EQ(client.get(server.url("/c")).status, 200u);
  const std::string host = server.url("").substr(7);
  const std::string fixed = "Host: " + host + "\r\nUser-Agent: audience-batch\r\nAccept: application/json\r\n";
  const std::string theirs = "Authorization: Bearer t0k\r\nContent-Type: application/json\r\n";
  std::lock_guard lock(mutex);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], "POST /a/b?q=1 HTTP/1.1\r\n" + fixed + theirs + "Content-Length: 12\r\n\r\n{\"name\":\"x\"}");
  EXPECT_EQ(seen[1], "POST /a/b?q=1 HTTP/1.1\r\n" + fixed + theirs + "Content-Length: 0\r\n\r\n");
  EXPECT_EQ(seen[2], "GET /c HTTP/1.1\r\n" + fixed + "\r\n");
}

TEST(HttpPool, AFieldWithALineBreakIsNotSent) {
  ScriptedServer server([](tcp::socket& s) {
    while (read_request(s)) answer(s);
  });
  Client client;
  const std::vector<RequestField> injected{{"Authorization", "Bearer x\r\nX-Admin: 1"}};
  const std::string url = server.url();
  auto f = asio::co_spawn(client.io,
                          client.pool.send(boost::beast::http::verb::get, url, injected, "", std::chrono::seconds(2)),
                          asio::use_future);
  client.io.run();
  const auto a = f.get();
  EXPECT_EQ(a.failure, AttemptFailure::not_sent);
  EXPECT_EQ(a.error, "header Authorization has a line break in its value");
  EXPECT_EQ(server.connections.load(), 0);
}

// An answer far larger than one read of the socket comes back whole, and
// the connection serves the next request.
TEST(HttpPool, AnAnswerOfSeveralKilobytesComesBackWhole) {
  std::string body = "[";
  for (int i = 0; i < 2000; ++i) body += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
  body += "]";
  ScriptedServer server([&body](tcp::socket& s) {
    while (read_request(s)) {
      const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
      asio::write(s, asio::buffer(head + body));
    }
  });
  Client client;
  for (int i = 0; i < 2; ++i) {
    auto a = client.get(server.url());
    ASSERT_EQ(a.failure, AttemptFailure::none) << a.error;
    EXPECT_EQ(a.body, body);
  }
  EXPECT_EQ(server.connections.load(), 1);
}

// Numeric hosts are connected to directly; names go through the resolver.
TEST(HttpPool, NumericAndNamedHostsAreReached) {
  ScriptedServer server([](tcp::socket& s) {
    while (read_request(s)) answer(s);
  });
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    Client client;
    auto a = client.get(server.url_via(host));
    ASSERT_EQ(a.failure, AttemptFailure::none) << host << ": " << a.error;
    EXPECT_EQ(a.status, 200u) << host;
  }
}

TEST(HttpPool, ANumericIpv6HostIsReached) {
  std::unique_ptr<ScriptedServer> server;
  try {
    server = std::make_unique<ScriptedServer>(
        [](tcp::socket& s) {
          while (read_request(s)) answer(s);
        },
        "::1");
  } catch (const boost::system::system_error& e) {
    GTEST_SKIP() << "no IPv6 loopback on this machine: " << e.what();
  }
  Client client;
  auto a = client.get(server->url_via("[::1]"));
  ASSERT_EQ(a.failure, AttemptFailure::none) << a.error;
  EXPECT_EQ(a.status, 200u);
}

TEST(HttpPool, NoListenerIsNotSent) {
  std::string url;
  {
    ScriptedServer server([](tcp::socket&) {});
    url = server.url();
  }
  Client client;
  auto a = client.get(url);
  EXPECT_EQ(a.failure, AttemptFailure::not_sent);
  EXPECT_NE(a.error.find("connect"), std::string::npos) << a.error;
}

// The run opens connections while it logs in; the rows' requests then find
// them idle and open none of their own.
TEST(HttpPool, AConnectionOpenedAheadCarriesTheNextRequests) {
  ScriptedServer server([](tcp::socket& s) {
    while (read_request(s)) answer(s);
  });
  Client client;
  client.pool.open_ahead(server.url("/other/path"), 1, std::chrono::seconds(2));
  client.io.run();  // until it is open
  EXPECT_EQ(client.pool.connections_opened(), 1u);
  for (int i = 0; i < 2; ++i) {
    auto a = client.get(server.url());
    ASSERT_EQ(a.failure, AttemptFailure::none) << a.error;
  }
  EXPECT_EQ(server.connections.load(), 1);
  EXPECT_EQ(client.pool.connections_opened(), 1u);
}

// Opening ahead is best effort: a server that is not there is met, and
// reported, by the request itself.
TEST(HttpPool, OpeningAheadToNoListenerLeavesTheRequestToReportIt) {
  std::string url;
  {
    ScriptedServer server([](tcp::socket&) {});
    url = server.url();
  }
  Client client;
  client.pool.open_ahead(url, 4, std::chrono::seconds(2));
  client.pool.open_ahead("not a url", 4, std::chrono::seconds(2));
  client.io.run();
  EXPECT_EQ(client.pool.connections_opened(), 0u);
  auto a = client.get(url);
  EXPECT_EQ(a.failure, AttemptFailure::not_sent);
  EXPECT_NE(a.error.find("connect"), std::string::npos) << a.error;
}

TEST(HttpPool, AConnectionDroppedAfterTheRequestMayHaveBeenApplied) {
  ScriptedServer server([](tcp::socket& s) { read_request(s); });  // reads, then closes without answering
  Client client;
  auto a = client.get(server.url());
  EXPECT_EQ(a.failure, AttemptFailure::maybe_applied) << a.error;
}

TEST(HttpPool, ATimeoutAfterTheRequestMayHaveBeenAppliedAndTheConnectionIsNotReused) {
  std::atomic<int> requests{0};
  ScriptedServer server([&](tcp::socket& s) {
    while (read_request(s)) {
      if (++requests == 1) {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // longer than the client waits
        return;
      }
      answer(s);
    }
  });
  Client client;
  auto slow = client.get(server.url(), std::chrono::milliseconds(100));
  EXPECT_EQ(slow.failure, AttemptFailure::maybe_applied);
  EXPECT_NE(slow.error.find("timed out"), std::string::npos) << slow.error;
  auto next = client.get(server.url());
  EXPECT_EQ(next.failure, AttemptFailure::none) << next.error;
  EXPECT_EQ(server.connections.load(), 2);
}

// One timer watches every exchange: a short timeout that starts while a long
// one is already watched must still end first.
TEST(HttpPool, AShortTimeoutStartedAfterALongOneEndsFirst) {
  ScriptedServer slow_answer([](tcp::socket& s) {
    if (!read_request(s)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    answer(s);
  });
  ScriptedServer no_answer([](tcp::socket& s) {
    if (read_request(s)) std::this_thread::sleep_for(std::chrono::milliseconds(600));
  });
  Client client;
  std::vector<std::string> ended;
  HttpAnswer long_wait, short_wait;
  auto send = [&](const std::string& url, std::chrono::milliseconds timeout, HttpAnswer& out,
                  std::string name) -> ab::Awaitable<void> {
    out = co_await client.pool.send(boost::beast::http::verb::get, url, client.no_headers, "", timeout);
    ended.push_back(std::move(name));
  };
  const auto long_url = slow_answer.url();
  const auto short_url = no_answer.url();
  asio::co_spawn(client.io, send(long_url, std::chrono::seconds(5), long_wait, "long"), asio::detached);
  asio::co_spawn(client.io, send(short_url, std::chrono::milliseconds(100), short_wait, "short"), asio::detached);
  client.io.run();
  EXPECT_EQ(ended, (std::vector<std::string>{"short", "long"}));
  EXPECT_EQ(short_wait.failure, AttemptFailure::maybe_applied);
  EXPECT_NE(short_wait.error.find("timed out"), std::string::npos) << short_wait.error;
  EXPECT_EQ(long_wait.failure, AttemptFailure::none) << long_wait.error;
  EXPECT_EQ(long_wait.status, 200u);
}

TEST(HttpPool, AnIdleConnectionTheServerClosedIsNotUsedForTheNextRequest) {
  ScriptedServer server([](tcp::socket& s) {
    if (read_request(s)) answer(s);  // keep-alive promised, then closed while idle
  });
  Client client;
  ASSERT_EQ(client.get(server.url()).failure, AttemptFailure::none);
  // Idle longer than the pool trusts a connection unasked (50 ms), as a
  // server's keep-alive timeout is.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto second = client.get(server.url());
  EXPECT_EQ(second.failure, AttemptFailure::none) << "a stale connection would make this look maybe-applied: "
                                                  << second.error;
  EXPECT_EQ(server.connections.load(), 2);
}

TEST(HttpPool, ConnectionCloseFromTheServerIsHonoured) {
  ScriptedServer server([](tcp::socket& s) {
    if (read_request(s)) answer(s, "Connection: close\r\n");
  });
  Client client;
  ASSERT_EQ(client.get(server.url()).failure, AttemptFailure::none);
  ASSERT_EQ(client.get(server.url()).failure, AttemptFailure::none);
  EXPECT_EQ(server.connections.load(), 2);
}

// An answer with no length ends at the close: its bytes and the close come
// together, and the read after the bytes must see the close, not wait for
// the timeout.
TEST(HttpPool, AnAnswerThatEndsAtTheCloseIsReadWhole) {
  ScriptedServer server([](tcp::socket& s) {
    if (!read_request(s)) return;
    asio::write(s, asio::buffer(std::string("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the close")));
    s.close();
  });
  Client client;
  const auto a = client.get(server.url(), std::chrono::seconds(10));
  expect_answer(a, 200, "until the close", {{"content-type", "text/plain"}});
}

// Writes `pieces` one by one, each its own segment, with a pause between:
// the client meets each as a read of its own.
void write_in_pieces(tcp::socket& socket, const std::vector<std::string>& pieces) {
  socket.set_option(tcp::no_delay(true));
  for (const auto& piece : pieces) {
    asio::write(socket, asio::buffer(piece));
    std::this_thread::sleep_for(std::chrono::milliseconds(15));
  }
}

// An answer that arrives a few bytes at a time (cut inside the status line,
// a field name, a line end, a chunk size and the body) is put together
// whole, and the connection carries the next request.
TEST(HttpPool, AnAnswerArrivingInPiecesComesBackWhole) {
  ScriptedServer server([](tcp::socket& s) {
    while (read_request(s)) {
      write_in_pieces(s, {"HTTP/1.1 20", "1 Created\r\nX-Rate-Li", "mit-Remaining: 7\r", "\nTransfer-Encoding: chunked\r\n",
                          "\r\n", "4\r\n{\"id", "\r\n", "9\r\n\":\"a-12\"}\r\n0", "\r\n\r\n"});
    }
  });
  Client client;
  for (int i = 0; i < 2; ++i)
    expect_answer(client.get(server.url()), 201, R"({"id":"a-12"})", {{"x-rate-limit-remaining", "7"}});
  EXPECT_EQ(server.connections.load(), 1);
}

// A server that closes inside the head has given no answer, and the
// request may have been applied.
TEST(HttpPool, AnAnswerCutOffInItsHeadReportsNothingOfIt) {
  ScriptedServer server([](tcp::socket& s) {
    if (read_request(s)) write_in_pieces(s, {"HTTP/1.1 200 OK\r\nContent-Le"});
  });
  Client client;
  auto a = client.get(server.url());
  EXPECT_EQ(a.failure, AttemptFailure::maybe_applied);
  EXPECT_NE(a.error.find("no answer from"), std::string::npos) << a.error;
  EXPECT_EQ(a.status, 0u);
  EXPECT_TRUE(a.headers.empty());
}

// Without Content-Length or chunks the body ends where the server closes:
// that close completes the answer, and the next request opens a connection.
TEST(HttpPool, ABodyEndedByTheServersCloseIsAWholeAnswer) {
  ScriptedServer server([](tcp::socket& s) {
    if (read_request(s)) write_in_pieces(s, {"HTTP/1.1 200 OK\r\nX-A: b\r\n\r\n{\"id\":", "\"c-3\"}"});
  });
  Client client;
  for (int i = 0; i < 2; ++i) {
    auto a = client.get(server.url());
    ASSERT_EQ(a.failure, AttemptFailure::none) << a.error;
    EXPECT_EQ(a.status, 200u);
    EXPECT_EQ(a.body, R"({"id":"c-3"})");
  }
  EXPECT_EQ(server.connections.load(), 2);
}

// Bytes after an answer were asked for by no request (none is pipelined):
// they are not taken as the next request's answer, and the connection that
// carried them is not used again.
TEST(HttpPool, BytesAfterAnAnswerAreNotTakenForTheNextAnswer) {
  std::atomic<int> requests{0};
  ScriptedServer server([&](tcp::socket& s) {
    while (read_request(s)) {
      const std::string n = std::to_string(++requests);
      const std::string one = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n" + n;
      asio::write(s, asio::buffer(one + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale"));
    }
  });
  Client client;
  auto first = client.get(server.url());
  ASSERT_EQ(first.failure, AttemptFailure::none) << first.error;
  EXPECT_EQ(first.body, "1");
  auto second = client.get(server.url());
  ASSERT_EQ(second.failure, AttemptFailure::none) << second.error;
  EXPECT_EQ(second.body, "2");
  EXPECT_EQ(server.connections.load(), 2);
}

// Reads a request whose body is sent with Content-Length; its body, or
// nullopt when the connection ended first.
std::optional<std::string> read_request_body(tcp::socket& socket) {
  asio::streambuf buffer;
  boost::system::error_code ec;
  const auto head = asio::read_until(socket, buffer, "\r\n\r\n", ec);
  if (ec) return std::nullopt;
  std::string text(asio::buffers_begin(buffer.data()), asio::buffers_begin(buffer.data()) + head);
  const auto at = text.find("Content-Length: ");
  const std::size_t length = at == std::string::npos ? 0 : std::stoul(text.substr(at + 16));
  buffer.consume(head);
  if (buffer.size() < length) asio::read(socket, buffer, asio::transfer_exactly(length - buffer.size()), ec);
  if (ec) return std::nullopt;
  return std::string(asio::buffers_begin(buffer.data()), asio::buffers_begin(buffer.data()) + length);
}

// A request larger than the socket takes at once (the server reads it
// late) goes out whole: its first part written at once, the rest as the
// server makes room.
TEST(HttpPool, ARequestLargerThanTheSocketTakesGoesOutWhole) {
  std::string body(16 * 1024 * 1024, 'x');
  for (std::size_t i = 0; i < body.size(); i += 4096) body[i] = static_cast<char>('a' + i / 4096 % 26);
  std::optional<std::string> received;
  ScriptedServer server([&](tcp::socket& s) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the client's first write fills the socket
    received = read_request_body(s);
    if (received) answer(s);
  });
  Client client;
  const std::string url = server.url();
  const auto a = client.send(boost::beast::http::verb::post, url, body, std::chrono::seconds(20));
  ASSERT_EQ(a.failure, AttemptFailure::none) << a.error;
  EXPECT_EQ(a.status, 200u);
  ASSERT_TRUE(received.has_value());
  EXPECT_TRUE(*received == body) << "received " << received->size() << " of " << body.size() << " bytes";
}

// A request the server never reads does not go out whole: when its time
// is up the attempt ends as not sent (an incomplete request is never
// carried out).
TEST(HttpPool, ARequestTheServerDoesNotReadTimesOutUnsent) {
  const std::string body(64 * 1024 * 1024, 'x');
  ScriptedServer server([](tcp::socket& s) {
    char byte;
    boost::system::error_code ec;
    s.read_some(asio::buffer(&byte, 1), ec);  // the request's first byte, then nothing until the client gives up
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  });
  Client client;
  const std::string url = server.url();
  const auto a = client.send(boost::beast::http::verb::post, url, body, std::chrono::milliseconds(200));
  EXPECT_EQ(a.failure, AttemptFailure::not_sent) << a.error;
  EXPECT_NE(a.error.find("timed out"), std::string::npos) << a.error;
}

TEST(HttpPool, LoopbackHostsAreRecognised) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.8.9.10"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_TRUE(is_loopback_host("[::1]"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
  EXPECT_FALSE(is_loopback_host("example.com"));
  EXPECT_FALSE(is_loopback_host("localhost.example.com"));
}

}  // namespace
}  // namespace ab
