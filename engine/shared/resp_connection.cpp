#include "engine/shared/resp_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <hiredis/hiredis.h>

#include <array>
#include <deque>

namespace ab {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

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

}  // namespace

// One TCP connection and what waits on it. Shared with its reader and writer
// coroutines, so that a dropped link lives until they have seen the drop.
struct RespConnection::Link {
  struct Waiting {
    explicit Waiting(const asio::any_io_executor& ex) : wake(ex, SteadyTime::max()) {}
    RedisValue value;
    bool done = false;
    SteadyTime since = std::chrono::steady_clock::now();
    asio::steady_timer wake;
  };

  explicit Link(const asio::any_io_executor& ex) : socket(ex), reader(redisReaderCreate()) {}

  tcp::socket socket;
  std::unique_ptr<redisReader, ReaderDeleter> reader;
  std::deque<std::shared_ptr<Waiting>> waiting;  // null: a reply nobody awaits
  std::string out;      // formatted commands not written yet
  std::string writing;  // the write in progress
  bool write_running = false;
  bool failed = false;

  void fail() {
    if (failed) return;
    failed = true;
    boost::system::error_code ignored;
    socket.close(ignored);
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

  static asio::awaitable<void> write_loop(std::shared_ptr<Link> link) {
    while (!link->failed && !link->out.empty()) {
      link->writing.clear();
      std::swap(link->writing, link->out);
      auto [ec, n] = co_await asio::async_write(link->socket, asio::buffer(link->writing), use_tuple);
      if (ec) link->fail();
    }
    link->write_running = false;
  }

  static asio::awaitable<void> read_loop(std::shared_ptr<Link> link) {
    std::array<char, 16 * 1024> buffer;
    while (!link->failed) {
      auto [ec, n] = co_await link->socket.async_read_some(asio::buffer(buffer), use_tuple);
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

  void start_write(const asio::any_io_executor& ex, const std::shared_ptr<Link>& self) {
    if (write_running || out.empty()) return;
    write_running = true;
    asio::co_spawn(ex, write_loop(self), asio::detached);
  }
};

RespConnection::RespConnection(asio::any_io_executor executor) : executor_(std::move(executor)) {}

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

asio::awaitable<std::string> RespConnection::connect(std::string host, std::uint16_t port, Millis timeout) {
  drop();
  auto link = std::make_shared<Link>(executor_);
  asio::steady_timer limit(executor_, timeout);
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
    link->socket.close(ignored);
  });
  boost::system::error_code ec;
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) {
    std::tie(ec) = co_await link->socket.async_connect(tcp::endpoint(address, port), use_tuple);
  } else {
    tcp::resolver resolver(executor_);
    auto [rec, results] = co_await resolver.async_resolve(host, std::to_string(port), use_tuple);
    ec = rec;
    if (!ec) std::tie(ec, endpoint) = co_await asio::async_connect(link->socket, results, use_tuple);
  }
  race->finished = true;
  limit.cancel();
  if (race->timed_out) co_return "no connection within " + std::to_string(timeout.count()) + " ms";
  if (ec) co_return ec.message();
  link->socket.set_option(tcp::no_delay(true), ec);
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

asio::awaitable<RedisValue> RespConnection::call(std::vector<std::string> argv) {
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
