#include "engine/journal/result_recorder.hpp"

#include "engine/run/coroutine.hpp"

#include "engine/run/await_callback.hpp"
#include "engine/text/json_value_text.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace ab {

ResultRecorder::ResultRecorder(JournalWriter& journal, Metrics& metrics, RunControl& control,
                               const std::filesystem::path& responses)
    : journal_(journal), metrics_(metrics), control_(control), responses_path_(responses.string()) {
  if (responses.empty()) return;
  responses_fd_ = ::open(responses_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (responses_fd_ < 0) throw std::runtime_error("cannot open " + responses_path_ + ": " + std::strerror(errno));
  disk_.emplace(1);
}

ResultRecorder::~ResultRecorder() {
  if (disk_) disk_->join();
  if (responses_fd_ >= 0) ::close(responses_fd_);
}

void ResultRecorder::respond(std::size_t row, boost::json::object fields) {
  if (responses_fd_ < 0) return;
  JsonText line(responses_buffer_);
  line.begin_object().key("row").number(static_cast<std::uint64_t>(row));
  for (const auto& [k, v] : fields) {
    if (k == "row") continue;  // the row number is ours
    line.key(k);
    write_json_value(line, v);
  }
  line.end_object();
  responses_buffer_ += '\n';
}

void ResultRecorder::forget(std::span<const std::size_t> rows) {
  for (auto row : rows) {
    // A row never finished gets no line: its window places are free.
    if (!done_.erase(row)) give_back_places(row);
    if (echo_) echo_->forget(row);
  }
}

void ResultRecorder::write_final(std::size_t row, const RowResult& result, const std::string& echo) {
  journal_.final_line(row, result, echo);
  give_back_places(row);
}

void ResultRecorder::finish(std::size_t row, RowResult result) {
  if (!done_.insert(row).second) return;  // a kind that reports twice must not write two lines
  if (result.status == RowStatus::stopped) {  // no line: the next run takes the row up
    give_back_places(row);
    if (echo_) echo_->forget(row);
    return;
  }
  metrics_.row_finished(result.status);
  std::string echo = echo_ ? echo_->take(row) : std::string();
  if (responses_fd_ < 0) {
    write_final(row, result, echo);
    return;
  }
  pending_finals_.push_back(PendingFinal{row, std::move(result), std::move(echo)});
}

Awaitable<void> ResultRecorder::checkpoint(std::size_t row, std::string value) {
  co_await flush();  // the pages before the checkpoint are on disk before it
  JournalWriter& journal = journal_;
  // Named, not a temporary inside the co_await: GCC 12 destroys such a
  // lambda's captures twice (STYLE.md §3).
  auto start = [&journal, row, &value](std::function<void(bool)> done) { journal.checkpoint(row, value, std::move(done)); };
  const bool ok = co_await await_callback(std::move(start));
  if (!ok) control_.stop(journal_.error(), true);
}

void ResultRecorder::write_responses(const std::string& bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    const auto n = ::write(responses_fd_, bytes.data() + off, bytes.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(responses_path_ + ": " + std::strerror(errno));
    off += static_cast<std::size_t>(n);
  }
  if (::fdatasync(responses_fd_) != 0) throw std::runtime_error(responses_path_ + ": " + std::strerror(errno));
}

Awaitable<void> ResultRecorder::flush() {
  if (responses_fd_ < 0 || (responses_buffer_.empty() && pending_finals_.empty())) co_return;
  std::string bytes = std::move(responses_buffer_);
  responses_buffer_.clear();
  auto finals = std::move(pending_finals_);
  pending_finals_.clear();
  flushing_rows_ = finals.size();
  std::string error;
  co_await boost::asio::co_spawn(
      *disk_,
      // On the disk thread's pool: this one coroutine keeps Asio's default executor.
      [&]() -> boost::asio::awaitable<void> {
        try {
          write_responses(bytes);
        } catch (const std::exception& e) {
          error = e.what();
        }
        co_return;
      },
      use_awaitable);
  flushing_rows_ = 0;
  if (!error.empty()) {
    // The rows stay without a final line: the next run sends them again.
    control_.stop(error, true);
    for (const auto& final : finals) done_.erase(final.row);
    co_return;
  }
  for (const auto& final : finals) write_final(final.row, final.result, final.echo);
}

}  // namespace ab
