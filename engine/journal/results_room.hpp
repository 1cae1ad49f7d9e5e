// Room on disk for the answers of requests in flight (issue 21, a full
// disk). A request leaves only when the results file has room held ahead of
// its end for the final lines of every row whose request is out and of every
// line not yet written: blocks allocated beyond the file's end
// (fallocate KEEP_SIZE), which the lines then fill without asking the disk
// for more. When the disk cannot give that room, no new request leaves and
// the run stops (exit 3); the answers still coming land in the room held.
//
// A run that stopped for want of room keeps what it held (and the sidecar its
// zeros), so a rerun on a disk still full finds nothing free: it must get
// fresh room before anything is sent, or it refuses with exit 2.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace ab {

class JournalWriter;

// A final line's room, reckoned for a row whose answer has not come yet: an
// ok line is some 50 bytes, one with an error a few hundred.
inline constexpr std::uint64_t room_per_row = 256;

// Where the blocks a file holds end (beyond its size when room was held).
std::uint64_t allocated_end(int fd);
// Holds the bytes [from, to) of `fd` without changing its size: 0, or the
// errno (ENOSPC). A filesystem without fallocate holds nothing and says 0:
// there the guarantee is not given (docs/hostile-inputs.md).
int hold_bytes(int fd, std::uint64_t from, std::uint64_t to);
// Gives back what `fd` holds beyond its end.
void give_back_bytes(int fd);

// Before a run: `bytes` of room beyond whatever the results file already
// holds (creating it when missing). A reason to refuse the run, or nullopt.
std::optional<std::string> hold_fresh_room(const std::filesystem::path& results, std::uint64_t bytes);

// The gate requests pass (io thread only).
class ResultsRoom {
 public:
  // `waiting`: rows answered whose final lines wait elsewhere (--responses);
  // `row_extra`: bytes a final line may carry beyond room_per_row (--echo).
  ResultsRoom(JournalWriter& journal, std::function<std::size_t()> waiting,
              std::function<std::size_t()> row_extra = {})
      : journal_(journal), waiting_(std::move(waiting)), row_extra_(std::move(row_extra)) {}
  // A request carrying `rows` may leave: room is held for it and for every
  // row out before it. False: it must not leave (error() says why).
  bool before_send(std::size_t rows);
  // Its attempt ended (answered or not): its rows are no longer out.
  void after_attempt(std::size_t rows) { out_ -= rows; }
  const std::string& error() const { return error_; }
  bool refused() const { return !error_.empty(); }

 private:
  JournalWriter& journal_;
  std::function<std::size_t()> waiting_;
  std::function<std::size_t()> row_extra_;
  std::size_t out_ = 0;
  std::string error_;
};

}  // namespace ab
