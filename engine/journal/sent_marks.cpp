#include "engine/journal/sent_marks.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace ab {

namespace {

// Room is taken this much at a time: a page holds the marks of 16,000 rows
// at T1's groups, so a chunk lasts a million.
constexpr std::uint64_t chunk = 64 * 1024;
// The mapping is made once, this large (address space, not memory): a
// night past it marks in the sidecar, as without a marks file.
constexpr std::uint64_t most_slots = std::uint64_t{256} << 20;

std::string new_name() {
  std::random_device random;
  const std::uint64_t tag = (std::uint64_t{random()} << 32) ^ random();
  char hex[17];
  for (int i = 15; i >= 0; --i) hex[15 - i] = "0123456789abcdef"[(tag >> (i * 4)) & 0xf];
  hex[16] = '\0';
  return "audience-batch-" + std::to_string(::getpid()) + "-" + hex + ".marks";
}

}  // namespace

bool is_marks_file_name(std::string_view name) {
  return !name.empty() && name.size() <= 200 && name != "." && name != ".." &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                  c == '_';
         });
}

std::unique_ptr<SentMarks> SentMarks::create(const std::filesystem::path& directory) {
  const std::string name = new_name();
  const auto path = directory / name;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return nullptr;
  void* bytes = ::mmap(nullptr, most_slots, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (bytes == MAP_FAILED) {
    ::close(fd);
    ::unlink(path.c_str());
    return nullptr;
  }
  std::unique_ptr<SentMarks> marks(new SentMarks(name, fd, static_cast<unsigned char*>(bytes)));
  // A file system that cannot take room ahead could fail a store later, with SIGBUS.
  if (!marks->take_slot()) {
    marks.reset();
    ::unlink(path.c_str());
    return nullptr;
  }
  marks->next_ = 0;
  return marks;
}

SentMarks::SentMarks(std::string name, int fd, unsigned char* bytes)
    : name_(std::move(name)), fd_(fd), bytes_(bytes) {}

SentMarks::~SentMarks() {
  ::munmap(bytes_, most_slots);
  ::close(fd_);
}

std::optional<std::uint64_t> SentMarks::take_slot() {
  if (next_ == room_) {
    if (room_ + chunk > most_slots) return std::nullopt;
    int e;
    while ((e = ::posix_fallocate(fd_, static_cast<off_t>(room_), static_cast<off_t>(chunk))) == EINTR) {
    }
    if (e != 0) return std::nullopt;
    room_ += chunk;
  }
  return next_++;
}

std::optional<std::string> read_sent_marks(const std::filesystem::path& directory, std::string_view name) {
  if (!is_marks_file_name(name)) return std::nullopt;
  std::ifstream in(directory / std::string(name), std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return bytes;
}

void remove_sent_marks(const std::filesystem::path& directory, const std::vector<std::string>& names) {
  for (const auto& name : names)
    if (is_marks_file_name(name)) ::unlink((directory / name).c_str());
}

}  // namespace ab
