// What a sent mark costs the io thread: 4-byte pwrites just behind the end
// of a file that another thread appends lines to and fdatasyncs in a loop,
// as the journal writer does with the sidecar (engine/journal/journal_writer.cpp).
//
//   build/bench/marks [DIR] [CHUNK...]    defaults: /tmp, 4096 65536 1048576
//
// For each CHUNK (the zeros written ahead of the lines at a time, as the
// sidecar's are), prints the marking thread's CPU per mark, alone and with
// the appender running. bench/README.md has the figures.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int marks = 100000;
constexpr std::size_t line_bytes = 1024;  // appended before each sync

double thread_cpu_us() {
  rusage r{};
  getrusage(RUSAGE_THREAD, &r);
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e6 +
         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

bool write_all(int fd, const char* data, std::size_t size, std::size_t at) {
  return ::pwrite(fd, data, size, static_cast<off_t>(at)) == static_cast<ssize_t>(size);
}

// CPU µs per mark; with `appender`, while a thread appends and syncs.
double measure(const std::string& path, std::size_t chunk, bool appender) {
  ::unlink(path.c_str());
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::perror(path.c_str());
    std::exit(1);
  }
  const std::vector<char> zeros(chunk, 0);
  const std::vector<char> lines(line_bytes, 'x');
  std::atomic<std::size_t> synced{0};
  std::atomic<bool> done{false};
  std::size_t allocated = 0;
  const auto append_and_sync = [&](std::size_t& end) {
    while (end + line_bytes > allocated) {
      if (!write_all(fd, zeros.data(), chunk, allocated)) std::exit(1);
      allocated += chunk;
    }
    if (!write_all(fd, lines.data(), line_bytes, end)) std::exit(1);
    end += line_bytes;
    ::fdatasync(fd);
    synced = end;
  };
  std::size_t end = 0;
  for (int i = 0; i < 8; ++i) append_and_sync(end);
  std::thread writer;
  if (appender)
    writer = std::thread([&, end]() mutable {
      while (!done) append_and_sync(end);
    });
  const double start = thread_cpu_us();
  for (int i = 0; i < marks; ++i) {
    // Behind the synced end, in the last page the appender writes back.
    const std::size_t at = appender ? synced.load() - 512 : static_cast<std::size_t>(i % 8) * line_bytes;
    if (!write_all(fd, "sent", 4, at)) std::exit(1);
  }
  const double used = thread_cpu_us() - start;
  done = true;
  if (writer.joinable()) writer.join();
  ::close(fd);
  ::unlink(path.c_str());
  return used / marks;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "/tmp";
  std::vector<std::size_t> chunks;
  for (int i = 2; i < argc; ++i) chunks.push_back(std::strtoul(argv[i], nullptr, 10));
  if (chunks.empty()) chunks = {4096, 65536, 1048576};
  const std::string path = dir + "/audience-batch-marks-bench";
  for (const auto chunk : chunks)
    std::printf("zeros %zu bytes at a time: %.2f us a mark alone, %.2f us beside an appender that syncs\n", chunk,
                measure(path, chunk, false), measure(path, chunk, true));
}
