#include "sim/http/server.hpp"

#include "sim/iso_time.hpp"

#include "sim/json_answer.hpp"
#include "sim/json_text.hpp"
#include "sim/http/wire_format.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <chrono>
#include <stdexcept>

namespace ab::sim {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// What is shared by the acceptor and every connection; connections hold it,
// so it lives as long as the last of them.
struct Shared {
  ServerConfig config;
  Router* router;
  std::unique_ptr<asio::ssl::context> tls;
};

// How a connection ends.
enum class Ending {
  close,  // gracefully: the client asked for it, or went away
  drain,  // after a refused request: gracefully, reading what the client still sends
  drop,   // abruptly, unanswered: a fault
};

// The status to answer a request that could not be read with; 0 when there is
// nobody to answer (the client left, the connection timed out).
unsigned status_for_read_error(const beast::error_code& ec) {
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  if (ec == http::error::end_of_stream) return 0;
  if (ec.category() == beast::http::make_error_code(http::error::bad_target).category()) return 400;
  return 0;
}

// Every answer carries Date, as an origin server with a clock must; formatted
// once a second per thread.
const std::string& http_date(SystemTime now) {
  thread_local std::int64_t second = -1;
  thread_local std::string text;
  if (const auto s = seconds_since_epoch(now); s != second) {
    second = s;
    text = imf_fixdate(s);
  }
  return text;
}

Response refusal(unsigned status) {
  Response answer(static_cast<http::status>(status), 11);
  answer.set(http::field::content_type, "application/json");
  answer.keep_alive(false);
  if (status == 431)
    answer.body() = to_json_text(error_body("request header fields too large", "HEADERS_TOO_LARGE"));
  else if (status == 413)
    answer.body() = to_json_text(error_body("request body too large", "BODY_TOO_LARGE"));
  else
    answer.body() = to_json_text(error_body("malformed HTTP request", "BAD_REQUEST"));
  answer.prepare_payload();
  return answer;
}

// Writes `response` as its head (built in `head`, reused) and its body.
template <class Stream>
asio::awaitable<beast::error_code> write_response(Stream& stream, const Response& response, std::string& head) {
  write_head(response, head);
  const std::array<asio::const_buffer, 2> bytes{asio::buffer(head), asio::buffer(response.body())};
  auto [ec, n] = co_await asio::async_write(stream, bytes, use_tuple);
  co_return ec;
}

bool expects_continue(const Request& request) {
  return beast::iequals(request[http::field::expect], "100-continue");
}

// The header is read with the larger limit: a path not ending in
// bulk_body_suffix gets body_limit, refused at once when announced over it.
beast::error_code limit_body(http::request_parser<http::string_body>& parser, const ServerConfig& config) {
  const std::string_view target = parser.get().target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (!config.bulk_body_suffix.empty() && path.ends_with(config.bulk_body_suffix)) return {};
  const auto length = parser.content_length();
  if (length && *length > config.body_limit) return http::error::body_limit;
  parser.body_limit(config.body_limit);
  return {};
}

template <class Stream>
asio::awaitable<Ending> serve_requests(Stream& stream, const Shared& shared) {
  const ServerConfig& config = shared.config;
  auto& lowest = beast::get_lowest_layer(stream);
  beast::flat_buffer buffer;
  std::string head;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(config.header_limit));
    parser.body_limit(std::max(config.body_limit, config.bulk_body_limit));
    lowest.expires_after(config.idle_timeout);
    auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
    if (!ec) ec = limit_body(parser, config);
    if (!ec && !parser.is_done()) {
      if (expects_continue(parser.get())) {
        constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
        std::tie(ec, n) = co_await asio::async_write(stream, asio::buffer(go_on), use_tuple);
      }
      if (!ec) std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, use_tuple);
    }
    // --latency is the time from a request's arrival to its answer, the
    // simulator's own work included, as a real server's response time is.
    const auto arrived = std::chrono::steady_clock::now();
    if (ec) {
      const unsigned status = status_for_read_error(ec);
      if (status == 0) co_return Ending::close;
      shared.router->count_protocol_error(status);
      lowest.expires_after(config.write_timeout);
      const Response answer = refusal(status);
      co_await write_response(stream, answer, head);
      co_return Ending::drain;
    }

    struct InFlight {
      Referee& referee;
      explicit InFlight(Referee& r) : referee(r) { referee.request_began(); }
      ~InFlight() { referee.request_ended(); }
    } in_flight(shared.router->referee());
    // --path-delay: the request reaches the server (and its rate count) that
    // long after it arrived, and its answer takes as long again on the way back.
    auto handled = arrived;
    if (config.path_delay.count() > 0) {
      handled += config.path_delay;
      asio::steady_timer timer(co_await asio::this_coro::executor, handled);
      co_await timer.async_wait(use_tuple);
    }
    // The API's clock: what it stamps (resets, Retry-After, Date) and counts by.
    const auto api_now = std::chrono::system_clock::now() - config.clock_behind;
    Reply reply = shared.router->route(parser.get(), api_now);
    if (!reply.drop) reply.response.set(http::field::date, http_date(api_now));
    if (reply.delay.count() > 0 || config.path_delay.count() > 0) {
      asio::steady_timer timer(co_await asio::this_coro::executor, handled + reply.delay + config.path_delay);
      co_await timer.async_wait(use_tuple);
    }
    if (reply.drop) co_return Ending::drop;
    lowest.expires_after(config.write_timeout);
    ec = co_await write_response(stream, reply.response, head);
    if (ec || !reply.response.keep_alive()) co_return Ending::close;
  }
}

void drop(beast::tcp_stream& stream) {
  beast::error_code ignored;
  stream.socket().set_option(tcp::socket::linger(true, 0), ignored);  // RST, as a crashed peer does
  stream.socket().close(ignored);
}

// Reads (and discards) what a refused client is still sending, so that closing
// does not reset the connection before it has read the refusal.
asio::awaitable<void> drain(beast::tcp_stream& stream) {
  constexpr std::size_t most = 4 * 1024 * 1024;
  stream.expires_after(std::chrono::seconds(2));
  std::array<char, 16 * 1024> scratch;
  for (std::size_t total = 0; total < most;) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch), use_tuple);
    if (ec) break;
    total += n;
  }
}

asio::awaitable<void> serve_plain(tcp::socket socket, std::shared_ptr<const Shared> shared) {
  beast::tcp_stream stream(std::move(socket));
  const Ending ending = co_await serve_requests(stream, *shared);
  if (ending == Ending::drop) {
    drop(stream);
    co_return;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (ending == Ending::drain) co_await drain(stream);
  stream.socket().close(ignored);
}

asio::awaitable<void> serve_tls(tcp::socket socket, std::shared_ptr<const Shared> shared) {
  TlsStream stream(std::move(socket), *shared->tls);
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(shared->config.idle_timeout);
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
  if (ec) co_return;
  const Ending ending = co_await serve_requests(stream, *shared);
  if (ending == Ending::drop) {
    drop(lowest);
    co_return;
  }
  lowest.expires_after(std::chrono::milliseconds(500));
  co_await stream.async_shutdown(use_tuple);
  beast::error_code ignored;
  lowest.socket().close(ignored);
}

std::unique_ptr<asio::ssl::context> load_tls(const ServerConfig& config) {
  if (config.tls_cert.empty() && config.tls_key.empty()) return nullptr;
  if (config.tls_cert.empty() || config.tls_key.empty())
    throw std::runtime_error("TLS needs both a certificate file and a key file");
  auto tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  beast::error_code ec;
  tls->use_certificate_chain_file(config.tls_cert, ec);
  if (ec) throw std::runtime_error("cannot load TLS certificate " + config.tls_cert + ": " + ec.message());
  tls->use_private_key_file(config.tls_key, asio::ssl::context::pem, ec);
  if (ec) throw std::runtime_error("cannot load TLS key " + config.tls_key + ": " + ec.message());
  return tls;
}

}  // namespace

struct Server::Impl {
  Impl(asio::io_context& context, ServerConfig config)
      : io(context), acceptor(context), shared(std::make_shared<Shared>(Shared{std::move(config), nullptr, nullptr})) {
    shared->tls = load_tls(shared->config);
    beast::error_code ec;
    const auto address = asio::ip::make_address(shared->config.host, ec);
    if (ec) throw std::runtime_error("cannot listen on " + shared->config.host + ": not an IP address");
    const tcp::endpoint where(address, shared->config.port);
    acceptor.open(where.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(where, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      throw std::runtime_error("cannot listen on " + shared->config.host + ":" + std::to_string(shared->config.port) +
                               ": " + ec.message());
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      // One thread needs no strand; several need one per connection, for the
      // stream's timer and its reads and writes.
      beast::error_code ec;
      tcp::socket socket(io);
      if (shared->config.threads > 1)
        std::tie(ec, socket) = co_await acceptor.async_accept(asio::make_strand(io), use_tuple);
      else
        std::tie(ec, socket) = co_await acceptor.async_accept(io, use_tuple);
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) {
        // Out of descriptors, say: wait instead of spinning.
        asio::steady_timer pause(io, std::chrono::milliseconds(50));
        co_await pause.async_wait(use_tuple);
        continue;
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto executor = socket.get_executor();
      if (shared->tls)
        asio::co_spawn(executor, serve_tls(std::move(socket), shared), asio::detached);
      else
        asio::co_spawn(executor, serve_plain(std::move(socket), shared), asio::detached);
    }
  }

  asio::io_context& io;
  tcp::acceptor acceptor;
  std::shared_ptr<Shared> shared;
};

Server::Server(asio::io_context& io, ServerConfig config) : impl_(std::make_unique<Impl>(io, std::move(config))) {}

Server::~Server() {
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
}

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

bool Server::tls() const { return impl_->shared->tls != nullptr; }

void Server::start(Router& router) {
  impl_->shared->router = &router;
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
}

void Server::stop() {
  asio::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
}

}  // namespace ab::sim
