// The results file is the journal (SPEC.md §5). Beside it, `<results>.journal`
// holds what must survive a crash but is not a result: the intent to send a
// request that must not be sent twice, and checkpoints inside long rows
// (tw.list's cursor). Loading both tells a rerun which rows are final, which
// may have been sent, and where a long row stopped.
//
// Durability: a final line may be lost in a crash (the row is simply sent
// again, which is safe because non-replay-safe rows also have an intent); an
// intent must be on disk before its request is sent. JournalWriter therefore
// group-commits: one writer thread appends whatever is pending and fdatasyncs,
// so that N concurrent intents cost one sync, not N.
//
// Cadence: an intent or checkpoint wakes the writer at once (with
// gather_intents: once enough have come, or the first has waited long
// enough), and whatever arrives while it writes and syncs joins the next batch. Intents are synced
// before their request is sent (the caller awaits on_durable). Final lines
// are written with the next batch but synced on their own clock, within
// `commit_interval` (50 ms): an intent never waits for the results file's
// sync. commit() (at shutdown, and in the destructor) syncs what is left, so
// a final line is never dropped silently: if it cannot be written, error()
// says so.
//
// Sent marks: intents are synced ahead of their requests, and a request
// leaves only after mark_sent() marked its group: a byte of the run's marks
// file (sent_marks.hpp, a store into a shared mapping of a tmpfs file, named
// by a `marks NAME` line, the group closed by `mark SLOT`), or where there
// is none, the group's "wait" line, written and synced with the intents,
// turned into "sent" (a pwrite into the page cache). Neither is synced. A
// rerun on the same boot (a `boot` line names it) counts as maybe sent only
// the intents of marked groups: after kill -9 the page cache kept every
// mark. After a reboot it may not have, so every intent of an earlier boot
// counts, and so does every intent of a group whose marks file is gone
// (docs/night-contract.md).
//
// Files: results lines `row,status,http_status,id,attempts,error` (RFC 4180
// quoting of id and error, line breaks in them turned to spaces: one result,
// one line; http_status empty when no answer came), then the input cells of
// the columns --echo named, in the header after `error` (echo_cells.hpp). Sidecar lines
// `version N` first in every run (journal_version: a later one is refused by
// its number), `intent R1 R2 ...` and `checkpoint R VALUE` (VALUE
// percent-escaped: bytes outside '!'..'~' and '%' itself become %XX, so it is
// one token), `boot ID` before a run's first intent, `marks NAME` before
// its first mark, and `mark SLOT` (or `wait`, `sent`) after each group of
// intents.
#pragma once

#include "engine/run/clock.hpp"
#include "engine/run/job_kind.hpp"
#include "engine/journal/run_record.hpp"
#include "engine/journal/sent_marks.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ab {

inline constexpr std::string_view results_header = "row,status,http_status,id,attempts,error";

// The sidecar's format, written as `version N` ahead of each run's lines.
// Raised when a line changes meaning, so that an older binary refuses what
// it would misread: 1 was the first release (no such line), 2 added boot,
// wait/sent marks and release lines, 3 marks kept in a file of their own.
inline constexpr unsigned journal_version = 3;

std::string_view to_string(RowStatus status);

// The results file's header: results_header, then the --echo columns.
std::string results_header_for(std::span<const std::string> echo_columns);
// One field of a results line: quoted (RFC 4180) when it holds a comma or a
// quote, a line break turned into a space (one result, one line).
void append_csv_field(std::string& out, std::string_view text);

// One line of the results file, CSV-escaped, '\n'-terminated. The append_
// forms write straight into a batch: a line a row, no temporaries. `echo` is
// the row's --echo cells as EchoCells formats them (",a,b"), "" without --echo.
std::string format_result_line(std::size_t row, const RowResult& result, std::string_view echo = {});
void append_result_line(std::string& out, std::size_t row, const RowResult& result, std::string_view echo = {});
// One line of the sidecar: "intent 12 13 14\n", "checkpoint 7 <value, escaped>\n".
std::string format_intent_line(std::span<const std::size_t> rows);
void append_intent_line(std::string& out, std::span<const std::size_t> rows);
std::string format_checkpoint_line(std::size_t row, std::string_view value);

// The running kernel's boot id (/proc/sys/kernel/random/boot_id), empty
// where there is none: then no mark is trusted and every intent counts.
const std::string& this_boot();

// Where a group of intents says whether one of its requests may have left:
// intent() hands it out, mark_sent() turns its "wait" into "sent".
struct SendMark {
  std::optional<std::uint64_t> slot;  // its byte in the run's marks file; none: its "wait" line
  std::uint64_t offset = 0;  // of its "wait" line in the sidecar; set before on_durable(true)
  bool written = false;      // on the run's io thread only
};

struct JournalState {
  std::unordered_set<std::size_t> final_rows;      // rows with a final line
  std::unordered_set<std::size_t> intents;         // intent that may have been sent, no final line
  std::unordered_map<std::size_t, std::string> checkpoints;  // last one per non-final row
  std::uint64_t results_bytes = 0;                 // valid length of the results file (a torn last line excluded)
  std::uint64_t journal_bytes = 0;                 // same for the sidecar
  bool results_exists = false;
  bool journal_exists = false;
  std::uint64_t final_not_ok = 0;                  // final rows whose status is not ok (exit code 1 on a rerun)
  RunRecord record;                                // fingerprints, not-ok statuses (run_record.hpp)
  // The --echo columns of the results file's header (what a new file is
  // started with: the runner sets them before the writer is made).
  std::vector<std::string> echo_columns;
  std::vector<std::string> marks_files;            // named by `marks` lines, in the marks directory
};

// Reads both files (either may be missing). `boot`: the boot the rerun runs
// on (this_boot(); tests name another): intents recorded on it count only
// when their group's mark says "sent", as read from `marks_directory`'s files. A torn last line (a crash in the
// middle of a write) is ignored and its length excluded, so the writer can
// truncate it away. Throws std::runtime_error naming the file when a file
// exists but is not a journal of ours (wrong header), has a line that does
// not parse ("FILE line N: ..."; a line has the header's number of fields),
// or cannot be read. Rows with a final line
// are dropped from `intents` and `checkpoints`; a row's last checkpoint wins.
JournalState load_journal(const std::filesystem::path& results, std::string_view boot = this_boot(),
                          const std::filesystem::path& marks_directory = default_marks_directory);
std::filesystem::path sidecar_path(const std::filesystem::path& results);

class JournalWriter {
 public:
  // Opens (creates) the results file, truncates torn tails to the lengths in
  // `state`, writes the results header (with `state.echo_columns`) when the file is new or empty (the
  // writer thread syncs it at once). The sidecar is created on the first
  // intent or checkpoint, or by prepare_sidecar(); one this run created and
  // left empty is removed when the writer goes. Throws
  // std::system_error / std::runtime_error with the file named, also when a
  // file changed since `state` was loaded or another run holds the results
  // file (an exclusive flock, released when the writer goes).
  // `now` is the clock its deadlines are reckoned on (tests pass one that
  // starts near its epoch; waits are asked of the system as durations).
  JournalWriter(const std::filesystem::path& results, const JournalState& state,
                std::chrono::milliseconds commit_interval = std::chrono::milliseconds(50),
                std::function<SteadyTime()> now = std::chrono::steady_clock::now);
  ~JournalWriter();  // commits what is pending, joins the writer thread

  // Creates the sidecar ahead of the first intent, on the writer thread (a
  // new file's first sync costs milliseconds that no request should wait for).
  void prepare_sidecar();
  // Lets intents gather: their sync waits until `lines` intents and
  // checkpoints wait, or the oldest has waited `longest` (a commit, or the
  // writer going, syncs at once). Each fdatasync costs CPU beside its wait,
  // on a virtual machine an exit to the host for the disk's doorbell; a run
  // with rows to spare (see runner.cpp) loses nothing to the wait and gains
  // that CPU back. Default: 1 line, every intent synced as it comes.
  void gather_intents(std::size_t lines, std::chrono::microseconds longest);
  // Hands each commit's on_durable callbacks to `deliver` at once, which runs
  // them where it likes: the run posts them to its io thread in one hand-over
  // a commit, not one a row (each took the io thread's queue lock against the
  // writer's). Without it they are called on the writer thread.
  void deliver_through(std::function<void(std::function<void()>)> deliver);
  // Buffered; written and synced at the next group commit. `echo`: as
  // append_result_line takes it.
  void final_line(std::size_t row, const RowResult& result, std::string_view echo = {});
  // Durable intents/checkpoints: `on_durable(ok)` is called (on the writer
  // thread or through deliver_through, never inside these calls) once the line is synced, or with false
  // when writing failed or had failed before. An intent's mark is shared by
  // the group it joined (see mark_groups).
  std::shared_ptr<SendMark> intent(std::span<const std::size_t> rows, std::function<void(bool)> on_durable);
  // Marks go to a marks file made in `directory` at the first intent
  // (sent_marks.hpp), or where none can be made there, to the sidecar (the
  // default: no directory).
  void keep_sent_marks_in(const std::filesystem::path& directory);
  // Once every intent of the sidecar has its row's final line or release
  // (a run that went through its rows): removes the run's marks file and
  // the `earlier` ones in `directory` (JournalState::marks_files).
  void drop_sent_marks(const std::filesystem::path& directory, std::vector<std::string> earlier);
  // Intents share a mark `intents` at a time, and never across commits
  // (default 1: every intent its own mark). One mark_sent() a group.
  void mark_groups(std::size_t intents);
  // Before a request whose intent is durable is written: writes the final
  // lines handed so far (a kill must not find a mark on disk ahead of the
  // line of a row whose place it took), then "sent" over the group's "wait".
  // Once a group; on the caller's thread, no sync. False after an error
  // (error() says why): the request must not leave.
  bool mark_sent(SendMark& mark);
  void checkpoint(std::size_t row, std::string_view value, std::function<void(bool)> on_durable);
  // Sidecar lines that need no sync of their own (run_record.hpp's fingerprints
  // and releases): written with the next group commit. Lost in a crash, they
  // leave a row checked less or looked at again, never wrong.
  void note(std::string lines);
  // Writes and syncs everything pending; blocks. Returns false after a write error.
  bool commit();
  // The first write error ("results.csv: No space left on device"), empty
  // when none. After it nothing more is written to the file that failed
  // (what was synced stays, a torn tail is repaired by the next load): after
  // a results error final lines are dropped; after a sidecar error they
  // still go to the results file, since their requests were sent.
  std::string error() const;
  // The first write error was a full disk (ENOSPC), on either file.
  bool out_of_space() const;
  // fdatasync calls so far: group commit keeps this far below the intents.
  std::uint64_t syncs() const;

  // Room held on disk ahead of the results file's end for the lines pending
  // and `bytes` more (results_room.hpp): empty when held, else why not
  // ("results.csv: No space left on device", or the first write error).
  std::string hold_room(std::uint64_t bytes);
  // The run stopped for want of room: what is held, and the sidecar's zeros,
  // stay when the writer goes (else they are given back), so that a rerun on
  // a disk still full finds nothing free.
  void keep_room();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ab
