#include "engine/journal/results_room.hpp"

#include "engine/journal/journal.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ab {

std::uint64_t allocated_end(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return 0;
  return std::max<std::uint64_t>(static_cast<std::uint64_t>(st.st_size), static_cast<std::uint64_t>(st.st_blocks) * 512);
}

int hold_bytes(int fd, std::uint64_t from, std::uint64_t to) {
  if (to <= from) return 0;
  while (::fallocate(fd, FALLOC_FL_KEEP_SIZE, static_cast<off_t>(from), static_cast<off_t>(to - from)) != 0) {
    if (errno == EINTR) continue;
    if (errno == EOPNOTSUPP || errno == ENOSYS) return 0;
    return errno;
  }
  return 0;
}

void give_back_bytes(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return;
  const auto size = static_cast<std::uint64_t>(st.st_size);
  const std::uint64_t held = allocated_end(fd);
  // tmpfs frees blocks beyond the end only when punched; ext4 punches
  // nothing beyond the end but truncating to the same size frees them.
  if (held > size)
    [[maybe_unused]] const int punched = ::fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                                                     static_cast<off_t>(size), static_cast<off_t>(held - size));
  [[maybe_unused]] const int truncated = ::ftruncate(fd, st.st_size);
}

std::optional<std::string> hold_fresh_room(const std::filesystem::path& results, std::uint64_t bytes) {
  const int fd = ::open(results.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return results.string() + ": " + std::strerror(errno);
  const std::uint64_t from = allocated_end(fd);
  const int error = hold_bytes(fd, from, from + bytes);
  ::close(fd);
  if (error == 0) return std::nullopt;
  return results.string() + ": " + std::strerror(error) +
         ": no room for the results of the requests a run sends; free space and run again (nothing was sent)";
}

bool ResultsRoom::before_send(std::size_t rows) {
  if (!error_.empty()) return false;
  const std::size_t waiting = waiting_ ? waiting_() : 0;
  const std::uint64_t per_row = room_per_row + (row_extra_ ? row_extra_() : 0);
  if (auto error = journal_.hold_room((out_ + waiting + rows) * per_row); !error.empty()) {
    error_ = std::move(error);
    return false;
  }
  out_ += rows;
  return true;
}

}  // namespace ab
