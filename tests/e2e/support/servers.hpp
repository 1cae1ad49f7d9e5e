// Real servers from Debian packages (a Prometheus Pushgateway, tinyproxy)
// that a test starts on a free loopback port and stops at its end.
#pragma once

#include "e2e/support/e2e.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ab::e2e {

// A port nobody listens on now (bound to 127.0.0.1:0, then released).
std::uint16_t free_loopback_port();

// A child process, its stdout and stderr in `log`; SIGTERM and reaped when it goes.
class ServerProcess {
 public:
  ServerProcess(const std::vector<std::string>& argv, const std::filesystem::path& log);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  bool running();

 private:
  pid_t pid_ = -1;
};

// Debian's tinyproxy on a free loopback port, its log and output in `dir`,
// asking user alice for `password`.
class Tinyproxy {
 public:
  Tinyproxy(const ScratchDir& dir, std::string password);
  // Whether it listens, within 20 s.
  bool ready();
  // http://alice:PASSWORD@127.0.0.1:PORT, with `password` (default: the one it asks for).
  std::string url(std::optional<std::string> password = std::nullopt) const;
  // Its log: each request it passed on, by method and URL.
  std::string log() const;

 private:
  std::uint16_t port_;
  std::string password_;
  std::filesystem::path log_;
  std::optional<ServerProcess> process_;
};

struct HttpReply {
  unsigned status = 0;
  std::string body;
};
// GET http://127.0.0.1:port/path (HTTP/1.0, no keep-alive); empty when nothing answered.
std::optional<HttpReply> http_get(std::uint16_t port, const std::string& path);

// True once something accepts connections on 127.0.0.1:port, within `patience`.
bool wait_for_listener(std::uint16_t port, std::chrono::milliseconds patience);

// `command` run by /bin/sh, its stdout and stderr together, and its exit code.
struct ShellResult {
  int exit_code = -1;
  std::string output;
};
ShellResult run_shell(const std::string& command);

}  // namespace ab::e2e
