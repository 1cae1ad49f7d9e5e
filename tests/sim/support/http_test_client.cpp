#include "sim/support/http_test_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <exception>
#include <optional>
#include <stdexcept>

namespace ab::sim::test {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

bool HttpReply::has_header(std::string_view name) const {
  const auto wanted = lower(name);
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return h.first == wanted; });
}

std::string HttpReply::header(std::string_view name) const {
  const auto wanted = lower(name);
  for (const auto& [key, value] : headers)
    if (key == wanted) return value;
  return {};
}

boost::json::value HttpReply::json() const { return boost::json::parse(body); }

struct HttpTestClient::Impl {
  std::string host;
  std::uint16_t port;
  HttpTestClientOptions options;
  asio::io_context io;
  asio::ssl::context tls_context{asio::ssl::context::tls_client};
  std::optional<beast::tcp_stream> plain;
  std::optional<TlsStream> tls;
  beast::flat_buffer buffer;
  unsigned opened = 0;

  // Runs one coroutine on the private io_context to its end.
  template <class T>
  T run(asio::awaitable<T> operation) {
    io.restart();
    std::optional<T> result;
    std::exception_ptr failure;
    asio::co_spawn(io, std::move(operation), [&](std::exception_ptr e, T value) {
      failure = e;
      if (!e) result = std::move(value);
    });
    io.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*result);
  }

  bool connected() const { return plain.has_value() || tls.has_value(); }

  beast::tcp_stream& lowest() { return plain ? *plain : beast::get_lowest_layer(*tls); }

  asio::awaitable<beast::error_code> connect() {
    tcp::resolver resolver(io);
    auto [ec, results] = co_await resolver.async_resolve(host, std::to_string(port), use_tuple);
    if (ec) co_return ec;
    beast::tcp_stream stream(io);
    stream.expires_after(options.timeout);
    std::tie(ec, std::ignore) = co_await stream.async_connect(results, use_tuple);
    if (ec) co_return ec;
    ++opened;
    if (!options.tls) {
      plain.emplace(std::move(stream));
      co_return beast::error_code{};
    }
    tls.emplace(std::move(stream), tls_context);
    std::tie(ec) = co_await tls->async_handshake(asio::ssl::stream_base::client, use_tuple);
    if (ec) tls.reset();
    co_return ec;
  }

  template <class Stream>
  asio::awaitable<HttpReply> exchange(Stream& stream, http::request<http::string_body>& request) {
    HttpReply reply;
    lowest().expires_after(options.timeout);
    auto [ec, n] = co_await http::async_write(stream, request, use_tuple);
    if (!ec) {
      http::response_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      lowest().expires_after(options.timeout);
      std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, use_tuple);
      if (!ec) {
        const auto& response = parser.get();
        reply.status = response.result_int();
        for (const auto& field : response) reply.headers.emplace_back(lower(field.name_string()), field.value());
        reply.body = response.body();
        if (!response.keep_alive()) drop();
        co_return reply;
      }
    }
    reply.error = ec;
    drop();
    co_return reply;
  }

  asio::awaitable<HttpReply> send(http::request<http::string_body> request) {
    if (!connected()) {
      if (auto ec = co_await connect()) {
        HttpReply failed;
        failed.error = ec;
        co_return failed;
      }
    }
    if (plain) co_return co_await exchange(*plain, request);
    co_return co_await exchange(*tls, request);
  }

  template <class Stream>
  asio::awaitable<std::string> write_and_read_all(Stream& stream, std::string bytes) {
    std::string received;
    lowest().expires_after(options.timeout);
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(bytes), use_tuple);
    char chunk[16 * 1024];
    while (!ec) {
      lowest().expires_after(options.timeout);
      std::tie(ec, n) = co_await stream.async_read_some(asio::buffer(chunk), use_tuple);
      received.append(chunk, n);
    }
    co_return received;
  }

  asio::awaitable<std::string> raw(std::string bytes) {
    drop();
    if (auto ec = co_await connect()) throw std::runtime_error("cannot connect: " + ec.message());
    // Not a conditional expression: GCC 12 miscompiles co_await inside one.
    std::string received;
    if (plain)
      received = co_await write_and_read_all(*plain, std::move(bytes));
    else
      received = co_await write_and_read_all(*tls, std::move(bytes));
    drop();
    co_return received;
  }

  void drop() {
    beast::error_code ignored;
    if (connected()) lowest().socket().close(ignored);
    plain.reset();
    tls.reset();
    buffer.clear();
  }
};

HttpTestClient::HttpTestClient(std::string host, std::uint16_t port, HttpTestClientOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->options = std::move(options);
  if (impl_->options.ca_file.empty()) {
    impl_->tls_context.set_verify_mode(asio::ssl::verify_none);
  } else {
    impl_->tls_context.load_verify_file(impl_->options.ca_file);
    impl_->tls_context.set_verify_mode(asio::ssl::verify_peer);
  }
}

HttpTestClient::~HttpTestClient() { close(); }

HttpReply HttpTestClient::request(std::string_view method, std::string_view target, std::string body,
                                  const HeaderList& headers) {
  http::request<http::string_body> request;
  request.version(11);
  const auto verb = http::string_to_verb(method);
  if (verb == http::verb::unknown)
    request.method_string(method);
  else
    request.method(verb);
  request.target(target);
  bool has_host = false;
  for (const auto& [name, value] : headers) {
    request.insert(name, value);
    has_host = has_host || lower(name) == "host";
  }
  if (!has_host) request.set(http::field::host, impl_->host + ":" + std::to_string(impl_->port));
  request.body() = std::move(body);
  if (!request.body().empty() || verb == http::verb::post || verb == http::verb::put) request.prepare_payload();
  return impl_->run(impl_->send(std::move(request)));
}

std::string HttpTestClient::send_raw(std::string_view bytes) { return impl_->run(impl_->raw(std::string(bytes))); }

void HttpTestClient::close() { impl_->drop(); }

unsigned HttpTestClient::connections_opened() const { return impl_->opened; }

UrlParts split_url(std::string_view url) {
  UrlParts parts;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) throw std::invalid_argument("not a URL");
  parts.tls = url.substr(0, scheme_end) == "https";
  url.remove_prefix(scheme_end + 3);
  const auto path_start = url.find('/');
  const std::string_view authority = url.substr(0, path_start);
  parts.path = path_start == std::string_view::npos ? "" : std::string(url.substr(path_start));
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos) throw std::invalid_argument("the URL names no port");
  parts.host = std::string(authority.substr(0, colon));
  const auto port = authority.substr(colon + 1);
  std::from_chars(port.data(), port.data() + port.size(), parts.port);
  return parts;
}

}  // namespace ab::sim::test
