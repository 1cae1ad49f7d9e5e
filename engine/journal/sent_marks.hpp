// Sent marks kept in memory that outlives the process: a file in a tmpfs
// (/dev/shm), mapped shared, one byte a group of intents. A store reaches the
// page cache at once, so a mark survives kill -9 as a pwrite into the sidecar
// does, without a syscall and without the write-protect faults a mapping of
// the sidecar takes at each of its syncs. Like such a pwrite it does not
// survive a reboot, and the loader trusts marks only from the boot it runs
// on (journal.hpp). Where no such file can be made, marks go to the sidecar.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ab {

// Where marks files are made unless a run says otherwise (RunSettings::marks_directory).
inline constexpr const char* default_marks_directory = "/dev/shm";

// Whether `name` may name a marks file: a plain name of letters, digits, '.',
// '-' and '_' (a sidecar line names it, and it is opened inside the directory).
bool is_marks_file_name(std::string_view name);

class SentMarks {
 public:
  // A new, empty marks file in `directory`, or null when one cannot be made
  // and mapped there (no such directory, no room, no shared mappings).
  static std::unique_ptr<SentMarks> create(const std::filesystem::path& directory);
  ~SentMarks();  // unmaps; the file stays for a rerun after a crash
  SentMarks(const SentMarks&) = delete;
  SentMarks& operator=(const SentMarks&) = delete;

  const std::string& name() const { return name_; }
  // The next group's byte, or nullopt when the file cannot grow (its room
  // is taken ahead, so that a store never meets a full tmpfs).
  std::optional<std::uint64_t> take_slot();
  // The group's request may leave: its byte becomes 1. Thread-safe for
  // distinct slots.
  void mark(std::uint64_t slot) { bytes_[slot] = 1; }

 private:
  SentMarks(std::string name, int fd, unsigned char* bytes);
  std::string name_;
  int fd_;
  unsigned char* bytes_;
  std::uint64_t room_ = 0;  // bytes allocated in the file
  std::uint64_t next_ = 0;  // the next slot to hand out
};

// The marks a file named `name` in `directory` holds: one byte a slot,
// nonzero when marked. nullopt when it is not there (a reboot emptied the
// tmpfs, or it was removed): then no mark of it can be trusted.
std::optional<std::string> read_sent_marks(const std::filesystem::path& directory, std::string_view name);

// Removes the named marks files, once no intent they mark can be looked at again.
void remove_sent_marks(const std::filesystem::path& directory, const std::vector<std::string>& names);

}  // namespace ab
