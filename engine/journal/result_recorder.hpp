// Where rows end: the job kinds' RowSink. Responses (--responses) reach the
// disk before the final lines of their rows, so that a row never counts as
// done while its data could still be lost; final lines then go to the
// journal's group commit.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/run/job_kind.hpp"
#include "engine/journal/echo_cells.hpp"
#include "engine/journal/journal.hpp"
#include "engine/report/metrics.hpp"
#include "engine/run/run_control.hpp"
#include "engine/send/row_window.hpp"

#include <boost/asio/thread_pool.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <span>
#include <unordered_set>
#include <vector>

namespace ab {

class ResultRecorder : public RowSink {
 public:
  // Throws std::runtime_error naming the responses file when it cannot be opened.
  ResultRecorder(JournalWriter& journal, Metrics& metrics, RunControl& control,
                 const std::filesystem::path& responses);
  ~ResultRecorder() override;

  void respond(std::size_t row, boost::json::object fields) override;
  bool responding() const override { return responses_fd_ >= 0; }
  void finish(std::size_t row, RowResult result) override;
  Awaitable<void> checkpoint(std::size_t row, std::string value) override;
  void refuse(std::string why) override { control_.refuse(std::move(why)); }

  // Moves buffered responses to disk (synced), then their rows' final lines to
  // the journal. The runner calls it on a short period and at the end.
  Awaitable<void> flush();
  bool finished(std::size_t row) const { return done_.contains(row); }
  // The runner is done with these rows (their batch has returned, so no
  // report of them can come any more): forgotten, so memory stays flat
  // however long the file.
  void forget(std::span<const std::size_t> rows);
  // Each row's places in these windows (the intent window, the send window)
  // are given back with its result line.
  void give_back_to(std::vector<RowWindow*> windows) { windows_ = std::move(windows); }
  // Rows answered whose final lines wait for their responses' sync.
  std::uint64_t pending_rows() const { return pending_finals_.size() + flushing_rows_; }
  // --echo: each final line ends with its row's cells from here.
  void echo_from(EchoCells* cells) { echo_ = cells; }

 private:
  void write_responses(const std::string& bytes);
  void write_final(std::size_t row, const RowResult& result, const std::string& echo);
  JournalWriter& journal_;
  Metrics& metrics_;
  RunControl& control_;
  int responses_fd_ = -1;
  std::string responses_path_;
  std::string responses_buffer_;
  struct PendingFinal {
    std::size_t row;
    RowResult result;
    std::string echo;
  };
  std::vector<PendingFinal> pending_finals_;
  EchoCells* echo_ = nullptr;
  std::size_t flushing_rows_ = 0;
  std::unordered_set<std::size_t> done_;
  std::vector<RowWindow*> windows_;
  void give_back_places(std::size_t row) {
    for (auto* window : windows_) window->give_back(row);
  }
  // The --responses file is synced off the network thread; no thread without one.
  std::optional<boost::asio::thread_pool> disk_;
};

}  // namespace ab
