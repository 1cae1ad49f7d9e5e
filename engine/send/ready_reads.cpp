#include "engine/send/ready_reads.hpp"

#include <boost/asio/post.hpp>

#include <cerrno>

#include <sys/socket.h>

namespace ab {

std::shared_ptr<ReadyReads> ReadyReads::create(const Executor& executor) {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return nullptr;
  return std::make_shared<ReadyReads>(executor, fd);
}

ReadyReads::ReadyReads(const Executor& executor, int epoll_fd) : executor_(executor), set_(executor, epoll_fd) {}

bool ReadyReads::add(int fd, Socket& socket) {
  epoll_event event{};
  // Edge-triggered: a socket is reported once per arrival, not at every poll
  // while it holds bytes (its reads drain it, or say it may hold more).
  event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
  event.data.ptr = &socket;
  if (::epoll_ctl(set_.native_handle(), EPOLL_CTL_ADD, fd, &event) != 0) return false;
  socket.fd_ = fd;
  socket.ready_ = true;
  return true;
}

void ReadyReads::start(Socket& socket, boost::asio::mutable_buffer space, std::unique_ptr<Socket::Parked> read) {
  boost::system::error_code ec;
  std::size_t n = 0;
  if (socket.ready_ && try_read(socket, space, ec, n)) {
    complete(std::move(read), ec, n);
    return;
  }
  socket.space_ = space;
  socket.parked_ = std::move(read);
  ++waiting_;
  wait();
}

bool ReadyReads::try_read(Socket& socket, boost::asio::mutable_buffer space, boost::system::error_code& ec,
                          std::size_t& n) {
  auto got = ::recv(socket.fd_, space.data(), space.size(), 0);
  while (got < 0 && errno == EINTR) got = ::recv(socket.fd_, space.data(), space.size(), 0);
  if (got > 0) {
    n = static_cast<std::size_t>(got);
    // A short read took all there was; a full one may have left more.
    if (n < space.size() && !socket.closed_) socket.ready_ = false;
    return true;
  }
  if (got == 0) {
    ec = boost::asio::error::eof;
    return true;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK) {
    socket.ready_ = false;
    return false;
  }
  ec = boost::system::error_code(errno, boost::system::system_category());
  return true;
}

void ReadyReads::complete(std::unique_ptr<Socket::Parked> read, boost::system::error_code ec, std::size_t n) {
  // As Asio completes a read: never inside the call that started it.
  boost::asio::post(executor_, [read = std::move(read), ec, n]() mutable { read->complete(ec, n); });
}

void ReadyReads::abort(Socket& socket) {
  if (!socket.parked_) return;
  --waiting_;
  complete(std::move(socket.parked_), boost::asio::error::operation_aborted, 0);
  // A wait with nothing left to wake would keep the run's io_context going.
  if (!waiting_ && waiting_on_set_) {
    boost::system::error_code ignored;
    set_.cancel(ignored);
  }
}

std::size_t ReadyReads::poll() {
  const int n = ::epoll_wait(set_.native_handle(), events_.data(), static_cast<int>(events_.size()), 0);
  for (int i = 0; i < n; ++i) {
    auto& socket = *static_cast<Socket*>(events_[i].data.ptr);
    socket.ready_ = true;
    if (events_[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) socket.closed_ = true;
    if (!socket.parked_) continue;  // its next read takes it at once
    boost::system::error_code ec;
    std::size_t got = 0;
    if (!try_read(socket, socket.space_, ec, got)) continue;
    --waiting_;
    complete(std::move(socket.parked_), ec, got);
  }
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

// The answers just taken start the next requests; by the time their
// handlers have run, more answers have come.
void ReadyReads::poll_later() {
  polling_ = true;
  boost::asio::post(executor_, [self = shared_from_this()] {
    self->polling_ = false;
    if (!self->waiting_) return;
    if (self->poll() == 0) {
      self->wait();
    } else {
      self->poll_later();
    }
  });
}

void ReadyReads::wait() {
  if (waiting_on_set_ || polling_ || !waiting_) return;
  waiting_on_set_ = true;
  set_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                  [self = shared_from_this()](boost::system::error_code ec) {
                    self->waiting_on_set_ = false;
                    // A wait cancelled when its last read was aborted: a read
                    // parked since then found this wait still armed and left
                    // it to this handler to wait for it.
                    if (ec && ec != boost::asio::error::operation_aborted) return;
                    if (!self->waiting_) return;
                    if (self->poll() == 0) {
                      self->wait();
                    } else {
                      self->poll_later();
                    }
                  });
}

}  // namespace ab
