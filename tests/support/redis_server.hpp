// A real redis-server for tests: started by the fixture on a free loopback
// port, with no persistence, and stopped by it. A missing or failing
// redis-server throws (the test fails, it is not skipped): the budget-store
// tests mean nothing without the real thing. With a certificate and its key
// it listens for TLS only (rediss://), clients unauthenticated unless a
// client CA is given too. Its wall clock may be set off the machine's
// (support/clock_offset.cpp), as another machine's may be.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace ab::test {

class RedisServer {
 public:
  RedisServer() : RedisServer({}, {}) {}
  // Its wall clock (TIME, its scripts') `clock_ahead` of the machine's, behind when negative.
  explicit RedisServer(std::chrono::microseconds clock_ahead) : clock_ahead_(clock_ahead) { start(); }
  // `client_ca`: clients must show a certificate these CAs signed (tls-auth-clients yes).
  RedisServer(std::filesystem::path tls_cert, std::filesystem::path tls_key, std::filesystem::path client_ca = {})
      : tls_cert_(std::move(tls_cert)), tls_key_(std::move(tls_key)), client_ca_(std::move(client_ca)) {
    start();
  }
  ~RedisServer() { stop(SIGTERM); }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return (tls_cert_.empty() ? "redis://" : "rediss://") + std::string("127.0.0.1:") + std::to_string(port_); }
  // Gone at once, as a crash or an OOM kill would leave it: nothing saved.
  void kill() { stop(SIGKILL); }
  // Back on the same port, empty.
  void start_again() {
    for (int attempt = 0; attempt < 50 && pid_ <= 0; ++attempt) {
      if (!launch()) {
        stop(SIGKILL);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    if (pid_ <= 0) throw std::runtime_error("redis-server did not start again on port " + std::to_string(port_));
  }

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::filesystem::path tls_cert_, tls_key_, client_ca_;
  std::chrono::microseconds clock_ahead_{0};

  void start() {
    for (int attempt = 0; attempt < 5 && pid_ <= 0; ++attempt) {
      port_ = free_port();
      if (!launch()) stop(SIGKILL);
    }
    if (pid_ <= 0) throw std::runtime_error("redis-server did not start on a loopback port (scripts/install-deps.sh installs it)");
  }

  static std::uint16_t free_port() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("no free loopback port");
    ::close(s);
    return ntohs(a.sin_port);
  }

  static bool accepts(std::uint16_t port) {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(s);
    return ok;
  }

  bool launch() {
    const std::string binary = "/usr/bin/redis-server";
    if (!std::filesystem::exists(binary)) throw std::runtime_error(binary + " is missing: scripts/install-deps.sh installs it");
    std::vector<std::string> args{binary, "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                  "--save", "", "--appendonly", "no", "--daemonize", "no",
                                  "--dir", std::filesystem::temp_directory_path().string(), "--loglevel", "warning"};
    if (!tls_cert_.empty()) {
      args[2] = "0";  // no plain port: a client that got through spoke TLS
      args.insert(args.end(), {"--tls-port", std::to_string(port_), "--tls-cert-file", tls_cert_.string(),
                               "--tls-key-file", tls_key_.string(), "--tls-ca-cert-file",
                               (client_ca_.empty() ? tls_cert_ : client_ca_).string(), "--tls-auth-clients",
                               client_ca_.empty() ? "no" : "yes"});
    }
    // Made before the fork: the child of a threaded test may not allocate.
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    if (clock_ahead_.count() != 0) {
      env.push_back(std::string("LD_PRELOAD=") + AB_CLOCK_OFFSET_LIB);
      env.push_back("AB_CLOCK_OFFSET_US=" + std::to_string(clock_ahead_.count()));
    }
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      ::dup2(null, 2);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {  // exited: the port was taken, or it cannot run
        pid_ = -1;
        return false;
      }
      if (accepts(port_)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  void stop(int signal) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
};

}  // namespace ab::test
