#include "engine/shared/resp_connection.hpp"

#include "engine/run/coroutine.hpp"

#include "engine/send/tls_verification.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <hiredis/hiredis.h>

#include <array>
#include <stdexcept>
#include <deque>

namespace ab {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(use_awaitable);

RedisValue convert(const redisReply& reply) {
  RedisValue v;
  switch (reply.type) {
    case REDIS_REPLY_INTEGER:
      v.kind = RedisValue::Kind::integer;
      v.integer = reply.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      v.kind = reply.type == REDIS_REPLY_STRING   ? RedisValue::Kind::string
               : reply.type == REDIS_REPLY_STATUS ? RedisValue::Kind::status
                                                  : RedisValue::Kind::error;
      v.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ARRAY:
      v.kind = RedisValue::Kind::array;
      v.elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) v.elements.push_back(convert(*reply.element[i]));
      break;
    default:
      break;  // nil
  }
  return v;
}

struct ReaderDeleter {
  void operator()(redisReader* r) const { redisReaderFree(r); }
};

struct ReplyDeleter {
  void operator()(void* r) const { freeReplyObject(r); }
};

// SNI, then the handshake with the certificate's name (or address) checked
// against `host`: "" or why not.
Awaitable<std::string> handshake(asio::ssl::stream<tcp::socket>& tls, const std::string& host) {
  if (!SSL_set_tlsext_host_name(tls.native_handle(), host.c_str())) co_return "TLS: cannot set the server name";
  tls.set_verify_callback(asio::ssl::host_name_verification(host));
  auto [ec] = co_await tls.async_handshake(asio::ssl::stream_base::client, use_tuple);
  if (!ec) co_return "";
  if (auto reason = verification_failure(ec, tls.native_handle(), host))
    co_return "TLS: the certificate of " + host + " does not verify: " + *reason;
  co_return "TLS handshake: " + ec.message();
}

}  // namespace

// One TCP (or TLS over TCP) connection and what waits on it. Shared with its reader and writer
// coroutines, so that a dropped link lives until they have seen the drop.
struct RespConnection::Link {
  struct Waiting {
    explicit Waiting(const Executor& ex) : wake(ex, SteadyTime::max()) {}
    RedisValue value;
    bool done = false;
    SteadyTime since = std::chrono::steady_clock::now();
    SteadyTimer wake;
  };

  Link(const Executor& ex, std::shared_ptr<asio::ssl::context> tls_context)
      : plain(ex), context(std::move(tls_context)), reader(redisReaderCreate()) {
    if (context) tls = std::make_unique<asio::ssl::stream<tcp::socket>>(ex, *context);
  }

  tcp::socket plain;                                    // redis://
  std::shared_ptr<asio::ssl::context> context;         // kept while the stream lives
  std::unique_ptr<asio::ssl::stream<tcp::socket>> tls;  // rediss://: reads and writes go through it
  std::unique_ptr<redisReader, ReaderDeleter> reader;
  std::deque<std::shared_ptr<Waiting>> waiting;  // null: a reply nobody awaits
  std::string out;      // formatted commands not written yet
  std::string writing;  // the write in progress
  bool write_running = false;
  bool failed = false;

  tcp::socket& socket() { return tls ? tls->next_layer() : plain; }

  void fail() {
    if (failed) return;
    failed = true;
    boost::system::error_code ignored;
    socket().close(ignored);
    for (auto& w : waiting) {
      if (!w) continue;
      w->value.lost = true;
      w->done = true;
      w->wake.cancel();
    }
    waiting.clear();
  }

  void append(const std::vector<std::string>& argv) {
    std::vector<const char*> parts;
    std::vector<std::size_t> lengths;
    parts.reserve(argv.size());
    lengths.reserve(argv.size());
    for (const auto& a : argv) {
      parts.push_back(a.data());
      lengths.push_back(a.size());
    }
    char* command = nullptr;
    const int length = redisFormatCommandArgv(&command, static_cast<int>(argv.size()), parts.data(), lengths.data());
    if (length < 0) throw std::bad_alloc();
    out.append(command, static_cast<std::size_t>(length));
    redisFreeCommand(command);
  }

  static Awaitable<void> write_loop(std::shared_ptr<Link> link) {
    while (!link->failed && !link->out.empty()) {
      link->writing.clear();
      std::swap(link->writing, link->out);
      // (No co_await inside a conditional expression: GCC 12 miscompiles it.)
      boost::system::error_code ec;
      if (link->tls)
        std::tie(ec, std::ignore) = co_await asio::async_write(*link->tls, asio::buffer(link->writing), use_tuple);
      else
        std::tie(ec, std::ignore) = co_await asio::async_write(link->plain, asio::buffer(link->writing), use_tuple);
      if (ec) link->fail();
    }
    link->write_running = false;
  }

  static Awaitable<void> read_loop(std::shared_ptr<Link> link) {
    std::array<char, 16 * 1024> buffer;
    while (!link->failed) {
      boost::system::error_code ec;
      std::size_t n = 0;
      if (link->tls)
        std::tie(ec, n) = co_await link->tls->async_read_some(asio::buffer(buffer), use_tuple);
      else
        std::tie(ec, n) = co_await link->plain.async_read_some(asio::buffer(buffer), use_tuple);
      if (ec || link->failed) break;
      if (redisReaderFeed(link->reader.get(), buffer.data(), n) != REDIS_OK) break;
      for (;;) {
        void* raw = nullptr;
        if (redisReaderGetReply(link->reader.get(), &raw) != REDIS_OK) {
          link->fail();
          co_return;
        }
        if (!raw) break;
        std::unique_ptr<void, ReplyDeleter> reply(raw);
        if (link->waiting.empty()) {  // a reply nobody asked for: the stream is not ours to trust
          link->fail();
          co_return;
        }
        auto w = std::move(link->waiting.front());
        link->waiting.pop_front();
        if (!w) continue;
        w->value = convert(*static_cast<redisReply*>(raw));
        w->done = true;
        w->wake.cancel();
      }
    }
    link->fail();
  }

  void start_write(const Executor& ex, const std::shared_ptr<Link>& self) {
    if (write_running || out.empty()) return;
    write_running = true;
    asio::co_spawn(ex, write_loop(self), asio::detached);
  }
};

RespConnection::RespConnection(Executor executor, RespTls tls)
    : executor_(std::move(executor)), tls_(std::move(tls)) {}

RespConnection::~RespConnection() { drop(); }

bool RespConnection::up() const { return link_ && !link_->failed; }

void RespConnection::drop() {
  if (link_) link_->fail();
}

std::optional<SteadyTime> RespConnection::oldest_waiting() const {
  if (!up()) return std::nullopt;
  for (const auto& w : link_->waiting)
    if (w) return w->since;
  return std::nullopt;
}

Awaitable<std::string> RespConnection::connect(std::string host, std::uint16_t port, Millis timeout) {
  drop();
  if (tls_.enabled && !context_) {
    std::string why;
    try {
      context_ = std::make_shared<asio::ssl::context>(make_verifying_tls_context(tls_.ca_file));
    } catch (const std::exception& e) {
      why = "TLS: cannot load the CA certificates (" +
            (tls_.ca_file.empty() ? std::string("the system's store") : tls_.ca_file) + "): " + e.what();
    }
    if (!why.empty()) co_return why;
    if (!tls_.client_cert.empty()) {
      try {
        context_->use_certificate_chain_file(tls_.client_cert);
        context_->use_private_key_file(tls_.client_key, asio::ssl::context::pem);
        if (SSL_CTX_check_private_key(context_->native_handle()) != 1)
          throw std::runtime_error("the key is not the certificate's");
      } catch (const std::exception& e) {
        why = "TLS: cannot load the client certificate " + tls_.client_cert + " with its key " + tls_.client_key +
              ": " + e.what();
      }
      if (!why.empty()) {
        context_.reset();
        co_return why;
      }
    }
  }
  auto link = std::make_shared<Link>(executor_, tls_.enabled ? context_ : nullptr);
  SteadyTimer limit(executor_, timeout);
  // Shared with the timer's handler, which may run after this frame is gone.
  struct Race {
    bool finished = false;
    bool timed_out = false;
  };
  auto race = std::make_shared<Race>();
  limit.async_wait([link, race](boost::system::error_code ec) {
    if (ec || race->finished) return;
    race->timed_out = true;
    boost::system::error_code ignored;
    link->socket().close(ignored);
  });
  boost::system::error_code ec;
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) {
    std::tie(ec) = co_await link->socket().async_connect(tcp::endpoint(address, port), use_tuple);
  } else {
    tcp::resolver resolver(executor_);
    auto [rec, results] = co_await resolver.async_resolve(host, std::to_string(port), use_tuple);
    ec = rec;
    if (!ec) std::tie(ec, endpoint) = co_await asio::async_connect(link->socket(), results, use_tuple);
  }
  if (!ec) link->socket().set_option(tcp::no_delay(true), ec);
  std::string why;
  if (!ec && link->tls) why = co_await handshake(*link->tls, host);
  race->finished = true;
  limit.cancel();
  if (race->timed_out) co_return "no connection within " + std::to_string(timeout.count()) + " ms";
  if (ec) co_return ec.message();
  if (!why.empty()) co_return why;
  link_ = link;
  asio::co_spawn(executor_, Link::read_loop(link), asio::detached);
  co_return "";
}

void RespConnection::send(const std::vector<std::string>& argv) {
  if (!up()) return;
  link_->append(argv);
  link_->waiting.push_back(nullptr);
  link_->start_write(executor_, link_);
}

Awaitable<RedisValue> RespConnection::call(std::vector<std::string> argv) {
  if (!up()) {
    RedisValue lost;
    lost.lost = true;
    co_return lost;
  }
  auto link = link_;
  link->append(argv);
  auto waiting = std::make_shared<Link::Waiting>(executor_);
  link->waiting.push_back(waiting);
  link->start_write(executor_, link);
  while (!waiting->done) co_await waiting->wake.async_wait(use_tuple);
  co_return std::move(waiting->value);
}

}  // namespace ab
