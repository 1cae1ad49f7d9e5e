// One connection to Redis, spoken in RESP over an Asio socket on the io
// thread: commands are formatted and replies parsed by hiredis (its reader
// and redisFormatCommandArgv only: hiredis never touches the socket, so
// nothing blocks the loop). Calls are pipelined: a call made while others
// wait for their replies is written at once behind them (the writes of one
// turn of the loop go out in one write), and replies are matched in order.
//
// Over TLS (rediss://) the peer is verified as every TLS peer of the
// product is (tls_verification.hpp): --ca-file or the system's CA store, and
// the certificate's name or address against the host asked for.
//
// A call completes with the reply, or with `lost` set when the connection
// failed or was dropped before its reply came: the command may or may not
// have been carried out. Not thread-safe: the io thread only.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/run/clock.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ab {

struct RedisValue {
  enum class Kind { nil, integer, string, status, error, array };
  Kind kind = Kind::nil;
  long long integer = 0;
  std::string text;  // string, status and error replies
  std::vector<RedisValue> elements;
  bool lost = false;  // no reply: the connection went first

  bool is_error() const { return kind == Kind::error; }
};

struct RespTls {
  bool enabled = false;
  std::string ca_file;      // empty: the system's CA store
  std::string client_cert;  // with client_key: shown to a server that asks (tls-auth-clients yes)
  std::string client_key;
};

class RespConnection {
 public:
  explicit RespConnection(Executor executor, RespTls tls = {});
  ~RespConnection();
  RespConnection(const RespConnection&) = delete;
  RespConnection& operator=(const RespConnection&) = delete;

  // Opens a new connection (a name is resolved; the old connection, if any,
  // is dropped first) and, over TLS, shakes hands, all within `timeout`.
  // Completes with "" when connected, else with why not ("connection
  // refused", "TLS: the certificate of HOST does not verify: ...").
  Awaitable<std::string> connect(std::string host, std::uint16_t port, Millis timeout);
  // Sends one command and awaits its reply (lost when the connection is down).
  Awaitable<RedisValue> call(std::vector<std::string> argv);
  // Sends one command whose reply nobody awaits (it is read and dropped).
  void send(const std::vector<std::string>& argv);
  bool up() const;
  // Closes the connection: waiting calls complete as lost.
  void drop();
  // When the oldest call still waiting for its reply was made.
  std::optional<SteadyTime> oldest_waiting() const;

 private:
  struct Link;
  Executor executor_;
  RespTls tls_;
  std::shared_ptr<boost::asio::ssl::context> context_;  // made at the first TLS connect
  std::shared_ptr<Link> link_;
};

}  // namespace ab
