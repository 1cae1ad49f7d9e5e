// The directory the test process's runs keep their sent marks in: a tmpfs
// directory of its own that test_main.cpp makes and removes, named in
// AUDIENCE_BATCH_MARKS_DIR so that the binaries a test starts use it too.
// Runs made in the test process are given it (RunSettings::marks_directory).
#pragma once

#include <cstdlib>
#include <filesystem>

namespace ab::test {

inline std::filesystem::path marks_directory() {
  const char* dir = std::getenv("AUDIENCE_BATCH_MARKS_DIR");
  return dir && *dir ? std::filesystem::path(dir) : std::filesystem::path("/dev/shm");
}

}  // namespace ab::test
