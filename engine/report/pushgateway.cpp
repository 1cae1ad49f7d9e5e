#include "engine/report/pushgateway.hpp"

#include "engine/run/coroutine.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>

namespace ab {

namespace asio = boost::asio;

std::string pushgateway_url(std::string_view base, std::string_view kind) {
  while (base.ends_with('/')) base.remove_suffix(1);
  return std::string(base) + "/metrics/job/audience_batch/kind/" + std::string(kind);
}

std::string push_metrics(const std::string& url, const std::string& text, const TlsSettings& tls,
                         std::chrono::milliseconds timeout) {
  asio::io_context io;
  HttpPool pool(io.get_executor(), tls);
  const std::array<RequestField, 1> fields{RequestField{"Content-Type", "text/plain; version=0.0.4"}};
  HttpAnswer attempt;
  asio::co_spawn(
      io,
      [&]() -> Awaitable<void> {
        attempt = co_await pool.send(boost::beast::http::verb::put, url, fields, text, timeout);
        pool.close_all();
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  try {
    io.run();
  } catch (const std::exception& e) {
    return e.what();
  }
  if (attempt.failure != AttemptFailure::none) return attempt.error;
  if (attempt.status < 200 || attempt.status >= 300) {
    std::string body = attempt.body.substr(0, 200);
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
    return "HTTP " + std::to_string(attempt.status) + (body.empty() ? "" : ": " + body);
  }
  return {};
}

}  // namespace ab
