#include "e2e/support/servers.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ab::e2e {

namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto a = loopback(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto a = loopback(0);
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("no free loopback port");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

ServerProcess::ServerProcess(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  pid_ = ::fork();
  if (pid_ == 0) {
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(out, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (::waitpid(pid_, &status, WNOHANG) == 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
}

bool ServerProcess::running() {
  int status = 0;
  return pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == 0;
}

std::optional<HttpReply> http_get(std::uint16_t port, const std::string& path) {
  const int fd = connect_to(port);
  if (fd < 0) return std::nullopt;
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return std::nullopt;
  }
  std::string answer;
  char buffer[8192];
  for (;;) {
    const auto n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  HttpReply reply;
  if (std::sscanf(answer.c_str(), "HTTP/%*d.%*d %u", &reply.status) != 1) return std::nullopt;
  const auto body = answer.find("\r\n\r\n");
  if (body != std::string::npos) reply.body = answer.substr(body + 4);
  return reply;
}

bool wait_for_listener(std::uint16_t port, std::chrono::milliseconds patience) {
  const auto until = std::chrono::steady_clock::now() + patience;
  while (std::chrono::steady_clock::now() < until) {
    const int fd = connect_to(port);
    if (fd >= 0) {
      ::close(fd);
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

ShellResult run_shell(const std::string& command) {
  ShellResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  const int status = ::pclose(pipe);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

Tinyproxy::Tinyproxy(const ScratchDir& dir, std::string password)
    : port_(free_loopback_port()), password_(std::move(password)), log_(dir.file("tinyproxy.log")) {
  write_file(dir.file("tinyproxy.conf"), "Port " + std::to_string(port_) +
                                             "\nListen 127.0.0.1\nTimeout 30\nMaxClients 100\nLogLevel Info\n"
                                             "LogFile \"" + log_.string() + "\"\nAllow 127.0.0.1\n"
                                             "BasicAuth alice " + password_ + "\n");
  process_.emplace(std::vector<std::string>{"/usr/bin/tinyproxy", "-d", "-c", dir.file("tinyproxy.conf").string()},
                   dir.file("tinyproxy.out"));
}

bool Tinyproxy::ready() { return wait_for_listener(port_, std::chrono::seconds(20)); }

std::string Tinyproxy::url(std::optional<std::string> password) const {
  return "http://alice:" + password.value_or(password_) + "@127.0.0.1:" + std::to_string(port_);
}

std::string Tinyproxy::log() const { return read_file(log_); }

}  // namespace ab::e2e
