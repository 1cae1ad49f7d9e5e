#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // The runs a test makes (in this process, or the binary it starts) keep
  // their sent marks in a tmpfs directory of this process's own, removed at
  // the end: a run a test kills leaves its marks file behind, as it should.
  std::string marks_directory;
  if (!std::getenv("AUDIENCE_BATCH_MARKS_DIR")) {
    std::string pattern = "/dev/shm/audience-batch-tests-XXXXXX";
    if (::mkdtemp(pattern.data())) {
      marks_directory = pattern;
      ::setenv("AUDIENCE_BATCH_MARKS_DIR", marks_directory.c_str(), 1);
    }
  }
  const int result = RUN_ALL_TESTS();
  std::error_code ignored;
  if (!marks_directory.empty()) std::filesystem::remove_all(marks_directory, ignored);
  return result;
}
