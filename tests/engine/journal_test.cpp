#include "engine/journal/journal.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <sys/mount.h>

namespace ab {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::HasSubstr;

const std::string header = std::string(results_header) + "\n";

class TempDir {
 public:
  TempDir() {
    std::string name = (fs::temp_directory_path() / "ab-journal-XXXXXX").string();
    if (!::mkdtemp(name.data())) throw std::runtime_error("mkdtemp failed");
    path_ = name;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void spit(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

RowResult result(RowStatus status, unsigned http, std::string id, unsigned attempts, std::string error = {}) {
  return RowResult{status, http, std::move(id), attempts, std::move(error)};
}

std::string load_error(const fs::path& results) {
  try {
    load_journal(results);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

// Counts on_durable calls by outcome; safe from the writer thread.
struct Durability {
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::function<void(bool)> callback() {
    return [this](bool durable) { ++(durable ? ok : failed); };
  }
};

// A rerun after a reboot: every intent counts, marked sent or not.
const std::string another_boot = "booted-again";
// What a writer starts its first intent with on this machine.
std::string boot_line() { return this_boot().empty() ? std::string() : "boot " + this_boot() + "\n"; }
// What a run starts its sidecar lines with: the journal's version.
const std::string version_line = "version " + std::to_string(journal_version) + "\n";

class JournalTest : public ::testing::Test {
 protected:
  TempDir dir;
  fs::path results = dir.path() / "job.results.csv";
  fs::path sidecar = sidecar_path(results);
};

TEST(JournalFormat, ResultLines) {
  EXPECT_EQ(format_result_line(3, result(RowStatus::ok, 201, "1234", 1)), "3,ok,201,1234,1,\n");
  // No answer, no status code.
  EXPECT_EQ(format_result_line(4, result(RowStatus::invalid, 0, "", 0, "segments: more than 10 leaves")),
            "4,invalid,,,0,segments: more than 10 leaves\n");
  EXPECT_EQ(format_result_line(5, result(RowStatus::unknown, 0, "", 2, "timed out")), "5,unknown,,,2,timed out\n");
}

TEST(JournalFormat, ResultFieldsAreQuotedWhenNeededAndKeptOnOneLine) {
  EXPECT_EQ(format_result_line(6, result(RowStatus::failed, 400, "a,b", 2, "HTTP 400: \"name\" is taken,\r\ntry again")),
            "6,failed,400,\"a,b\",2,\"HTTP 400: \"\"name\"\" is taken,  try again\"\n");
  EXPECT_EQ(format_result_line(7, result(RowStatus::failed, 500, "", 8, "line one\nline two")),
            "7,failed,500,,8,line one line two\n");
}

TEST(JournalFormat, SidecarLines) {
  const std::vector<std::size_t> rows{12, 13, 14};
  EXPECT_EQ(format_intent_line(rows), "intent 12 13 14\n");
  EXPECT_EQ(format_checkpoint_line(7, "a b%c\nd\xc3\xa9"), "checkpoint 7 a%20b%25c%0Ad%C3%A9\n");
  EXPECT_EQ(format_checkpoint_line(7, ""), "checkpoint 7 \n");
  EXPECT_EQ(format_checkpoint_line(8, "cursor=AbC~!"), "checkpoint 8 cursor=AbC~!\n");
}

TEST(JournalFormat, SidecarSitsBesideTheResults) {
  EXPECT_EQ(sidecar_path("out/x.results.csv"), fs::path("out/x.results.csv.journal"));
}

TEST_F(JournalTest, MissingFilesAreAnEmptyJournal) {
  const auto state = load_journal(results);
  EXPECT_FALSE(state.results_exists);
  EXPECT_FALSE(state.journal_exists);
  EXPECT_TRUE(state.final_rows.empty());
  EXPECT_TRUE(state.intents.empty());
  EXPECT_EQ(state.results_bytes, 0u);
}

TEST_F(JournalTest, RoundTrip) {
  Durability durability;
  {
    JournalWriter writer(results, load_journal(results));
    const std::vector<std::size_t> batch{3, 4, 5};
    writer.intent(batch, durability.callback());
    writer.final_line(1, result(RowStatus::ok, 200, "a1", 1));
    writer.final_line(2, result(RowStatus::failed, 403, "", 1, "HTTP 403: \"not, yours\"\nsee docs"));
    writer.final_line(3, result(RowStatus::unknown, 0, "", 3, "lost reply; check by name"));
    writer.checkpoint(6, "page 1", durability.callback());
    writer.checkpoint(6, "page 2%", durability.callback());
    writer.checkpoint(3, "x", durability.callback());
    EXPECT_TRUE(writer.commit());
    EXPECT_EQ(writer.error(), "");
  }
  EXPECT_EQ(durability.ok, 4);
  EXPECT_EQ(durability.failed, 0);
  EXPECT_TRUE(slurp(results).starts_with(header));

  const auto state = load_journal(results, another_boot);
  EXPECT_TRUE(state.results_exists);
  EXPECT_TRUE(state.journal_exists);
  EXPECT_EQ(state.final_rows, (std::unordered_set<std::size_t>{1, 2, 3}));
  EXPECT_EQ(state.intents, (std::unordered_set<std::size_t>{4, 5}));
  EXPECT_EQ(state.checkpoints, (std::unordered_map<std::size_t, std::string>{{6, "page 2%"}}));
  EXPECT_EQ(state.final_not_ok, 2u);
  EXPECT_EQ(state.results_bytes, fs::file_size(results));
  EXPECT_EQ(state.journal_bytes, fs::file_size(sidecar));
}

TEST_F(JournalTest, FinalsBeatIntentsAndTheLastCheckpointWins) {
  spit(results, header + "1,ok,200,a,1,\n5,failed,500,,8,x\n5,ok,200,b,9,\n");
  spit(sidecar, "intent 1 2\ncheckpoint 2 p1\ncheckpoint 1 z\nintent 3\ncheckpoint 2 p2\n");
  const auto state = load_journal(results);
  EXPECT_EQ(state.final_rows, (std::unordered_set<std::size_t>{1, 5}));
  EXPECT_EQ(state.intents, (std::unordered_set<std::size_t>{2, 3}));
  EXPECT_EQ(state.checkpoints, (std::unordered_map<std::size_t, std::string>{{2, "p2"}}));
  EXPECT_EQ(state.final_not_ok, 0u);  // row 5's last line is ok
}

TEST_F(JournalTest, TornTailsAreIgnoredAndCutAwayByTheWriter) {
  const std::string complete = header + "1,ok,200,a,1,\n";
  spit(results, complete + "2,ok,20");
  spit(sidecar, "intent 7\nintent 8 9");
  auto state = load_journal(results);
  EXPECT_EQ(state.final_rows, (std::unordered_set<std::size_t>{1}));
  EXPECT_EQ(state.intents, (std::unordered_set<std::size_t>{7}));
  EXPECT_EQ(state.results_bytes, complete.size());
  EXPECT_EQ(state.journal_bytes, std::string("intent 7\n").size());
  {
    JournalWriter writer(results, state);
    writer.final_line(3, result(RowStatus::ok, 200, "c", 1));
    const std::vector<std::size_t> rows{10};
    writer.intent(rows, [](bool) {});
  }
  EXPECT_EQ(slurp(results), complete + "3,ok,200,c,1,\n");
  EXPECT_EQ(slurp(sidecar), "intent 7\n" + version_line + boot_line() + "intent 10\nwait\n");
  state = load_journal(results, another_boot);
  EXPECT_EQ(state.final_rows, (std::unordered_set<std::size_t>{1, 3}));
  EXPECT_EQ(state.intents, (std::unordered_set<std::size_t>{7, 10}));
}

TEST_F(JournalTest, ATornHeaderIsWrittenAgain) {
  spit(results, "row,stat");
  const auto state = load_journal(results);
  EXPECT_TRUE(state.results_exists);
  EXPECT_EQ(state.results_bytes, 0u);
  { JournalWriter writer(results, state); }
  EXPECT_EQ(slurp(results), header);
}

TEST_F(JournalTest, AnEmptyResultsFileGetsTheHeader) {
  spit(results, "");
  { JournalWriter writer(results, load_journal(results)); }
  EXPECT_EQ(slurp(results), header);
}

TEST_F(JournalTest, SomeoneElsesFileIsRefusedNotTruncated) {
  spit(results, "name,value\n1,2\n");
  EXPECT_EQ(load_error(results), results.string() + " is not an audience-batch results file");
  spit(results, "hello");  // no line end: still not a torn header of ours
  EXPECT_EQ(load_error(results), results.string() + " is not an audience-batch results file");
  EXPECT_EQ(slurp(results), "hello");
}

TEST_F(JournalTest, AnUnparsableLineInTheMiddleIsNamed) {
  for (const std::string bad : {"2,maybe,200,a,1,", "2,ok,200,a,1", "x,ok,200,a,1,", "2,ok,200,\"a,1,",
                                "2,ok,2xx,a,1,", "2,ok,200,a\"b,1,", "2,ok,200,\"a\"b,1,"}) {
    spit(results, header + "1,ok,200,a,1,\n" + bad + "\n3,ok,200,b,1,\n");
    const std::string error = load_error(results);
    EXPECT_NE(error.find(results.string()), std::string::npos) << bad;
    EXPECT_NE(error.find("line 3"), std::string::npos) << bad << ": " << error;
  }
}

TEST_F(JournalTest, AnUnparsableSidecarLineIsNamed) {
  spit(results, header);
  for (const std::string bad : {"intent x", "checkpoint 1", "checkpoint 1 a b", "checkpoint 1 %4", "flush 3"}) {
    spit(sidecar, "intent 1\n" + bad + "\n");
    const std::string error = load_error(results);
    EXPECT_NE(error.find(sidecar.string() + " line 2"), std::string::npos) << bad << ": " << error;
  }
}

TEST_F(JournalTest, ADirectoryOrDeviceIsNotAResultsFile) {
  fs::create_directory(results);
  EXPECT_NE(load_error(results).find("not a regular file"), std::string::npos);
}

TEST_F(JournalTest, HardFieldsRoundTripAsOneLineEach) {
  const std::vector<std::string> values{"", " ", "%41", "a\nb", "\xff\x01", "cursor=abc==", "a,\"b\""};
  Durability durability;
  {
    JournalWriter writer(results, load_journal(results));
    for (std::size_t row = 0; row < values.size(); ++row) {
      writer.final_line(row + 1, result(RowStatus::failed, 400, values[row], 1, values[row]));
      writer.checkpoint(row + 100, values[row], durability.callback());
    }
  }
  const auto state = load_journal(results);
  EXPECT_EQ(state.final_rows.size(), values.size());
  for (std::size_t row = 0; row < values.size(); ++row) EXPECT_EQ(state.checkpoints.at(row + 100), values[row]);
  // One line per result, plus the header.
  const std::string text = slurp(results);
  EXPECT_EQ(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')), values.size() + 1);
}

TEST_F(JournalTest, ManyIntentsFromSeveralThreadsAreAllDurable) {
  constexpr std::size_t threads = 4;
  constexpr std::size_t per_thread = 200;
  Durability durability;
  {
    JournalWriter writer(results, load_journal(results));
    std::vector<std::thread> senders;
    for (std::size_t t = 0; t < threads; ++t) {
      senders.emplace_back([&, t] {
        for (std::size_t i = 0; i < per_thread; ++i) {
          const std::vector<std::size_t> rows{1 + t * per_thread + i};
          writer.intent(rows, durability.callback());
        }
      });
    }
    for (auto& sender : senders) sender.join();
    EXPECT_TRUE(writer.commit());
  }
  EXPECT_EQ(durability.ok, static_cast<int>(threads * per_thread));
  EXPECT_EQ(load_journal(results, another_boot).intents.size(), threads * per_thread);
}

TEST_F(JournalTest, IntentsQueuedDuringOneSyncShareTheNext) {
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  Durability durability;
  JournalWriter writer(results, load_journal(results));
  EXPECT_TRUE(writer.commit());  // the new results file's header
  const auto syncs_at_start = writer.syncs();
  const std::vector<std::size_t> first{1};
  // The first intent's callback holds the writer thread until the rest are queued.
  writer.intent(first, [&](bool ok) {
    EXPECT_TRUE(ok);
    entered.set_value();
    released.wait();
  });
  entered.get_future().wait();
  for (std::size_t row = 2; row <= 501; ++row) {
    const std::vector<std::size_t> rows{row};
    writer.intent(rows, durability.callback());
  }
  release.set_value();
  EXPECT_TRUE(writer.commit());
  EXPECT_EQ(writer.syncs() - syncs_at_start, 2u);  // 501 intents, two fdatasyncs
}

// Gathered intents wait until the number asked for has come, then share one
// sync; a commit does not wait for them; the longest wait ends a gathering
// (not timed here: only that it ends).
TEST_F(JournalTest, GatheredIntentsShareOneSync) {
  JournalWriter writer(results, load_journal(results));
  EXPECT_TRUE(writer.commit());  // the new results file's header
  const auto syncs_at_start = writer.syncs();
  writer.gather_intents(3, std::chrono::hours(1));
  std::atomic<int> durable{0};
  const auto count = [&](bool ok) {
    EXPECT_TRUE(ok);
    ++durable;
  };
  const std::vector<std::size_t> one{1}, two{2}, three{3}, four{4}, five{5};
  writer.intent(one, count);
  writer.intent(two, count);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(durable.load(), 0);  // two of three: they wait (for up to an hour)
  EXPECT_EQ(writer.syncs(), syncs_at_start);
  std::promise<void> third;
  writer.intent(three, [&](bool ok) {
    count(ok);
    third.set_value();
  });
  third.get_future().wait();
  EXPECT_EQ(durable.load(), 3);
  EXPECT_EQ(writer.syncs() - syncs_at_start, 1u);

  writer.intent(four, count);
  EXPECT_TRUE(writer.commit());
  EXPECT_EQ(durable.load(), 4);

  writer.gather_intents(100, std::chrono::milliseconds(5));
  std::promise<bool> alone;
  writer.intent(five, [&](bool ok) { alone.set_value(ok); });
  EXPECT_TRUE(alone.get_future().get());
  EXPECT_EQ(load_journal(results, another_boot).intents.size(), 5u);
}

TEST_F(JournalTest, CommitWritesFinalLinesWithoutWaitingForTheInterval) {
  JournalWriter writer(results, load_journal(results), std::chrono::hours(1));
  writer.final_line(9, result(RowStatus::ok, 200, "z", 1));
  EXPECT_TRUE(writer.commit());
  EXPECT_EQ(slurp(results), header + "9,ok,200,z,1,\n");
}

// An intent is on a request's path, a final line is not: intents among final
// lines are each synced at once, without syncing the results file each time.
// The final lines are written at once all the same (a full disk must find
// them already holding their room), and synced when their interval is up.
// They are written after their cycle's intent callbacks (the rows those
// release need not wait for it): one more intent's callback comes after them.
TEST_F(JournalTest, IntentsDoNotWaitForTheResultsFileToSync) {
  JournalWriter writer(results, load_journal(results), std::chrono::hours(1));
  EXPECT_TRUE(writer.commit());  // the new results file's header
  const auto syncs_at_start = writer.syncs();
  const auto intent_synced = [&](std::size_t row) {
    std::promise<bool> durable;
    const std::vector<std::size_t> rows{row};
    writer.intent(rows, [&](bool ok) { durable.set_value(ok); });
    return durable.get_future().get();
  };
  for (std::size_t row = 1; row <= 20; ++row) {
    writer.final_line(row, result(RowStatus::ok, 200, "id", 1));
    EXPECT_TRUE(intent_synced(100 + row));
  }
  EXPECT_TRUE(intent_synced(200));
  EXPECT_EQ(writer.syncs() - syncs_at_start, 21u);  // the sidecar's, one per intent
  EXPECT_EQ(load_journal(results).final_rows.size(), 20u);  // written, not yet synced
  EXPECT_TRUE(writer.commit());
  EXPECT_EQ(writer.syncs() - syncs_at_start, 22u);
}

// A new results file's header is synced by the writer thread on its own,
// with no commit asked for: the run's first requests do not wait for it.
TEST_F(JournalTest, ANewResultsFilesHeaderIsSyncedWithoutACommit) {
  JournalWriter writer(results, load_journal(results), std::chrono::hours(1));
  for (int i = 0; i < 500 && writer.syncs() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(writer.syncs(), 1u);
  EXPECT_EQ(slurp(results), header);
}

// A clock that starts a few milliseconds after its epoch, as the monotonic
// clock of a machine booted moments ago does: no deadline of the writer may
// be reckoned from the epoch (a sentinel at time_point{} plus an hour's
// interval would be an hour away here).
TEST_F(JournalTest, AClockNearItsEpochStillSyncsTheHeaderAtOnceAndFinalLinesWhenDue) {
  const auto started = std::chrono::steady_clock::now();
  const auto near_epoch = [started] { return SteadyTime{} + 5ms + (std::chrono::steady_clock::now() - started); };
  JournalWriter writer(results, load_journal(results), std::chrono::milliseconds(200), near_epoch);
  for (int i = 0; i < 500 && writer.syncs() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(writer.syncs(), 1u);
  writer.final_line(1, result(RowStatus::ok, 200, "id", 1));
  // Synced on its own clock, 200 ms on, with no commit asked for.
  for (int i = 0; i < 500 && writer.syncs() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(writer.syncs(), 2u);
  EXPECT_EQ(load_journal(results).final_rows.size(), 1u);
}

// The run creates the sidecar while it logs in. Left empty (a kind that
// sends nothing twice-unsafe), it is removed at the end; with a line, kept.
TEST_F(JournalTest, APreparedSidecarIsRemovedWhenNothingWasWrittenToIt) {
  {
    JournalWriter writer(results, load_journal(results));
    writer.prepare_sidecar();
    for (int i = 0; i < 500 && !std::filesystem::exists(sidecar); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_TRUE(std::filesystem::exists(sidecar));
    writer.final_line(1, result(RowStatus::ok, 200, "a", 1));
  }
  EXPECT_FALSE(std::filesystem::exists(sidecar));
  EXPECT_EQ(load_journal(results).final_rows.size(), 1u);
}

TEST_F(JournalTest, APreparedSidecarKeepsItsIntentsAndLosesItsZeros) {
  {
    JournalWriter writer(results, load_journal(results));
    writer.prepare_sidecar();
    std::promise<bool> durable;
    const std::vector<std::size_t> rows{4, 5};
    writer.intent(rows, [&](bool ok) { durable.set_value(ok); });
    EXPECT_TRUE(durable.get_future().get());
  }
  EXPECT_EQ(slurp(sidecar), version_line + boot_line() + "intent 4 5\nwait\n");
  const auto state = load_journal(results, another_boot);
  EXPECT_TRUE(state.intents.contains(4));
  EXPECT_TRUE(state.intents.contains(5));
}

// The sidecar writes its zeros ahead of its lines. A crash leaves them, or
// leaves zeros where a write had not landed: the first NUL ends the journal,
// since nothing after it was ever synced, and the next writer cuts it off.
TEST_F(JournalTest, ZerosLeftByACrashEndTheSidecarAndAreCutAway) {
  spit(results, header);
  spit(sidecar, "intent 7\n" + std::string(4096, '\0'));
  auto state = load_journal(results);
  EXPECT_EQ(state.intents, (std::unordered_set<std::size_t>{7}));
  EXPECT_EQ(state.journal_bytes, std::string("intent 7\n").size());

  spit(sidecar, "intent 7\n" + std::string(100, '\0') + "intent 8\n" + std::string(10, '\0'));
  state = load_journal(results);
  EXPECT_EQ(state.intents, (std::unordered_set<std::size_t>{7})) << "an intent past a hole was never synced";
  Durability durability;
  {
    JournalWriter writer(results, state);
    const std::vector<std::size_t> rows{10};
    writer.intent(rows, durability.callback());
    EXPECT_TRUE(writer.commit());
    EXPECT_GT(fs::file_size(sidecar), 1000u) << "zeros are written ahead while the run goes on";
    EXPECT_EQ(load_journal(results, another_boot).intents, (std::unordered_set<std::size_t>{7, 10}));
  }
  EXPECT_EQ(durability.ok, 1);
  EXPECT_EQ(slurp(sidecar), "intent 7\n" + version_line + boot_line() + "intent 10\nwait\n")
      << "a clean close cuts the zeros off";
}

// A group's "wait" becomes "sent" before its first request leaves. On the
// same boot a rerun counts only marked groups (kill -9 kept every mark in the
// page cache); after a reboot, or with no boot known, every intent counts.
TEST_F(JournalTest, MarksSayWhichIntentsMayHaveBeenSent) {
  {
    JournalWriter writer(results, load_journal(results));
    writer.mark_groups(2);
    writer.gather_intents(3, std::chrono::hours(1));  // the three in one commit
    std::vector<std::shared_ptr<SendMark>> marks;
    std::vector<std::future<bool>> durable;
    for (std::size_t row = 1; row <= 3; ++row) {
      auto promise = std::make_shared<std::promise<bool>>();
      durable.push_back(promise->get_future());
      const std::vector<std::size_t> rows{row};
      marks.push_back(writer.intent(rows, [promise](bool ok) { promise->set_value(ok); }));
    }
    for (auto& d : durable) ASSERT_TRUE(d.get());
    EXPECT_EQ(marks[0], marks[1]) << "rows 1 and 2 share a group";
    EXPECT_NE(marks[1], marks[2]);
    EXPECT_TRUE(writer.mark_sent(*marks[1]));
    EXPECT_TRUE(writer.mark_sent(*marks[1])) << "once a group";
    EXPECT_TRUE(marks[1]->written);
  }
  EXPECT_EQ(slurp(sidecar), version_line + boot_line() + "intent 1\nintent 2\nsent\nintent 3\nwait\n");
  if (this_boot().empty()) GTEST_SKIP() << "no boot id on this system: every intent counts";
  EXPECT_EQ(load_journal(results).intents, (std::unordered_set<std::size_t>{1, 2}));
  EXPECT_EQ(load_journal(results, another_boot).intents, (std::unordered_set<std::size_t>{1, 2, 3}));
  EXPECT_EQ(load_journal(results, "").intents, (std::unordered_set<std::size_t>{1, 2, 3}));
}

// A mark must never reach the disk ahead of the result lines handed before
// it: the row whose send place the marked row took would count twice.
TEST_F(JournalTest, AMarkWritesTheLinesHandedBeforeIt) {
  JournalWriter writer(results, load_journal(results), std::chrono::hours(1));
  EXPECT_TRUE(writer.commit());  // the header
  std::promise<bool> durable;
  const std::vector<std::size_t> rows{2};
  auto mark = writer.intent(rows, [&](bool ok) { durable.set_value(ok); });
  ASSERT_TRUE(durable.get_future().get());
  writer.final_line(1, result(RowStatus::ok, 200, "a1", 1));
  ASSERT_TRUE(writer.mark_sent(*mark));
  // Written before the mark, not at the writer's next commit an hour away.
  EXPECT_EQ(slurp(results), header + "1,ok,200,a1,1,\n");
  EXPECT_NE(slurp(sidecar).find("intent 2\nsent\n"), std::string::npos);
}

// Intents made durable together, `per_group` to a mark, and their marks.
std::vector<std::shared_ptr<SendMark>> durable_intents(JournalWriter& writer, std::size_t rows, std::size_t per_group) {
  writer.mark_groups(per_group);
  writer.gather_intents(rows, std::chrono::hours(1));  // all in one commit
  std::vector<std::shared_ptr<SendMark>> marks;
  std::vector<std::future<bool>> durable;
  for (std::size_t row = 1; row <= rows; ++row) {
    auto promise = std::make_shared<std::promise<bool>>();
    durable.push_back(promise->get_future());
    const std::vector<std::size_t> one{row};
    marks.push_back(writer.intent(one, [promise](bool ok) { promise->set_value(ok); }));
  }
  for (auto& d : durable) EXPECT_TRUE(d.get());
  return marks;
}

std::vector<std::string> files_in(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) names.push_back(entry.path().filename().string());
  return names;
}

// With a marks file, a group's mark is a byte of it, stored without a
// syscall; the sidecar names the file and each group's byte. A rerun on the
// same boot reads the bytes: only marked groups count. A run that ended
// every row removes the files.
TEST_F(JournalTest, MarksKeptInAFileOfTheirOwnSayWhichIntentsMayHaveBeenSent) {
  TempDir marks_directory;
  {
    JournalWriter writer(results, load_journal(results, this_boot(), marks_directory.path()));
    writer.keep_sent_marks_in(marks_directory.path());
    const auto marks = durable_intents(writer, 3, 2);
    EXPECT_TRUE(writer.mark_sent(*marks[1]));
    EXPECT_TRUE(marks[1]->written);
  }
  const auto names = files_in(marks_directory.path());
  ASSERT_EQ(names.size(), 1u) << "a killed run leaves its marks file";
  EXPECT_TRUE(is_marks_file_name(names[0])) << names[0];
  EXPECT_EQ(slurp(sidecar), version_line + boot_line() + "marks " + names[0] +
                                "\nintent 1\nintent 2\nmark 0\nintent 3\nmark 1\n");
  const std::string bytes = slurp(marks_directory.path() / names[0]);
  ASSERT_GE(bytes.size(), 2u);
  EXPECT_EQ(bytes[0], 1);
  EXPECT_EQ(bytes[1], 0);

  auto state = load_journal(results, this_boot(), marks_directory.path());
  EXPECT_EQ(state.marks_files, names);
  if (!this_boot().empty()) {
    EXPECT_EQ(state.intents, (std::unordered_set<std::size_t>{1, 2}));
  }
  EXPECT_EQ(load_journal(results, another_boot, marks_directory.path()).intents,
            (std::unordered_set<std::size_t>{1, 2, 3}));
  TempDir elsewhere;  // the file gone: no mark can be trusted
  EXPECT_EQ(load_journal(results, this_boot(), elsewhere.path()).intents, (std::unordered_set<std::size_t>{1, 2, 3}));

  // A rerun that ends every row removes its own file and the earlier ones.
  {
    JournalWriter writer(results, state);
    writer.keep_sent_marks_in(marks_directory.path());
    durable_intents(writer, 1, 1);
    EXPECT_EQ(files_in(marks_directory.path()).size(), 2u);
    writer.drop_sent_marks(marks_directory.path(), state.marks_files);
  }
  EXPECT_TRUE(files_in(marks_directory.path()).empty());
}

// Where no marks file can be made, marks go to the sidecar as "wait" lines
// turned into "sent".
TEST_F(JournalTest, WithNoMarksFileToBeHadMarksGoToTheSidecar) {
  {
    JournalWriter writer(results, load_journal(results));
    writer.keep_sent_marks_in(dir.path() / "no such directory");
    const auto marks = durable_intents(writer, 1, 1);
    EXPECT_TRUE(writer.mark_sent(*marks[0]));
  }
  EXPECT_EQ(slurp(sidecar), version_line + boot_line() + "intent 1\nsent\n");
}

TEST(SentMarks, RoomIsTakenAheadAsSlotsAreHandedOut) {
  TempDir directory;
  auto marks = SentMarks::create(directory.path());
  ASSERT_TRUE(marks);
  std::uint64_t last = 0;
  for (int i = 0; i < 70'000; ++i) {  // past the first chunk of room
    const auto slot = marks->take_slot();
    ASSERT_TRUE(slot);
    ASSERT_EQ(*slot, static_cast<std::uint64_t>(i));
    last = *slot;
  }
  marks->mark(last);
  const auto bytes = read_sent_marks(directory.path(), marks->name());
  ASSERT_TRUE(bytes);
  ASSERT_GT(bytes->size(), last);
  EXPECT_EQ((*bytes)[last], 1);
  EXPECT_EQ(std::count(bytes->begin(), bytes->end(), '\0'), static_cast<std::ptrdiff_t>(bytes->size() - 1));
  EXPECT_FALSE(read_sent_marks(directory.path(), "gone.marks"));
  EXPECT_FALSE(read_sent_marks(directory.path(), "../" + marks->name())) << "a name, not a path";
}

TEST(JournalLoad, GroupsCountByTheirMarkAndTheBootTheyWereWrittenOn) {
  TempDir dir;
  const auto results = dir.path() / "r.csv";
  spit(results, header + "9,ok,200,x,1,\n");
  spit(sidecar_path(results),
       "boot A\nintent 1\nwait\nintent 2\nrows 1 a\nintent 9\nsent\n"  // a rows line inside a group
       "boot B\nintent 3\nintent 5\nrelease 5\nwait\nintent 4\n");       // no mark: a torn commit
  EXPECT_EQ(load_journal(results, "A").intents, (std::unordered_set<std::size_t>{2, 3, 4}));
  EXPECT_EQ(load_journal(results, "B").intents, (std::unordered_set<std::size_t>{1, 2, 4}));
  EXPECT_EQ(load_journal(results, "").intents, (std::unordered_set<std::size_t>{1, 2, 3, 4}));
  // Journals from before marks: every intent counts, on any boot.
  spit(sidecar_path(results), "intent 1\nintent 2\nrelease 2\n");
  EXPECT_EQ(load_journal(results, "A").intents, (std::unordered_set<std::size_t>{1}));
  for (const std::string bad : {"wait 1", "sent x", "boot", "boot a b"}) {
    spit(sidecar_path(results), "intent 1\n" + bad + "\n");
    EXPECT_THROW(load_journal(results), std::runtime_error) << bad;
  }
}

// A `mark SLOT` line closes its group with the byte of the file the last
// `marks` line names: zero on this boot, the group's requests never left.
TEST(JournalLoad, AGroupsMarkIsItsByteInTheFileNamed) {
  TempDir dir, marks_directory;
  const auto results = dir.path() / "r.csv";
  spit(results, header);
  spit(marks_directory.path() / "m1.marks", std::string("\1\0", 2));
  spit(sidecar_path(results),
       "boot A\nmarks m1.marks\nintent 1\nmark 0\nintent 2\nmark 1\nintent 3\nmark 7\n"  // 7: past its end
       "marks gone.marks\nintent 4\nmark 0\n");                                           // no such file
  EXPECT_EQ(load_journal(results, "A", marks_directory.path()).intents, (std::unordered_set<std::size_t>{1, 3, 4}));
  EXPECT_EQ(load_journal(results, "B", marks_directory.path()).intents,
            (std::unordered_set<std::size_t>{1, 2, 3, 4}));
  EXPECT_EQ(load_journal(results, "A", marks_directory.path()).marks_files,
            (std::vector<std::string>{"m1.marks", "gone.marks"}));
  for (const std::string bad : {"mark", "mark x", "mark 1 2", "marks", "marks ../m1.marks", "marks a/b", "marks a b"}) {
    spit(sidecar_path(results), "intent 1\n" + bad + "\n");
    EXPECT_THROW(load_journal(results, "A", marks_directory.path()), std::runtime_error) << bad;
  }
}

// A downgrade in the middle of a night: the older binary must refuse the
// newer one's journal before sending anything, and say why.
TEST(JournalLoad, ALineOfAnotherVersionIsRefusedAndNamed) {
  TempDir dir;
  const auto results = dir.path() / "r.csv";
  spit(results, header);
  const auto refusal = [&](const std::string& lines) {
    spit(sidecar_path(results), lines);
    try {
      load_journal(results);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("loaded");
  };
  EXPECT_THAT(refusal("intent 1\nlease 1 30s\n"),
              AllOf(HasSubstr("line 2: \"lease\" is not a line this version of audience-batch writes"),
                    HasSubstr("another version")));
  EXPECT_THAT(refusal("intent 1\nintent x\n"), HasSubstr("line 2: not a valid \"intent\" line"));
  // A later version says which: even lines this one knows may mean more there.
  EXPECT_THAT(refusal(version_line + "intent 1\nwait\nversion " + std::to_string(journal_version + 1) +
                      "\nintent 2\nwait\n"),
              AllOf(HasSubstr("line 4: written by a later version of audience-batch (journal version " +
                              std::to_string(journal_version + 1) + "; this one reads versions up to " +
                              std::to_string(journal_version) + ")"),
                    HasSubstr("finish the night with the version that began it")));
  EXPECT_THAT(refusal("version two\n"), HasSubstr("line 1: not a valid \"version\" line"));
  EXPECT_THAT(refusal("version\n"), HasSubstr("line 1: not a valid \"version\" line"));
  EXPECT_EQ(refusal("version 1\nintent 1\n" + version_line + "intent 2\nwait\n"), "loaded")
      << "this version's and earlier ones' are read";
}

// Every run's lines begin with the version, the first run's and a rerun's.
TEST_F(JournalTest, EachRunsSidecarLinesBeginWithTheVersion) {
  for (const std::size_t row : {1, 2}) {
    JournalWriter writer(results, load_journal(results));
    writer.note(format_header_line(0xabc));
    std::promise<bool> durable;
    const std::vector<std::size_t> rows{row};
    writer.intent(rows, [&](bool ok) { durable.set_value(ok); });
    ASSERT_TRUE(durable.get_future().get());
  }
  const std::string header_line = format_header_line(0xabc);
  EXPECT_EQ(slurp(sidecar), version_line + header_line + boot_line() + "intent 1\nwait\n" + version_line +
                                header_line + boot_line() + "intent 2\nwait\n");
  EXPECT_EQ(load_journal(results, another_boot).intents, (std::unordered_set<std::size_t>{1, 2}));
}

TEST_F(JournalTest, TheDestructorWritesWhatIsPending) {
  {
    JournalWriter writer(results, load_journal(results), std::chrono::hours(1));
    writer.final_line(9, result(RowStatus::ok, 200, "z", 1));
  }
  EXPECT_EQ(slurp(results), header + "9,ok,200,z,1,\n");
}

TEST_F(JournalTest, TheSidecarIsOnlyCreatedWhenNeeded) {
  { JournalWriter writer(results, load_journal(results)); }
  EXPECT_FALSE(fs::exists(sidecar));
}

TEST_F(JournalTest, ASecondWriterOnTheSameFileIsRefused) {
  JournalWriter first(results, load_journal(results));
  try {
    JournalWriter second(results, load_journal(results));
    FAIL() << "a second writer was allowed";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), results.string() + " is in use by another audience-batch run");
  }
}

TEST_F(JournalTest, AFileThatChangedSinceItWasLoadedIsRefused) {
  const auto missing = load_journal(results);
  spit(results, header + "1,ok,200,a,1,\n");
  EXPECT_THROW(JournalWriter(results, missing), std::runtime_error);
  const auto loaded = load_journal(results);
  spit(results, header);
  EXPECT_THROW(JournalWriter(results, loaded), std::runtime_error);
  EXPECT_EQ(slurp(results), header);
}

// /dev/full fails every write with ENOSPC: the sidecar pointing at it makes
// the first intent fail deterministically.
TEST_F(JournalTest, AWriteErrorIsReportedAndNothingEarlierIsLost) {
  {
    JournalWriter writer(results, load_journal(results));
    writer.final_line(1, result(RowStatus::ok, 200, "a", 1));
    writer.final_line(2, result(RowStatus::ok, 200, "b", 1));
  }
  const auto state = load_journal(results);
  fs::create_symlink("/dev/full", sidecar);
  Durability durability;
  {
    JournalWriter writer(results, state);
    writer.final_line(3, result(RowStatus::ok, 200, "c", 1));
    const std::vector<std::size_t> rows{4};
    writer.intent(rows, durability.callback());
    EXPECT_FALSE(writer.commit());
    EXPECT_EQ(writer.error(), sidecar.string() + ": No space left on device");
    writer.final_line(5, result(RowStatus::ok, 200, "e", 1));
    writer.intent(rows, durability.callback());
    EXPECT_FALSE(writer.commit());
  }
  EXPECT_EQ(durability.ok, 0);
  EXPECT_EQ(durability.failed, 2);
  fs::remove(sidecar);
  // Row 3 ended before the error and still went out; row 5 came after it
  // and goes out too: a sidecar error stops new requests, not the results of
  // those already sent (issue 21: every answer received is on disk).
  EXPECT_EQ(load_journal(results).final_rows, (std::unordered_set<std::size_t>{1, 2, 3, 5}));
}

// A real full disk: a 64 KiB tmpfs fills up in the middle of the results file.
TEST_F(JournalTest, AFullDiskStopsWritingAndKeepsEverythingCommitted) {
  const fs::path mount_point = dir.path() / "tiny";
  fs::create_directory(mount_point);
  if (::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=64k") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno) << "); the /dev/full test covers ENOSPC";
  }
  struct Unmount {
    fs::path at;
    ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
  } unmount{mount_point};

  const fs::path file = mount_point / "job.results.csv";
  std::unordered_set<std::size_t> committed;
  std::string error;
  Durability durability;
  {
    JournalWriter writer(file, load_journal(file));
    std::size_t row = 0;
    for (int round = 0; round < 10'000 && error.empty(); ++round) {
      std::vector<std::size_t> batch;
      for (int i = 0; i < 25; ++i) {
        batch.push_back(++row);
        writer.final_line(row, result(RowStatus::failed, 500, "", 8, "HTTP 500 (gave up after 8 attempts)"));
      }
      if (writer.commit()) {
        committed.insert(batch.begin(), batch.end());
      } else {
        error = writer.error();
      }
    }
    const std::vector<std::size_t> rows{row + 1};
    writer.intent(rows, durability.callback());
  }
  EXPECT_EQ(error, file.string() + ": No space left on device");
  EXPECT_FALSE(committed.empty());
  EXPECT_EQ(durability.failed, 1);
  const auto state = load_journal(file);  // a torn last line is no obstacle
  for (std::size_t row : committed) EXPECT_TRUE(state.final_rows.contains(row)) << row;
  EXPECT_LE(state.results_bytes, fs::file_size(file));
}

}  // namespace
}  // namespace ab
