// Reads of plain sockets started only once the socket is ready. Asio 1.81
// tries every read at once and stops trying first only after a read of zero
// bytes, so an answer's read started before the server answered costs a
// recvfrom that finds nothing (nearly every read at 256 in flight), and a
// wait for readiness through Asio re-arms its epoll set each time. Here the
// sockets sit in an epoll set of their own, each registered once: the set
// is polled once the handlers queued before have run, for as long as polls
// find answers, and waited on through Asio (one re-arm) only when a poll
// finds none (bench/README.md, issue 24).
#pragma once

#include "engine/run/coroutine.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/system/error_code.hpp>

#include <array>
#include <cstddef>
#include <memory>
#include <utility>

#include <sys/epoll.h>

namespace ab {

class ReadyReads : public std::enable_shared_from_this<ReadyReads> {
 public:
  using Signature = void(boost::system::error_code, std::size_t);

  // A socket's place in the set: whether it may hold bytes not read yet
  // (an edge came since its last short read, or the peer has closed), and
  // the read waiting for it.
  class Socket {
   public:
    Socket() = default;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    bool in_set() const { return fd_ >= 0; }
    // The set has reported the peer's close (it learns of it while reads wait).
    bool peer_closed() const { return closed_; }

   private:
    friend class ReadyReads;
    struct Parked {
      virtual ~Parked() = default;
      virtual void complete(boost::system::error_code ec, std::size_t n) = 0;
    };
    template <class Handler>
    struct ParkedOf final : Parked {
      explicit ParkedOf(Handler&& h) : handler(std::move(h)) {}
      void complete(boost::system::error_code ec, std::size_t n) override { std::move(handler)(ec, n); }
      Handler handler;
    };
    int fd_ = -1;
    bool ready_ = true;
    // The peer closed (or the socket failed): every read ends at once, and
    // no later edge would say so again.
    bool closed_ = false;
    boost::asio::mutable_buffer space_;
    std::unique_ptr<Parked> parked_;
  };

  // Null where no epoll set can be made: reads then go through Asio.
  static std::shared_ptr<ReadyReads> create(const Executor& executor);
  ReadyReads(const Executor& executor, int epoll_fd);

  // Puts the non-blocking socket `fd` in the set, for as long as it stays
  // open (closing it takes it out); false when it cannot be added.
  bool add(int fd, Socket& socket);

  // Reads what `socket` holds into `space`, once it holds something:
  // (error, bytes), eof at the peer's close. One read at a time a socket.
  template <class CompletionToken>
  auto async_read(Socket& socket, boost::asio::mutable_buffer space, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, Signature>(
        [self = shared_from_this(), &socket, space](auto handler) {
          using Handler = std::decay_t<decltype(handler)>;
          self->start(socket, space, std::make_unique<Socket::ParkedOf<Handler>>(std::move(handler)));
        },
        token);
  }

  // Ends the read waiting on `socket`, if any, with operation_aborted (its
  // socket is about to be closed: its exchange timed out, or the pool ends).
  void abort(Socket& socket);

 private:
  void start(Socket& socket, boost::asio::mutable_buffer space, std::unique_ptr<Socket::Parked> read);
  // One recv into the socket's space: true when the read is over.
  static bool try_read(Socket& socket, boost::asio::mutable_buffer space, boost::system::error_code& ec,
                       std::size_t& n);
  void complete(std::unique_ptr<Socket::Parked> read, boost::system::error_code ec, std::size_t n);
  std::size_t poll();
  void poll_later();
  void wait();

  Executor executor_;
  boost::asio::posix::basic_stream_descriptor<Executor> set_;
  std::size_t waiting_ = 0;  // parked reads
  bool polling_ = false;     // a poll is queued
  bool waiting_on_set_ = false;
  std::array<epoll_event, 256> events_{};
};

}  // namespace ab
