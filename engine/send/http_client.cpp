#include "engine/send/http_client.hpp"

#include "engine/run/coroutine.hpp"

#include "engine/send/ready_reads.hpp"
#include "engine/send/simple_answer.hpp"
#include "engine/send/tls_verification.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/defer.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/intrusive/list.hpp>
#include <boost/url/parse.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <type_traits>

namespace ab {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(use_awaitable);
// Streams on the run's own executor type: their operations track work
// without going through any_io_executor's function table.
using TcpStream = beast::basic_stream<tcp, Executor>;
constexpr std::size_t header_limit = 64 * 1024;
constexpr std::size_t body_copied_at_most = 64 * 1024;  // a larger request body is written from where it is
constexpr std::uint64_t body_limit = 64ull * 1024 * 1024;  // a tw.list page of 1000 audiences is < 1 MiB
constexpr std::size_t idle_per_origin = 256;
constexpr std::size_t answer_read_size = 4096;  // most answers in one read
// Room for an answer's fields at once: a few fields keep what they are given.
constexpr std::size_t answer_fields_size = 256;
// A connection back from an answer this recently is taken as still open
// without asking the kernel (one syscall less per request at full speed):
// servers close idle keep-alive connections after seconds, not milliseconds,
// and one closing sooner says so with `Connection: close`.
constexpr auto surely_open_for = std::chrono::milliseconds(50);

struct Target {
  bool tls = false;
  std::string host;       // without brackets
  std::string port;
  std::string host_header;
  std::string path;       // path and query, as sent on the request line
  std::string origin;     // the pool key
  const ProxyServer* proxy = nullptr;  // through this proxy, else direct
};

std::optional<Target> parse_target(std::string_view url, std::string& error) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    error = "not a URL: " + std::string(url);
    return std::nullopt;
  }
  const auto& u = *parsed;
  Target t;
  if (u.scheme() == "https") {
    t.tls = true;
  } else if (u.scheme() != "http") {
    error = "unsupported scheme in " + std::string(url);
    return std::nullopt;
  }
  t.host = u.host_address();
  if (t.host.size() > 1 && t.host.front() == '[') t.host = t.host.substr(1, t.host.size() - 2);
  t.port = u.has_port() ? std::string(u.port()) : (t.tls ? "443" : "80");
  t.host_header = std::string(u.encoded_host_and_port());
  t.path = std::string(u.encoded_path());
  if (t.path.empty()) t.path = "/";
  if (u.has_query()) t.path += "?" + std::string(u.encoded_query());
  t.origin = (t.tls ? "https://" : "http://") + t.host + ":" + t.port;
  return t;
}

// A line break in a field would end it and start another on the wire (an
// access token from a server is a field value too): such a request is
// refused before anything is written. Empty when the fields are sound.
// (Plain loops: std::string::find_first_of calls memchr once per character.)
std::string header_problem(std::span<const RequestField> fields) {
  const auto line_break = [](char c) { return c == '\r' || c == '\n'; };
  for (const auto& [name, value] : fields) {
    if (name.empty() || std::any_of(name.begin(), name.end(), [&](char c) {
          return c == ':' || c == ' ' || c == '\t' || line_break(c);
        }))
      return "header name \"" + std::string(name) + "\" is not a token";
    if (std::any_of(value.begin(), value.end(), line_break))
      return "header " + std::string(name) + " has a line break in its value";
  }
  return {};
}

// The request line, our fixed fields, the caller's and Content-Length,
// as Beast's prepare_payload would set it: for a body, and for POST, PUT and
// OPTIONS even without one. HTTP/1.1 keeps the connection open by default.
// Sized first and copied in pieces: appends of C strings measured each.
void write_request(std::string& out, http::verb method, const Target& t, std::span<const RequestField> fields,
                   std::string_view body, bool append_body) {
  using namespace std::string_view_literals;
  const std::string_view verb = http::to_string(method);
  const bool proxy_authorization = t.proxy && !t.tls && !t.proxy->authorization.empty();
  const bool content_length =
      !body.empty() || method == http::verb::post || method == http::verb::put || method == http::verb::options;
  char digits[24];
  const std::string_view length(digits,
                                content_length ? std::to_chars(digits, digits + sizeof digits, body.size()).ptr - digits : 0);
  constexpr auto version_host = " HTTP/1.1\r\nHost: "sv;
  constexpr auto fixed = "\r\nUser-Agent: audience-batch\r\nAccept: application/json\r\n"sv;
  constexpr auto proxy_field = "Proxy-Authorization: "sv;
  constexpr auto length_field = "Content-Length: "sv;
  std::size_t size = verb.size() + 1 + t.path.size() + version_host.size() + t.host_header.size() + fixed.size() + 2;
  if (proxy_authorization) size += proxy_field.size() + t.proxy->authorization.size() + 2;
  for (const auto& [name, value] : fields) size += name.size() + 2 + value.size() + 2;
  if (content_length) size += length_field.size() + length.size() + 2;
  if (append_body) size += body.size();
  out.resize(size);
  char* at = out.data();
  const auto put = [&at](std::string_view piece) {
    if (!piece.empty()) std::memcpy(at, piece.data(), piece.size());
    at += piece.size();
  };
  put(verb);
  put(" "sv);
  put(t.path);
  put(version_host);
  put(t.host_header);
  put(fixed);
  if (proxy_authorization) {
    put(proxy_field);
    put(t.proxy->authorization);
    put("\r\n"sv);
  }
  for (const auto& [name, value] : fields) {
    put(name);
    put(": "sv);
    put(value);
    put("\r\n"sv);
  }
  if (content_length) {
    put(length_field);
    put(length);
    put("\r\n"sv);
  }
  put("\r\n"sv);
  if (append_body) put(body);
}

// Reads an answer straight into the attempt: the status, each field (its
// name lower-cased) and the body. Beast's own response parser would first
// build its field list, one allocation per field, for us to copy out of.
// Framing (Content-Length, chunked, keep-alive, limits) is basic_parser's.
class AnswerParser final : public http::basic_parser<false> {
 public:
  explicit AnswerParser(HttpAnswer& out) : out_(out) {}

 private:
  void on_request_impl(http::verb, beast::string_view, beast::string_view, int, beast::error_code&) override {}
  void on_response_impl(int code, beast::string_view, int, beast::error_code&) override {
    out_.status = static_cast<unsigned>(code);
  }
  void on_field_impl(http::field field, beast::string_view name, beast::string_view value,
                     beast::error_code&) override {
    // The framing fields are Beast's business and tell a caller nothing;
    // skipping them saves a row a few allocations at full speed.
    if (field == http::field::content_length || field == http::field::connection ||
        field == http::field::keep_alive || field == http::field::transfer_encoding ||
        field == http::field::server)
      return;
    out_.headers.add_lower_cased({name.data(), name.size()}, {value.data(), value.size()});
  }
  void on_header_impl(beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, beast::error_code&) override {
    if (length) out_.body.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*length, ab::body_limit)));
  }
  std::size_t on_body_impl(beast::string_view piece, beast::error_code&) override {
    out_.body.append(piece.data(), piece.size());
    return piece.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view piece, beast::error_code&) override {
    out_.body.append(piece.data(), piece.size());
    return piece.size();
  }
  void on_finish_impl(beast::error_code&) override {}

  HttpAnswer& out_;
};

// A read of `stream` started once the handlers already waiting to run have
// run (one trip through the scheduler, with no coroutine resumed for it).
template <class Stream>
auto read_later(Stream& stream, asio::mutable_buffer space) {
  return asio::async_initiate<decltype(use_tuple), void(boost::system::error_code, std::size_t)>(
      [&stream, space](auto handler) {
        asio::defer(stream.get_executor(), [&stream, space, handler = std::move(handler)]() mutable {
          stream.async_read_some(space, std::move(handler));
        });
      },
      use_tuple);
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") return true;
  std::string h(host);
  if (h.size() > 1 && h.front() == '[') h = h.substr(1, h.size() - 2);
  boost::system::error_code ec;
  auto address = asio::ip::make_address(h, ec);
  return !ec && address.is_loopback();
}

struct HttpPool::Impl {
  // In `in_flight` while connecting or carrying a request; a connection
  // leaves it by itself when destroyed.
  using InFlightHook = boost::intrusive::list_base_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>>;
  struct Connection : InFlightHook {
    std::string origin;
    std::unique_ptr<TcpStream> plain;
    std::unique_ptr<beast::ssl_stream<TcpStream>> tls;
    beast::flat_buffer buffer;
    std::string out;  // the request being sent, reused
    std::chrono::steady_clock::time_point idle_since;
    // When the exchange it carries times out (max while connecting: Beast's
    // own expiry covers connect and handshake), and whether it did.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    bool timed_out = false;
    // A plain connection's answers are read once its socket is ready (ready_reads.hpp).
    ReadyReads::Socket readiness;

    TcpStream& lowest() { return plain ? *plain : tls->next_layer(); }

    // An idle keep-alive connection the server has closed (or sent something
    // unasked on) must not carry a request: the write would succeed and the
    // read fail, and a create would look as if it may have been applied.
    bool still_open() {
      char byte = 0;
      const auto n = ::recv(lowest().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }

    // An exchange runs on the socket itself when plain: the pool's watchdog
    // times it, so Beast's expiry layer would only add work to each step.
    template <class Op>
    auto with_stream(Op&& op) {
      return plain ? op(plain->socket()) : op(*tls);
    }

    // Writes what a plain socket takes at once (a request of a few hundred
    // bytes, whole), without a trip through the scheduler, and leaves in
    // `buffers` what remains for an asynchronous write. TLS writes nothing here.
    boost::system::error_code write_now(std::array<asio::const_buffer, 2>& buffers) {
      boost::system::error_code ec;
      if (!plain) return ec;
      std::size_t written = plain->socket().write_some(buffers, ec);  // non-blocking (connect)
      if (ec == asio::error::would_block) ec.clear();
      for (auto& b : buffers) {
        const std::size_t taken = std::min(written, b.size());
        b += taken;
        written -= taken;
      }
      return ec;
    }

    // Room for the next read, as Beast's reads take it: what the buffer has
    // free, at least 512 bytes, at most 64 KiB.
    asio::mutable_buffer read_space() {
      return buffer.prepare(std::min<std::size_t>(std::max<std::size_t>(512, buffer.capacity() - buffer.size()),
                                                  64 * 1024));
    }

    // Parses what the buffer holds; true while the answer needs more bytes.
    // Framing (Content-Length, chunked, limits) is the parser's.
    bool parse_buffered(http::basic_parser<false>& parser, beast::error_code& ec) {
      while (buffer.size() != 0) {
        const std::size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == http::error::need_more) {
          ec.clear();
          return true;
        }
        if (ec || parser.is_done()) return false;
        if (used == 0) break;
      }
      return true;
    }

    // Parses an answer from the buffer: the simple way while it may be a
    // simple one (simple_answer.hpp), else with `parser`; true while it
    // needs more bytes.
    bool parse_answer(http::basic_parser<false>& parser, SimpleAnswer& simple, HttpAnswer& answer,
                      beast::error_code& ec) {
      if (simple.outcome == SimpleAnswer::Outcome::need_more) {
        const auto data = buffer.data();
        simple = read_simple_answer({static_cast<const char*>(data.data()), data.size()}, answer, header_limit,
                                    body_limit);
        if (simple.outcome == SimpleAnswer::Outcome::done) {
          buffer.consume(simple.used);
          return false;
        }
        if (simple.outcome == SimpleAnswer::Outcome::need_more) return true;
      }
      return parse_buffered(parser, ec);
    }

    // Takes a read of `size` bytes that ended with `read_error`; true while
    // the answer needs more (`parse` reads what is buffered, as
    // parse_buffered does). A close ends an answer delimited by it and cuts
    // off any other (an error, as a close before any byte is).
    template <class Parse>
    bool took(http::basic_parser<false>& parser, std::size_t size, beast::error_code read_error,
              beast::error_code& ec, Parse&& parse) {
      buffer.commit(size);
      if (read_error == asio::error::eof) {
        // Bytes the simple reader was waiting on are the parser's to judge.
        if (!parser.got_some() && buffer.size() != 0 && !parse_buffered(parser, ec) && ec) return false;
        if (parser.got_some())
          parser.put_eof(ec);
        else
          ec = http::error::end_of_stream;
        return false;
      }
      ec = read_error;
      return !ec && parse(ec);
    }
    bool took(http::basic_parser<false>& parser, std::size_t size, beast::error_code read_error,
              beast::error_code& ec) {
      return took(parser, size, read_error, ec, [&](beast::error_code& e) { return parse_buffered(parser, e); });
    }
  };

  Executor executor;
  // One timer watches every exchange in flight: Beast's expiry on the stream
  // starts and cancels a timer for each read and write.
  SteadyTimer watchdog{executor};
  std::chrono::steady_clock::time_point watched_until = std::chrono::steady_clock::time_point::max();
  std::size_t watched = 0;  // exchanges under way; at none the timer is let go, so a run can end
  // Made at the first https connection: loading the system's CA store takes
  // tens of milliseconds that a run against http:// (the simulator) need not
  // wait for. A --ca-file is loaded at once, so that a bad one stops the start.
  std::optional<asio::ssl::context> tls;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>, std::less<>> idle;
  std::map<std::string, tcp::resolver::results_type, std::less<>> resolved;
  // Intrusive: tracking a request costs no allocation.
  boost::intrusive::list<Connection, boost::intrusive::constant_time_size<false>> in_flight;
  // The last URL parsed: a job sends most requests to one URL, and a shared
  // Target survives a newer one replacing it while a send still uses it.
  std::string last_url;
  std::shared_ptr<const Target> last_target;
  std::size_t opened = 0;
  bool closed = false;
  ProxyRoutes proxies;
  // Made at the first plain connection; null where no epoll set can be made.
  std::shared_ptr<ReadyReads> ready_reads;
  bool ready_reads_tried = false;

  // Puts a plain connection's socket in the set its answers are read from;
  // one that cannot be put there reads through Asio, as TLS does.
  void read_when_ready(Connection& c) {
    if (!ready_reads_tried) {
      ready_reads_tried = true;
      ready_reads = ReadyReads::create(executor);
    }
    if (ready_reads) ready_reads->add(c.lowest().socket().native_handle(), c.readiness);
  }

  // Before a connection's socket is closed under a read waiting on it.
  void abort_read(Connection& c) {
    if (ready_reads) ready_reads->abort(c.readiness);
  }

  std::shared_ptr<const Target> target_of(std::string_view url, std::string& error) {
    if (last_target && url == last_url) return last_target;
    auto parsed = parse_target(url, error);
    if (!parsed) return nullptr;
    if ((parsed->proxy = proxies.for_target(parsed->tls, parsed->host)) && !parsed->tls) {
      // An http request through a proxy names its whole URL (absolute form).
      parsed->path = "http://" + parsed->host_header + parsed->path;
    }
    last_url = url;
    last_target = std::make_shared<const Target>(std::move(*parsed));
    return last_target;
  }

  Impl(Executor ex, const TlsSettings& settings, ProxyRoutes routes)
      : executor(std::move(ex)), proxies(std::move(routes)) {
    if (!settings.ca_file.empty()) make_tls(settings.ca_file);
  }

  asio::ssl::context& tls_context() {
    if (!tls) make_tls({});
    return *tls;
  }

  // Verifies peers against `ca_file`, or the system's store when it is empty.
  void make_tls(const std::string& ca_file) {
    tls.emplace(make_verifying_tls_context(ca_file));
  }

  std::unique_ptr<Connection> take_idle(const std::string& origin) {
    auto it = idle.find(origin);
    while (it != idle.end() && !it->second.empty()) {
      auto c = std::move(it->second.back());
      it->second.pop_back();
      if (c->readiness.peer_closed()) continue;  // the set saw the server close it while idle
      if (std::chrono::steady_clock::now() - c->idle_since < surely_open_for || c->still_open()) return c;
    }
    return nullptr;
  }

  void give_back(std::unique_ptr<Connection> c) {
    if (closed) return;
    c->idle_since = std::chrono::steady_clock::now();
    auto& list = idle[c->origin];
    if (list.size() < idle_per_origin) list.push_back(std::move(c));
  }

  Awaitable<std::unique_ptr<Connection>> connect(const Target& t, std::chrono::milliseconds timeout,
                                                       std::string& error, bool* untrusted = nullptr) {
    // Through a proxy, the TCP connection is to the proxy.
    const std::string& host = t.proxy ? t.proxy->host : t.host;
    const std::string& port_text = t.proxy ? t.proxy->port : t.port;
    const std::string peer = t.proxy ? "proxy " + t.proxy->display + " for " + t.origin : t.origin;
    auto it = resolved.find(t.origin);
    if (it == resolved.end()) {
      // A numeric host needs no lookup: Asio resolves on a thread of its own,
      // which cost a run against 127.0.0.1 a thread start and a hand-over
      // ahead of its login.
      boost::system::error_code numeric_error;
      const auto address = asio::ip::make_address(host, numeric_error);
      unsigned long port = 0;
      const auto [end, parse_error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
      if (!numeric_error && parse_error == std::errc() && end == port_text.data() + port_text.size() && port <= 65535) {
        const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
        it = resolved.emplace(t.origin, tcp::resolver::results_type::create(endpoint, host, port_text)).first;
      } else {
        tcp::resolver resolver(executor);
        auto [ec, results] = co_await resolver.async_resolve(host, port_text, use_tuple);
        if (ec) {
          error = "resolve " + host + ": " + ec.message();
          co_return nullptr;
        }
        it = resolved.try_emplace(t.origin, std::move(results)).first;
      }
    }
    auto c = std::make_unique<Connection>();
    c->origin = t.origin;
    // Beast reads max(512, free capacity) at a time and the parser empties
    // the buffer as it goes, so an unreserved buffer never grows: an answer
    // of 600 bytes took two reads, every time.
    c->buffer.reserve(answer_read_size);
    if (t.tls) {
      asio::ssl::context* context = nullptr;
      try {
        context = &tls_context();
      } catch (const std::exception& e) {
        tls.reset();
        error = std::string("TLS: cannot load the system's CA certificates: ") + e.what();
        co_return nullptr;
      }
      c->tls = std::make_unique<beast::ssl_stream<TcpStream>>(executor, *context);
    } else {
      c->plain = std::make_unique<TcpStream>(executor);
    }
    c->lowest().expires_after(timeout);
    in_flight.push_back(*c);
    auto [ec, endpoint] = co_await c->lowest().async_connect(it->second, use_tuple);
    if (ec) {
      resolved.erase(t.origin);  // the next attempt resolves again
      error = "connect " + peer + ": " + ec.message();
      co_return nullptr;
    }
    c->lowest().socket().set_option(tcp::no_delay(true));
    // A plain request is written at once where the kernel takes it (write_now).
    if (c->plain) {
      boost::system::error_code mode_error;
      c->plain->socket().non_blocking(true, mode_error);
      if (mode_error) {
        error = "connect " + peer + ": " + mode_error.message();
        co_return nullptr;
      }
      read_when_ready(*c);
    }
    if (t.proxy && t.tls && !co_await tunnel(*c, t, error)) co_return nullptr;
    if (t.tls) {
      // SNI, then the certificate's name checked against the host we asked for.
      if (!SSL_set_tlsext_host_name(c->tls->native_handle(), t.host.c_str())) {
        error = "TLS " + t.origin + ": cannot set the server name";
        co_return nullptr;
      }
      c->tls->set_verify_callback(asio::ssl::host_name_verification(t.host));
      auto [hs] = co_await c->tls->async_handshake(asio::ssl::stream_base::client, use_tuple);
      if (hs) {
        error = "TLS handshake with " + t.origin + ": " + hs.message();
        if (auto reason = verification_failure(hs, c->tls->native_handle(), t.host)) {
          error = "TLS: the certificate of " + t.host + " (" + t.origin + ") does not verify: " + *reason;
          if (untrusted) *untrusted = true;
        }
        co_return nullptr;
      }
    }
    c->lowest().expires_never();  // exchanges are watched by the pool's one timer
    c->unlink();
    ++opened;
    co_return c;
  }

  // The exchange on `c` ends by `timeout` from now: its socket is closed then.
  void watch(Connection& c, std::chrono::milliseconds timeout) {
    c.deadline = std::chrono::steady_clock::now() + timeout;
    c.timed_out = false;
    in_flight.push_back(c);
    ++watched;
    if (c.deadline < watched_until) watch_until(c.deadline);
  }

  void exchange_ended() {
    if (--watched == 0 && watched_until != std::chrono::steady_clock::time_point::max()) {
      watched_until = std::chrono::steady_clock::time_point::max();
      watchdog.cancel();
    }
  }

  void watch_until(std::chrono::steady_clock::time_point at) {
    watched_until = at;
    watchdog.expires_at(at);
    // A wait cancelled by a nearer one, or by the pool's end, touches nothing.
    watchdog.async_wait([this](boost::system::error_code ec) {
      if (!ec) close_expired();
    });
  }

  void close_expired() {
    watched_until = std::chrono::steady_clock::time_point::max();
    const auto now = std::chrono::steady_clock::now();
    auto next = std::chrono::steady_clock::time_point::max();
    for (auto& c : in_flight) {
      if (c.deadline <= now) {
        c.timed_out = true;
        abort_read(c);
        c.lowest().close();
      } else {
        next = std::min(next, c.deadline);
      }
    }
    if (next != std::chrono::steady_clock::time_point::max()) watch_until(next);
  }

  // CONNECT host:port through the proxy: afterwards the connection is a
  // plain byte stream to the target, and TLS runs end to end over it.
  Awaitable<bool> tunnel(Connection& c, const Target& t, std::string& error) {
    std::string request = "CONNECT " + t.host_header + " HTTP/1.1\r\nHost: " + t.host_header + "\r\n";
    if (!t.proxy->authorization.empty()) request += "Proxy-Authorization: " + t.proxy->authorization + "\r\n";
    request += "\r\n";
    auto [write_error, written] = co_await asio::async_write(c.lowest(), asio::buffer(request), use_tuple);
    if (write_error) {
      error = "proxy " + t.proxy->display + ": " + write_error.message();
      co_return false;
    }
    http::response_parser<http::empty_body> answer;
    answer.skip(true);  // a 200 to CONNECT has no body: the tunnel follows
    beast::flat_buffer buffer;
    auto [read_error, read] = co_await http::async_read_header(c.lowest(), buffer, answer, use_tuple);
    if (read_error) {
      error = "proxy " + t.proxy->display + ": " + read_error.message();
      co_return false;
    }
    const auto status = answer.get().result_int();
    if (status != 200) {
      error = "proxy " + t.proxy->display + " refused CONNECT " + t.host_header + ": HTTP " + std::to_string(status) +
              " " + std::string(answer.get().reason());
      co_return false;
    }
    co_return true;
  }

  // The target is held by value in the frame: the caller's may be replaced.
  Awaitable<void> open_idle(std::shared_ptr<const Target> target, std::chrono::milliseconds timeout) {
    std::string error;
    if (auto c = co_await connect(*target, timeout, error)) give_back(std::move(c));
  }
};

void HttpPool::open_ahead(std::string_view url, std::size_t count, std::chrono::milliseconds timeout) {
  std::string error;
  auto target = impl_->target_of(url, error);
  if (!target) return;
  auto& waiting = impl_->idle[target->origin];
  count = std::min(count, idle_per_origin - std::min(idle_per_origin, waiting.size()));
  for (std::size_t i = 0; i < count; ++i)
    asio::co_spawn(impl_->executor, impl_->open_idle(target, timeout), asio::detached);
}

HttpPool::HttpPool(Executor executor, const TlsSettings& tls)
    : impl_(std::make_unique<Impl>(std::move(executor), tls, ProxyRoutes{})) {}

HttpPool::HttpPool(Executor executor, const TlsSettings& tls, ProxyRoutes proxies)
    : impl_(std::make_unique<Impl>(std::move(executor), tls, std::move(proxies))) {}

HttpPool::~HttpPool() = default;

std::size_t HttpPool::connections_opened() const { return impl_->opened; }

void HttpPool::close_all() {
  impl_->closed = true;
  impl_->idle.clear();
  for (auto& c : impl_->in_flight) {
    boost::system::error_code ignored;
    impl_->abort_read(c);
    c.lowest().socket().close(ignored);
  }
}

Awaitable<HttpAnswer> HttpPool::send(http::verb method, std::string_view url,
                                            std::span<const RequestField> fields, std::string_view body,
                                            std::chrono::milliseconds timeout) {
  HttpAnswer attempt;
  if (attempt.error = header_problem(fields); !attempt.error.empty()) {
    attempt.failure = AttemptFailure::not_sent;
    co_return attempt;
  }
  const auto target = impl_->target_of(url, attempt.error);
  if (!target || impl_->closed) {
    attempt.failure = target ? AttemptFailure::cancelled : AttemptFailure::not_sent;
    if (impl_->closed) attempt.error = "stopping";
    co_return attempt;
  }

  auto connection = impl_->take_idle(target->origin);
  if (!connection) {
    connection = co_await impl_->connect(*target, timeout, attempt.error, &attempt.untrusted);
    if (!connection) {
      attempt.failure = AttemptFailure::not_sent;
      co_return attempt;
    }
  }
  Impl::Connection& c = *connection;
  impl_->watch(c, timeout);
  // Out of in_flight on every way out (before it is given back: then it may be gone).
  struct Untrack {
    Impl& impl;
    std::unique_ptr<Impl::Connection>& c;
    ~Untrack() {
      if (c) c->unlink();
      impl.exchange_ended();
    }
  } untrack{*impl_, connection};

  // The request goes out as one buffer built in the connection's own string
  // (no allocation once it has grown): Beast's serializer walks a
  // buffers_cat_view of every field for each write, which cost about a
  // tenth of the io thread at full speed.
  // A large body (tw.members: 0.5 MB) goes as a second buffer of the same
  // write, not copied behind the head.
  const bool body_apart = body.size() > body_copied_at_most;
  write_request(c.out, method, *target, fields, body, !body_apart);
  std::array<asio::const_buffer, 2> buffers{asio::buffer(c.out), asio::buffer(body.data(), body_apart ? body.size() : 0)};
  auto write_error = c.write_now(buffers);
  if (!write_error && asio::buffer_size(buffers) != 0) {
    auto [rest_error, written] =
        co_await c.with_stream([&](auto& s) { return asio::async_write(s, buffers, use_tuple); });
    write_error = rest_error;
  }
  if (write_error) {
    // An incomplete request cannot be carried out by the server.
    attempt.failure = AttemptFailure::not_sent;
    attempt.error = "write to " + target->origin + ": " + (c.timed_out ? "timed out" : write_error.message());
    co_return attempt;
  }

  attempt.headers.reserve(answer_fields_size);
  AnswerParser parser(attempt);
  parser.eager(true);  // the body parsed in the same call as the head
  parser.header_limit(header_limit);
  parser.body_limit(body_limit);
  beast::error_code read_error;
  // The answer to a request just written is not there yet: a plain
  // connection's read waits for its socket to be ready (ready_reads.hpp);
  // a TLS one's first read starts after the other exchanges ready to run
  // have had their turn, and so often finds it rather than spend a syscall
  // finding nothing.
  bool first_read = true;
  SimpleAnswer simple{SimpleAnswer::Outcome::need_more};
  const auto parse = [&](beast::error_code& ec) { return c.parse_answer(parser, simple, attempt, ec); };
  for (bool more = parse(read_error); more;) {
    const auto space = c.read_space();
    auto [error, size] = c.readiness.in_set()
                             ? co_await impl_->ready_reads->async_read(c.readiness, space, use_tuple)
                             : co_await c.with_stream([&](auto& s) {
                                 return std::exchange(first_read, false) ? read_later(s, space)
                                                                         : s.async_read_some(space, use_tuple);
                               });
    more = c.took(parser, size, error, read_error, parse);
  }
  if (read_error) {
    attempt.status = 0;
    attempt.headers.clear();
    attempt.body.clear();
    attempt.failure = AttemptFailure::maybe_applied;
    attempt.error = (c.timed_out ? "timed out waiting for " : "no answer from ") + target->origin +
                    (c.timed_out ? "" : ": " + read_error.message());
    co_return attempt;
  }

  // A connection to an http proxy is not reused: proxies (tinyproxy among
  // them) close it after one exchange without saying so, and a request
  // written on it would look as if it may have been applied.
  const bool through_http_proxy = target->proxy && !target->tls;
  // Bytes after the answer were not asked for (no request is pipelined):
  // a connection that has them is out of step and carries nothing more.
  const bool keep_alive = simple.outcome == SimpleAnswer::Outcome::done ? simple.keep_alive : parser.keep_alive();
  if (keep_alive && !through_http_proxy && c.buffer.size() == 0) {
    c.unlink();
    impl_->give_back(std::move(connection));
  }
  co_return attempt;
}

}  // namespace ab
