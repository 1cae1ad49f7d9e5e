// An Api that answers from a script instead of a network, for unit tests of
// job kinds: it records every request and replies with the next scripted
// response (or one computed from the request). End-to-end tests use the
// simulator over real sockets instead.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/send/api.hpp"
#include "engine/run/job_kind.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include <deque>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ab::testing {

inline ApiAnswer answer(unsigned status, std::string body, ApiOutcome outcome = ApiOutcome::ok) {
  ApiAnswer r;
  r.status = status;
  r.outcome = (status >= 200 && status < 300) ? outcome : (outcome == ApiOutcome::ok ? ApiOutcome::rejected : outcome);
  r.attempts = 1;
  r.body = std::move(body);
  boost::system::error_code ec;
  r.json = boost::json::parse(r.body, ec);
  if (ec) r.json = nullptr;
  if (!r.ok()) r.error = "HTTP " + std::to_string(status);
  return r;
}

class ScriptedApi : public Api {
 public:
  using Responder = std::function<ApiAnswer(const ApiRequest&)>;
  explicit ScriptedApi(Responder responder = {}) : responder_(std::move(responder)) {}
  void push(ApiAnswer r) { script_.push_back(std::move(r)); }

  ab::Awaitable<ApiAnswer> send(ApiRequest request) override {
    if (request.auth) authorizations.push_back(co_await request.auth->authorization(request));
    sent.push_back(request);
    if (!script_.empty()) {
      auto r = std::move(script_.front());
      script_.pop_front();
      co_return r;
    }
    if (responder_) co_return responder_(request);
    throw std::logic_error("ScriptedApi: no answer scripted for " + request.url);
  }

  std::vector<ApiRequest> sent;
  std::vector<std::string> authorizations;

 private:
  Responder responder_;
  std::deque<ApiAnswer> script_;
};

// Collects what a kind reports.
class RecordingSink : public RowSink {
 public:
  void respond(std::size_t row, boost::json::object fields) override { responses.emplace_back(row, std::move(fields)); }
  bool responding() const override { return wants_responses; }
  void finish(std::size_t row, RowResult result) override {
    if (!finished.emplace(row, result).second) throw std::logic_error("row finished twice: " + std::to_string(row));
  }
  ab::Awaitable<void> checkpoint(std::size_t row, std::string value) override {
    checkpoints.emplace_back(row, std::move(value));
    co_return;
  }
  bool wants_responses = true;
  std::vector<std::pair<std::size_t, boost::json::object>> responses;
  std::map<std::size_t, RowResult> finished;
  std::vector<std::pair<std::size_t, std::string>> checkpoints;
};

// Runs one coroutine to completion on a private io_context; rethrows its exception.
template <class T>
T run_sync(ab::Awaitable<T> a) {
  boost::asio::io_context io;
  auto f = boost::asio::co_spawn(io, std::move(a), boost::asio::use_future);
  io.run();
  return f.get();
}

}  // namespace ab::testing
