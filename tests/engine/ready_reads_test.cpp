// Reads on readiness over real sockets (socket pairs): a read waits for its
// socket's bytes without a wasted read, takes what came, leaves what did not
// fit for the next, ends at the peer's close or an abort, and a run whose
// reads are all over is not kept going by the set's wait.
#include "engine/send/ready_reads.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ab {
namespace {

namespace asio = boost::asio;

// A connected pair: `ours` non-blocking in the set, `peer` the other end.
struct Pair {
  int ours = -1;
  int peer = -1;
  ReadyReads::Socket socket;

  explicit Pair(ReadyReads& reads) {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    ours = fds[0];
    peer = fds[1];
    ::fcntl(ours, F_SETFL, ::fcntl(ours, F_GETFL) | O_NONBLOCK);
    EXPECT_TRUE(reads.add(ours, socket));
  }
  ~Pair() {
    if (ours >= 0) ::close(ours);
    if (peer >= 0) ::close(peer);
  }
  void send(const std::string& bytes) const {
    ASSERT_EQ(::write(peer, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
};

struct Read {
  bool done = false;
  boost::system::error_code ec;
  std::string bytes;
};

void start_read(ReadyReads& reads, Pair& pair, std::array<char, 64>& space, Read& read, std::size_t room = 64) {
  reads.async_read(pair.socket, asio::buffer(space.data(), room), [&read, &space](boost::system::error_code ec,
                                                                                   std::size_t n) {
    read.done = true;
    read.ec = ec;
    read.bytes.assign(space.data(), n);
  });
}

// One socket pair in a set, and a read waiting on it before anything came.
class ReadyReadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(reads);
    start_read(*reads, pair, space, read);
    io.poll();
    ASSERT_FALSE(read.done) << "nothing came yet";
  }
  asio::io_context io;
  std::shared_ptr<ReadyReads> reads = ReadyReads::create(io.get_executor());
  Pair pair{*reads};
  std::array<char, 64> space{};
  Read read;
};

TEST_F(ReadyReadsTest, AReadWaitsForItsSocketAndTakesWhatCame) {
  pair.send("HTTP/1.1 201 Created\r\n");
  io.run();  // returns once the read is over: nothing else keeps the run going
  EXPECT_TRUE(read.done);
  EXPECT_FALSE(read.ec) << read.ec.message();
  EXPECT_EQ(read.bytes, "HTTP/1.1 201 Created\r\n");
}

TEST(ReadyReads, ManyWaitingReadsEachTakeTheirOwnSocketsBytes) {
  asio::io_context io;
  auto reads = ReadyReads::create(io.get_executor());
  ASSERT_TRUE(reads);
  constexpr int n = 40;
  std::vector<std::unique_ptr<Pair>> pairs;
  std::vector<std::array<char, 64>> spaces(n);
  std::vector<Read> results(n);
  for (int i = 0; i < n; ++i) {
    pairs.push_back(std::make_unique<Pair>(*reads));
    start_read(*reads, *pairs[i], spaces[i], results[i]);
  }
  io.poll();
  // Answers come in another order than the requests left, some together.
  for (int i = n - 1; i >= 0; i -= 2) pairs[i]->send("answer " + std::to_string(i));
  io.poll();
  for (int i = n - 2; i >= 0; i -= 2) pairs[i]->send("answer " + std::to_string(i));
  io.run();
  for (int i = 0; i < n; ++i) {
    EXPECT_TRUE(results[i].done) << i;
    EXPECT_EQ(results[i].bytes, "answer " + std::to_string(i));
  }
}

TEST_F(ReadyReadsTest, WhatDoesNotFitIsLeftForTheNextReadWhichTakesItAtOnce) {
  reads->abort(pair.socket);  // the fixture's read takes 64 bytes; these take 4
  io.run();
  pair.send("0123456789");
  std::string all;
  for (int i = 0; i < 3; ++i) {
    Read part;
    start_read(*reads, pair, space, part, 4);
    io.restart();
    io.run();
    ASSERT_TRUE(part.done) << i;
    all += part.bytes;
  }
  EXPECT_EQ(all, "0123456789");
  // All taken: the next read waits for more.
  Read next;
  start_read(*reads, pair, space, next, 4);
  io.restart();
  io.poll();
  EXPECT_FALSE(next.done);
  pair.send("ab");
  io.run();
  EXPECT_EQ(next.bytes, "ab");
}

TEST_F(ReadyReadsTest, ThePeersCloseEndsAWaitingReadWithEndOfStream) {
  ::close(pair.peer);
  pair.peer = -1;
  io.run();
  EXPECT_TRUE(read.done);
  EXPECT_EQ(read.ec, asio::error::eof);
}

TEST_F(ReadyReadsTest, BytesAndTheCloseThatCameWithThemEndInTwoReads) {
  // An answer delimited by the close: its bytes and the end come in one
  // report, and the read after the bytes must not wait for another.
  pair.send("HTTP/1.0 200 OK\r\n\r\nthe body");
  ::close(pair.peer);
  pair.peer = -1;
  io.run_for(std::chrono::seconds(5));
  ASSERT_TRUE(read.done);
  EXPECT_EQ(read.bytes, "HTTP/1.0 200 OK\r\n\r\nthe body");
  Read end;
  start_read(*reads, pair, space, end);
  io.restart();
  io.run_for(std::chrono::seconds(5));
  ASSERT_TRUE(end.done) << "the close was reported with the bytes; no later report comes";
  EXPECT_EQ(end.ec, asio::error::eof);
}

TEST_F(ReadyReadsTest, AnAbortedReadEndsAndLeavesNothingToKeepTheRunGoing) {
  reads->abort(pair.socket);
  reads->abort(pair.socket);  // a second abort finds no read
  io.run();                   // would not return with the set's wait still pending
  EXPECT_TRUE(read.done);
  EXPECT_EQ(read.ec, asio::error::operation_aborted);
}

// The last waiting read aborted cancels the set's wait; a read started on
// another socket before that cancellation is delivered must still be woken
// when its bytes come (the cancelled wait, not the new read, arms the next).
TEST_F(ReadyReadsTest, AReadStartedWhileTheCancelledWaitIsDeliveredIsStillWoken) {
  reads->abort(pair.socket);
  Pair other{*reads};
  std::array<char, 64> other_space{};
  Read next;
  start_read(*reads, other, other_space, next);
  io.poll();
  ASSERT_TRUE(read.done);
  EXPECT_EQ(read.ec, asio::error::operation_aborted);
  ASSERT_FALSE(next.done) << "nothing came yet";
  other.send("HTTP/1.1 200 OK\r\n");
  io.restart();
  io.run_for(std::chrono::seconds(5));
  ASSERT_TRUE(next.done) << "the bytes came, and no wait was left on the set to report them";
  EXPECT_EQ(next.bytes, "HTTP/1.1 200 OK\r\n");
}

}  // namespace
}  // namespace ab
