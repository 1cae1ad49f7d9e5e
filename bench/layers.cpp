// T1's exchange one layer at a time, to tell where a row's time goes:
//
//   build/bench/layers URL [requests] [concurrency] [journal-dir]
//
// posts the nf.create body of bench row 1 to URL (the bench nginx's create
// endpoint) `requests` times from `concurrency` coroutines through the
// engine's HttpPool alone; with a journal directory, each request first
// records its intent there and waits for its sync, and ends with a final
// line, as a create does in a run. Prints requests/s and the io thread's CPU
// per request (getrusage), which is steadier than throughput on a noisy
// machine. bench/README.md has the figures.
#include "engine/run/await_callback.hpp"

#include "engine/run/coroutine.hpp"
#include "engine/send/http_client.hpp"
#include "engine/journal/journal.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

namespace asio = boost::asio;

namespace {

constexpr std::string_view body =
    R"({"name":"Bench audience 1","shared":true,"gender":{"female":0.7,"male":0.1,"nonBinary":0.1,)"
    R"("preferNotToSay":0.1},"country":"FR","age":{"min":38,"max":55},"interests":["AI","finance","fitness"],)"
    R"("needs":["scale content production"],"painPoints":["manual workflows"],"nativeLanguage":"it",)"
    R"("residence":"Hamburg"})";

double micros(const timeval& t) { return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: layers URL [requests] [concurrency] [journal-dir]\n");
    return 2;
  }
  const std::string url = argv[1];
  const long requests = argc > 2 ? std::atol(argv[2]) : 100'000;
  const int concurrency = argc > 3 ? std::atoi(argv[3]) : 32;
  std::optional<ab::JournalWriter> journal;
  if (argc > 4) {
    const auto results = std::filesystem::path(argv[4]) / "layers.results.csv";
    std::filesystem::remove(results);
    std::filesystem::remove(ab::sidecar_path(results));
    journal.emplace(results, ab::JournalState{});
  }

  asio::io_context io{1};
  ab::HttpPool pool(io.get_executor(), {});
  const std::vector<ab::RequestField> headers{{"Authorization", "Bearer bench"}, {"Content-Type", "application/json"}};
  long left = requests;
  long answered = 0;
  std::size_t next_row = 1;
  for (int i = 0; i < concurrency; ++i) {
    asio::co_spawn(
        io,
        [&]() -> ab::Awaitable<void> {
          while (left > 0) {
            --left;
            const std::size_t row = next_row++;
            if (journal) {
              const std::vector<std::size_t> rows{row};
              auto start = [&journal, &rows](std::function<void(bool)> done) { journal->intent(rows, std::move(done)); };
              co_await ab::await_callback(std::move(start));
            }
            auto attempt =
                co_await pool.send(boost::beast::http::verb::post, url, headers, body, std::chrono::seconds(10));
            if (attempt.status >= 200 && attempt.status < 300) ++answered;
            if (journal) journal->final_line(row, ab::RowResult{ab::RowStatus::ok, attempt.status, "id", 1, {}});
          }
        },
        asio::detached);
  }
  const auto started = std::chrono::steady_clock::now();
  io.run();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  const auto n = static_cast<double>(requests);
  std::printf("%s: %ld of %ld answered 2xx, %.0f requests/s, io thread %.1f us user + %.1f us system a request",
              journal ? "pool + intent journal" : "pool alone", answered, requests, n / seconds,
              micros(usage.ru_utime) / n, micros(usage.ru_stime) / n);
  if (journal) std::printf(", %llu fdatasyncs", static_cast<unsigned long long>(journal->syncs()));
  std::printf("\n");
  return answered == requests ? 0 : 1;
}
