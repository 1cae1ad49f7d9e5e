// What a job kind sees of the network: one awaitable `send` that hides
// budgets, retries, back-off, signing, journaling of intents and the pool.
#pragma once

#include "engine/run/coroutine.hpp"
#include "engine/send/answer_fields.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ab {

struct ApiRequest;

// Adds credentials to one attempt. Called before every attempt, so that an
// OAuth 1.0a signature gets a fresh nonce and timestamp each time.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The value of the Authorization header for this attempt of `request`.
  virtual Awaitable<std::string> authorization(const ApiRequest& request) = 0;
  // The same when it can be had without waiting (a fresh token, a
  // signature), else nullopt and authorization() is awaited.
  virtual std::optional<std::string> authorization_now(const ApiRequest&) { return std::nullopt; }
  // After a 401: renews the credentials when it can (OAuth2 token refresh) and
  // returns true when the request may be sent once more; false makes 401 final.
  virtual Awaitable<bool> renew() = 0;
};

struct ApiRequest {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string url;                 // absolute: base URL + path + query string
  std::string body;                // empty: none
  std::string_view content_type;   // set when body is not empty; a constant (the media types are literals)
  std::vector<std::string> budgets;  // budget names charged per attempt, e.g. {"tw", "tw.total_count"}
  // false for a request that changes state and must not be sent twice (a
  // create): an ambiguous failure is returned as `ambiguous`, not retried, and
  // an intent for `rows` is recorded durably before the first attempt.
  bool replay_safe = true;
  std::vector<std::size_t> rows;   // the job rows this request carries
  Authenticator* auth = nullptr;   // null: no Authorization header
  // false: a 2xx answer's body is left to the caller (answer_text_member)
  // and ApiAnswer::json stays null; any other answer is parsed.
  bool parse_ok_answer = true;
};

enum class ApiOutcome {
  ok,          // 2xx
  rejected,    // a final answer: 4xx other than 429 (and 401 after one renewal)
  exhausted,   // retryable failures until --max-attempts ran out
  ambiguous,   // a non-replay-safe request that may have been applied (lost reply, timeout after send, 5xx)
  stopped,     // the run is stopping (deadline, signal) before an answer was had
};

struct ApiAnswer {
  ApiOutcome outcome = ApiOutcome::stopped;
  unsigned status = 0;             // HTTP status of the last answer; 0 when there was none
  std::string body;                // the last answer's body
  boost::json::value json;         // body parsed when it is JSON, else null
  unsigned attempts = 0;           // attempts made, the first included
  std::string error;               // human-readable reason when outcome != ok (never a secret)
  AnswerFields headers;            // lower-case names

  bool ok() const { return outcome == ApiOutcome::ok; }
  std::string_view header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return v;
    return {};
  }
};

class Api {
 public:
  virtual ~Api() = default;
  // Sends with retries until a final answer, an ambiguous failure of a
  // non-replay-safe request, exhaustion, or the run stopping. Never throws for
  // network or HTTP failures; they are in the outcome.
  virtual Awaitable<ApiAnswer> send(ApiRequest request) = 0;
};

}  // namespace ab
