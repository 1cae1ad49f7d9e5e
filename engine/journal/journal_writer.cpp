// JournalWriter: one thread that group-commits the results file and its
// sidecar (see journal.hpp for the cadence and why).
#include "engine/journal/journal.hpp"

#include "engine/journal/results_room.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ab {

namespace {

// An append-only file that knows its name for error messages.
//
// A preallocating one (the sidecar, synced once per intent batch) writes its
// zeros ahead in chunks and its lines over them: an fdatasync then has only
// data to write, not a new file size, which costs about a third less CPU and
// wall time per sync on ext4 (and no journal commit on a journaled one). A
// crash may leave the zeros; the loader takes the first NUL byte as the end,
// and a clean close cuts them off.
// The first chunk of zeros a preallocating file writes ahead (see reserve()).
constexpr std::uint64_t first_chunk = 16 * 1024;

class AppendFile {
 public:
  // `disk`: taken while zeros are written ahead, so that no one holding it
  // sees the disk in the middle of a reservation (see JournalWriter::Impl).
  explicit AppendFile(std::filesystem::path path, std::uint64_t preallocate_chunk = 0, std::mutex* disk = nullptr)
      : path_(std::move(path)), chunk_(preallocate_chunk), disk_(disk) {}
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;
  ~AppendFile() {
    if (fd_ < 0) return;
    if (allocated_ > end_ && !keep_allocation_)
      [[maybe_unused]] const int ignored = ::ftruncate(fd_, static_cast<off_t>(end_));
    ::close(fd_);
  }

  const std::filesystem::path& path() const { return path_; }
  bool is_open() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  std::uint64_t end() const { return end_; }
  // The zeros written ahead stay when the file is closed (results_room.hpp).
  void keep_allocation() { keep_allocation_ = true; }

  // Opens (creating) for appending; errno is kept on failure. A new file's
  // directory entry is synced with its first sync(), or a crash could lose
  // the whole file.
  bool open() {
    std::error_code ignored;
    created_ = !std::filesystem::exists(path_, ignored);
    // pwrite on an O_APPEND descriptor appends wherever it is told to write.
    const int append = chunk_ ? 0 : O_APPEND;
    fd_ = ::open(path_.c_str(), O_WRONLY | append | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return false;
    entry_unsynced_ = created_;
    end_ = allocated_ = size();
    return true;
  }

  // Opens the file and syncs it with its first zeros written ahead, so that
  // the first lines' sync is as cheap as the later ones: creating a file
  // makes its first sync a journal commit of the filesystem, milliseconds.
  int prepare() {
    if (!is_open() && !open()) return errno;
    if (const int e = chunk_ ? reserve(end_ + 1) : 0) return e;
    return sync();
  }

  // A file this run created and never wrote a line to is removed.
  void remove_if_unused() {
    if (fd_ >= 0 && created_ && end_ == 0) ::unlink(path_.c_str());
  }

  // "FILE: strerror(errno)".
  std::string describe(int error) const { return path_.string() + ": " + std::strerror(error); }
  [[noreturn]] void throw_errno(int error) const {
    throw std::system_error(error, std::generic_category(), path_.string());
  }

  std::uint64_t size() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw_errno(errno);
    return static_cast<std::uint64_t>(st.st_size);
  }

  // Cuts a torn tail away; refuses a file that is not what was loaded
  // (`existed` false: it was missing then, so it must be empty now).
  void truncate_to(bool existed, std::uint64_t valid_length) {
    const std::uint64_t current = size();
    if (current < valid_length || (!existed && current > 0)) {
      throw std::runtime_error(path_.string() + " changed since it was read (is another run using it?)");
    }
    if (current > valid_length) {
      const std::uint64_t held = allocated_end(fd_);
      if (::ftruncate(fd_, static_cast<off_t>(valid_length)) != 0) throw_errno(errno);
      hold_again(valid_length, held);
    }
    end_ = allocated_ = valid_length;
  }

  void lock_exclusive() {
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
    if (errno == EWOULDBLOCK) throw std::runtime_error(path_.string() + " is in use by another audience-batch run");
    // Filesystems without locks (some network mounts): go on unlocked.
  }

  // Appends all of `data`; 0 or the errno that stopped it. A write that
  // stops half way (a full disk) is undone, so the file keeps ending with a
  // whole line and stays a valid CSV for the user meanwhile.
  int append(std::string_view data) {
    if (data.empty()) return 0;
    const std::uint64_t start = end_;
    if (const int e = chunk_ ? reserve(start + data.size()) : 0) return e;
    if (const int e = write_at(start, data)) {
      undo(start, data.size());
      return e;
    }
    end_ = start + data.size();
    return 0;
  }

  int sync() {
    while (::fdatasync(fd_) != 0) {
      if (errno != EINTR) return errno;
    }
    if (std::exchange(entry_unsynced_, false)) sync_directory();
    return 0;
  }

  int append_and_sync(std::string_view data) {
    const int e = append(data);
    return e ? e : sync();
  }

 private:
  std::filesystem::path path_;
  std::uint64_t chunk_;          // 0: plain appends
  std::mutex* disk_;
  int fd_ = -1;
  bool created_ = false;         // by this open()
  bool entry_unsynced_ = false;  // created, directory not synced since
  std::uint64_t end_ = 0;        // where the next line goes
  std::uint64_t allocated_ = 0;  // zeros written ahead up to here (== end_ without preallocation)
  bool keep_allocation_ = false;

  // Truncating frees every block past the new end, the room held ahead of
  // the results (results_room.hpp) too: it is held again, so that a disk
  // this run found full stays full for a rerun's check (which must refuse,
  // not send). Best effort, as the room itself.
  void hold_again(std::uint64_t from, std::uint64_t held) {
    [[maybe_unused]] const int ignored = hold_bytes(fd_, from, held);
  }

  int write_at(std::uint64_t offset, std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = chunk_ ? ::pwrite(fd_, data.data(), data.size(), static_cast<off_t>(offset))
                               : ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return n < 0 ? errno : ENOSPC;  // a file only takes nothing when it cannot grow
      data.remove_prefix(static_cast<std::size_t>(n));
      offset += static_cast<std::uint64_t>(n);
    }
    return 0;
  }

  // Zeros up to at least `length`: a chunk ahead, or on a nearly full disk
  // just what this write needs, so that preallocating never stops a run
  // that plain appends would have carried on. The chunks start small and
  // double: the first sync is on the first requests' path, and a whole
  // chunk of fresh zeros to write made it take milliseconds.
  int reserve(std::uint64_t length) {
    if (length <= allocated_) return 0;
    std::unique_lock<std::mutex> disk;
    if (disk_) disk = std::unique_lock(*disk_);
    const std::uint64_t ahead = std::clamp<std::uint64_t>(allocated_, std::min(first_chunk, chunk_), chunk_);
    const int e = zero_fill(std::max(length, allocated_ + ahead));
    return e == 0 || length >= allocated_ + ahead ? e : zero_fill(length);
  }

  int zero_fill(std::uint64_t target) {
    static const std::string zeros(64 * 1024, '\0');
    for (std::uint64_t at = allocated_; at < target;) {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(zeros.size(), target - at));
      if (const int e = write_at(at, std::string_view(zeros).substr(0, n))) {
        [[maybe_unused]] const int ignored = ::ftruncate(fd_, static_cast<off_t>(allocated_));
        return e;
      }
      at += n;
    }
    allocated_ = target;
    return 0;
  }

  // After a failed write of `length` bytes at `start`: no part of it may
  // stay to be read as a line. Best effort: the load ignores a torn tail too.
  void undo(std::uint64_t start, std::size_t length) {
    if (!chunk_) {
      const std::uint64_t held = allocated_end(fd_);
      [[maybe_unused]] const int ignored = ::ftruncate(fd_, static_cast<off_t>(start));
      hold_again(start, held);
      return;
    }
    const std::string zeros(length, '\0');
    [[maybe_unused]] const int ignored = write_at(start, zeros);
  }

  void sync_directory() const {
    const auto parent = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
    const int dir = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return;  // best effort: the file itself is synced on every commit
    ::fsync(dir);
    ::close(dir);
  }
};

// The sidecar's zeros are written ahead up to this much at a time: a million
// intents of one row take about 15 MB.
constexpr std::uint64_t sidecar_chunk = 1024 * 1024;

// The placeholder a group of intents is synced with, and what mark_sent()
// writes over it: the same length, so that the file does not move.
constexpr std::string_view wait_line = "wait\n";
constexpr std::string_view sent_word = "sent";
static_assert(wait_line.size() == sent_word.size() + 1);

// What one group commit takes from the queue.
struct Batch {
  std::string results;
  std::string journal;
  std::vector<std::function<void(bool)>> callbacks;
  // Each closed group's mark and where in `journal` its "wait" line starts.
  std::vector<std::pair<std::shared_ptr<SendMark>, std::size_t>> marks;
  std::shared_ptr<SendMark> open_mark;  // the group intents join now
  std::size_t open_intents = 0;

  // Closes the open group with a byte of `sent_marks`, or where it has none
  // to give, with a "wait" line to be written over.
  void close_mark(SentMarks* sent_marks) {
    if (!open_mark) return;
    if (const auto slot = sent_marks ? sent_marks->take_slot() : std::nullopt) {
      open_mark->slot = slot;
      journal += "mark ";
      journal += std::to_string(*slot);
      journal += '\n';
      open_mark.reset();
    } else {
      marks.emplace_back(std::move(open_mark), journal.size());
      journal += wait_line;
    }
    open_intents = 0;
  }
};

// Writes `text` at `offset`, inside what the file already holds; 0 or the errno.
int write_over(int fd, std::uint64_t offset, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::pwrite(fd, text.data(), text.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    text.remove_prefix(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  return 0;
}

}  // namespace

struct JournalWriter::Impl {
  AppendFile results;
  AppendFile journal;  // opened at the first intent or checkpoint unless it existed
  std::chrono::milliseconds interval;

  mutable std::mutex mutex;
  // The disk's free room as the results' hold_room() and the sidecar's zeros
  // written ahead take it: a chunk of zeros that does not fit is written
  // in part and cut back, and a hold_room() that met that moment would stop
  // the run with room left free, which a rerun on a disk still full would
  // then find and send with. Taken after `mutex`, never before it.
  std::mutex disk;
  // The results file's appends: the writer's, and mark_sent()'s on the io
  // thread. Taken alone, never with `mutex`.
  std::mutex results_append;
  std::condition_variable wake;       // to the writer: something is waiting
  std::condition_variable committed;  // to commit(): a batch is on disk
  Batch pending;
  bool urgent = false;                // an intent or checkpoint waits (or the sidecar is to be made)
  std::size_t durable_waiting = 0;    // intents and checkpoints queued since the last commit
  SteadyTime first_durable_at;        // when the first of them came
  std::function<void(std::function<void()>)> deliver;  // see deliver_through()
  std::size_t gather_lines = 1;       // see gather_intents()
  std::size_t mark_group = 1;         // see mark_groups()
  std::string boot_line;              // "boot ID\n" ahead of this run's first intent, then empty
  // Where the marks file is made at the first intent (keep_sent_marks_in());
  // empty: marks go to the sidecar. Then the file, if one could be made.
  std::filesystem::path marks_directory;
  std::unique_ptr<SentMarks> sent_marks;
  // "version N\n" ahead of this run's first sidecar line, then empty.
  std::string version_line = "version " + std::to_string(journal_version) + "\n";
  std::chrono::microseconds gather_longest{0};
  bool results_unsynced = false;      // final lines queued or written, not yet synced
  SteadyTime results_due;             // when they are to be synced without a commit
  bool stopping = false;
  bool prepare_sidecar = false;
  std::uint64_t commits_requested = 0;
  std::uint64_t commits_done = 0;
  std::string error;
  bool results_failed = false;        // a results write failed: final lines are dropped
  std::uint64_t syncs = 0;
  std::thread thread;
  // Room held ahead of the results file (results_room.hpp); under the mutex.
  std::uint64_t results_end = 0;      // bytes written to it
  std::uint64_t results_writing = 0;  // bytes the writer is writing, unlocked
  std::uint64_t held_end = 0;         // its blocks are held up to here
  bool keep_room = false;

  std::function<SteadyTime()> now;

  Impl(const std::filesystem::path& results_path, std::chrono::milliseconds commit_interval,
       std::function<SteadyTime()> clock)
      : results(results_path),
        journal(sidecar_path(results_path), sidecar_chunk, &disk),
        interval(commit_interval),
        now(std::move(clock)) {}

  // Waits on the system's steady clock for what `now` says is left until `at`.
  template <class Predicate>
  void wait_until(std::unique_lock<std::mutex>& lock, SteadyTime at, Predicate done) {
    wake.wait_for(lock, at - now(), done);
  }

  bool commit_wanted() const { return stopping || commits_requested > commits_done; }

  // The sidecar as this run appends to it: its first line is the version. Locked.
  std::string& sidecar_lines() {
    if (!version_line.empty()) pending.journal += std::exchange(version_line, {});
    return pending.journal;
  }

  // Queues a line, written by `append`, that its caller awaits; after an
  // error only the callback.
  template <class Append>
  void queue_durable(Append&& append, std::function<void(bool)> on_durable) {
    bool wake_writer = false;
    {
      std::lock_guard lock(mutex);
      if (error.empty()) append(sidecar_lines());
      pending.callbacks.push_back(std::move(on_durable));
      urgent = true;
      if (durable_waiting++ == 0) first_durable_at = now();
      // The first starts the writer's wait, the one that makes the number ends it.
      wake_writer = durable_waiting == 1 || durable_waiting == gather_lines;
    }
    if (wake_writer) wake.notify_one();
  }

  // Writes the final lines handed so far, on the caller's thread: the
  // writer's, or the io thread's in mark_sent(). The file is the caller's
  // from taking the lines to writing them, so that no one returns from here
  // while lines handed before are taken and not yet written. The error,
  // empty when done (the caller records it). Runs unlocked.
  std::string write_handed_results() {
    {
      // Most marks find nothing to write: they need not wait for the file.
      std::lock_guard lock(mutex);
      if (results_failed || (pending.results.empty() && results_writing == 0)) return {};
    }
    std::lock_guard append(results_append);
    std::string lines;
    {
      std::lock_guard lock(mutex);
      if (results_failed || pending.results.empty()) return {};
      lines.swap(pending.results);
      results_writing += lines.size();
    }
    std::uint64_t no_sync = 0;
    std::string problem = write(results, lines, false, no_sync);
    const std::uint64_t end = results.end();
    std::lock_guard lock(mutex);
    results_writing -= lines.size();
    results_end = std::max(results_end, end);
    return problem;
  }

  // Whether queued intents may wait for more to join them.
  bool gathering() const {
    return durable_waiting > 0 && durable_waiting < gather_lines && !commit_wanted();
  }

  // Appends `lines` to `file`, opening it first if needed, and with
  // `and_sync` syncs it (also what earlier calls appended); returns the
  // error, empty when done. Runs unlocked.
  static std::string write(AppendFile& file, const std::string& lines, bool and_sync, std::uint64_t& synced) {
    if (lines.empty() && !(and_sync && file.is_open())) return {};
    if (!file.is_open() && !file.open()) return file.describe(errno);
    if (const int e = file.append(lines)) return file.describe(e);
    if (!and_sync) return {};
    if (const int e = file.sync()) return file.describe(e);
    ++synced;
    return {};
  }

  // One group commit. The final lines handed so far are written first (as
  // before a mark): at every commit, so that they claim their disk space as
  // they come (a full disk must not leave finished rows unrecorded because
  // intents took the room). The sidecar's lines are then synced, each
  // group's mark told where its "wait" is, and their callbacks called
  // before the results file is synced: an intent's sync is on a request's
  // path, a final line's is not, and it is synced only when due (syncing a
  // growing file writes its inode too, the costlier half of a cycle; a final
  // line lost in a power cut only means its row is looked at again).
  // Called and returns locked.
  void commit_once(std::unique_lock<std::mutex>& lock) {
    Batch batch = std::exchange(pending, Batch{});
    pending.results = std::move(batch.results);  // taken by write_handed_results()
    urgent = false;
    durable_waiting = 0;
    const bool sync_results = results_unsynced && (commit_wanted() || now() >= results_due);
    if (sync_results) results_unsynced = false;
    const std::uint64_t generation = commits_requested;
    const bool failed_before = !error.empty();
    const bool results_failed_before = results_failed;
    const bool prepare = std::exchange(prepare_sidecar, false);
    batch.close_mark(sent_marks.get());  // groups do not span commits
    lock.unlock();

    // Best effort: an intent's own write meets and reports any error.
    if (prepare && !failed_before) [[maybe_unused]] const int ignored = journal.prepare();

    std::uint64_t synced = 0;
    // A sidecar error does not stop the final lines: these rows' requests were sent.
    std::string results_problem = results_failed_before ? std::string() : write_handed_results();
    std::string problem =
        failed_before || batch.journal.empty() ? std::string() : write(journal, batch.journal, true, synced);
    if (problem.empty() && !batch.journal.empty()) {
      const std::uint64_t start = journal.end() - batch.journal.size();
      for (auto& [mark, at] : batch.marks) mark->offset = start + at;
    }
    if (!batch.callbacks.empty()) {
      // Counted before the callbacks: whoever they wake sees syncs() include theirs.
      lock.lock();
      if (error.empty()) error = problem;
      syncs += std::exchange(synced, 0);
      const bool ok = error.empty();
      const auto deliver_to = deliver;
      lock.unlock();
      if (deliver_to) {
        deliver_to([callbacks = std::move(batch.callbacks), ok] {
          for (const auto& callback : callbacks) callback(ok);
        });
      } else {
        for (auto& callback : batch.callbacks) callback(ok);
      }
    }
    // After an error nothing more is written: what was written is synced now.
    if (!results_failed_before && results_problem.empty() && (sync_results || !problem.empty()))
      results_problem = write(results, {}, true, synced);
    if (problem.empty()) problem = results_problem;

    lock.lock();
    if (!results_problem.empty()) results_failed = true;
    if (error.empty()) error = problem;
    syncs += synced;
    commits_done = generation;
    lock.unlock();
    committed.notify_all();
    lock.lock();
  }

  void run() {
    std::unique_lock lock(mutex);
    for (;;) {
      wake.wait(lock, [&] { return urgent || commit_wanted() || results_unsynced; });
      // Only final lines so far: let more join them until they are due.
      if (!urgent && !commit_wanted())
        wait_until(lock, results_due, [&] { return urgent || commit_wanted(); });
      if (gathering()) wait_until(lock, first_durable_at + gather_longest, [&] { return !gathering(); });
      const bool stop = stopping;
      commit_once(lock);
      if (stop && pending.results.empty() && pending.journal.empty() && pending.callbacks.empty()) return;
    }
  }
};

JournalWriter::JournalWriter(const std::filesystem::path& results, const JournalState& state,
                             std::chrono::milliseconds commit_interval, std::function<SteadyTime()> now)
    : impl_(std::make_unique<Impl>(results, commit_interval, std::move(now))) {
  if (!this_boot().empty()) impl_->boot_line = "boot " + this_boot() + '\n';
  auto& file = impl_->results;
  if (!file.open()) file.throw_errno(errno);
  file.lock_exclusive();
  file.truncate_to(state.results_exists, state.results_bytes);
  if (state.results_bytes == 0) {
    // Synced by the writer at once, off the path to the first request.
    if (const int e = file.append(results_header_for(state.echo_columns) + '\n')) file.throw_errno(e);
    impl_->results_unsynced = true;
    impl_->results_due = impl_->now();  // due at once
  }
  // An existing sidecar must lose its torn tail before anything is appended.
  auto& sidecar = impl_->journal;
  std::error_code ignored;
  if (state.journal_exists || std::filesystem::exists(sidecar.path(), ignored)) {
    if (!sidecar.open()) sidecar.throw_errno(errno);
    sidecar.truncate_to(state.journal_exists, state.journal_bytes);
  }
  impl_->results_end = file.end();
  impl_->held_end = allocated_end(file.fd());
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

JournalWriter::~JournalWriter() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_one();
  impl_->thread.join();
  impl_->journal.remove_if_unused();
  if (impl_->keep_room) {
    impl_->journal.keep_allocation();
  } else {
    give_back_bytes(impl_->results.fd());
  }
}

std::string JournalWriter::hold_room(std::uint64_t bytes) {
  std::lock_guard lock(impl_->mutex);
  auto& i = *impl_;
  if (!i.error.empty()) return i.error;
  const std::uint64_t needed = i.results_end + i.results_writing + i.pending.results.size() + bytes;
  if (needed <= i.held_end) return {};
  // Twice what is needed and at least 256 KiB more, so that the disk is
  // seldom asked (a call per some 5,000 rows at full speed); just what is
  // needed when the disk has no more.
  const std::uint64_t generous = needed + std::max<std::uint64_t>(needed - i.results_end, 256 * 1024);
  std::lock_guard disk(i.disk);
  int e = hold_bytes(i.results.fd(), i.held_end, generous);
  if (e == 0) {
    i.held_end = generous;
    return {};
  }
  if (e = hold_bytes(i.results.fd(), i.held_end, needed); e == 0) {
    i.held_end = needed;
    return {};
  }
  return i.results.describe(e);
}

void JournalWriter::keep_room() {
  std::lock_guard lock(impl_->mutex);
  impl_->keep_room = true;
}

void JournalWriter::prepare_sidecar() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->prepare_sidecar = true;
    impl_->urgent = true;
  }
  impl_->wake.notify_one();
}

void JournalWriter::deliver_through(std::function<void(std::function<void()>)> deliver) {
  std::lock_guard lock(impl_->mutex);
  impl_->deliver = std::move(deliver);
}

void JournalWriter::gather_intents(std::size_t lines, std::chrono::microseconds longest) {
  std::lock_guard lock(impl_->mutex);
  impl_->gather_lines = std::max<std::size_t>(1, lines);
  impl_->gather_longest = longest;
}

void JournalWriter::final_line(std::size_t row, const RowResult& result, std::string_view echo) {
  bool first = false;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->results_failed) return;  // error() already tells why nothing more is written
    first = !impl_->results_unsynced;
    if (first) {
      impl_->results_unsynced = true;
      impl_->results_due = impl_->now() + impl_->interval;
    }
    append_result_line(impl_->pending.results, row, result, echo);
  }
  // Later lines join the first one's wait: no wake-up per row.
  if (first) impl_->wake.notify_one();
}

std::shared_ptr<SendMark> JournalWriter::intent(std::span<const std::size_t> rows,
                                                std::function<void(bool)> on_durable) {
  std::shared_ptr<SendMark> mark;
  auto& i = *impl_;
  i.queue_durable(
      [&](std::string&) {
        Batch& batch = i.pending;
        batch.journal += std::exchange(i.boot_line, {});
        if (!i.marks_directory.empty()) {
          i.sent_marks = SentMarks::create(std::exchange(i.marks_directory, {}));
          if (i.sent_marks) batch.journal += "marks " + i.sent_marks->name() + '\n';
        }
        append_intent_line(batch.journal, rows);
        if (!batch.open_mark) batch.open_mark = std::make_shared<SendMark>();
        mark = batch.open_mark;
        if (++batch.open_intents >= i.mark_group) batch.close_mark(i.sent_marks.get());
      },
      std::move(on_durable));
  // After an error no line was queued: a mark of its own, never used.
  return mark ? mark : std::make_shared<SendMark>();
}

void JournalWriter::keep_sent_marks_in(const std::filesystem::path& directory) {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->sent_marks) impl_->marks_directory = directory;
}

void JournalWriter::drop_sent_marks(const std::filesystem::path& directory, std::vector<std::string> earlier) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->sent_marks) earlier.push_back(impl_->sent_marks->name());
  remove_sent_marks(directory, earlier);
}

void JournalWriter::mark_groups(std::size_t intents) {
  std::lock_guard lock(impl_->mutex);
  impl_->mark_group = std::max<std::size_t>(1, intents);
}

bool JournalWriter::mark_sent(SendMark& mark) {
  if (mark.written) return true;
  auto& i = *impl_;
  if (const auto problem = i.write_handed_results(); !problem.empty()) {
    std::lock_guard lock(i.mutex);
    i.results_failed = true;
    if (i.error.empty()) i.error = problem;
    return false;
  }
  if (!error().empty()) return false;
  if (mark.slot) {
    // Set under the lock by the intent() that made the mark, on this thread.
    i.sent_marks->mark(*mark.slot);
    mark.written = true;
    return true;
  }
  // The sidecar is open: the mark's group was synced into it.
  const int e = write_over(i.journal.fd(), mark.offset, sent_word);
  if (e != 0) {
    std::lock_guard lock(i.mutex);
    if (i.error.empty()) i.error = i.journal.describe(e);
    return false;
  }
  mark.written = true;
  return true;
}

void JournalWriter::checkpoint(std::size_t row, std::string_view value, std::function<void(bool)> on_durable) {
  impl_->queue_durable([line = format_checkpoint_line(row, value)](std::string& out) { out += line; },
                       std::move(on_durable));
}

void JournalWriter::note(std::string lines) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->error.empty()) impl_->sidecar_lines() += lines;
}

bool JournalWriter::commit() {
  std::unique_lock lock(impl_->mutex);
  // After a sidecar error the results file may still have lines to take.
  if (impl_->results_failed) return false;
  const std::uint64_t generation = ++impl_->commits_requested;
  impl_->wake.notify_one();
  impl_->committed.wait(lock, [&] { return impl_->commits_done >= generation; });
  return impl_->error.empty();
}

bool JournalWriter::out_of_space() const {
  // Every write error is described as "<path>: <strerror>" (AppendFile::describe).
  return std::string_view(error()).ends_with(std::strerror(ENOSPC));
}

std::string JournalWriter::error() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->error;
}

std::uint64_t JournalWriter::syncs() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->syncs;
}

}  // namespace ab
