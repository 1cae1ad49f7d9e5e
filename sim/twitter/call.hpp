// One authenticated request to a simulated X Ads endpoint and its answer, in
// X's shapes: {"data": ..., "request": {"params": ...}} or
// {"errors": [{"code", "message", "parameter"}], "request": ...}.
#pragma once

#include "sim/twitter/oauth1_signature.hpp"
#include "sim/rate_window.hpp"
#include "sim/referee.hpp"
#include "sim/twitter/versions.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ab::sim::tw {

// X's CAPS_CASE error codes (its "error codes and responses" page).
namespace code {
inline constexpr std::string_view invalid_parameter = "INVALID_PARAMETER";
inline constexpr std::string_view missing_parameter = "MISSING_PARAMETER";
inline constexpr std::string_view exclusive_parameters = "EXCLUSIVE_PARAMETERS";
inline constexpr std::string_view not_found = "NOT_FOUND";
inline constexpr std::string_view invalid_auth = "INVALID_AUTH";
inline constexpr std::string_view too_many_requests = "TOO_MANY_REQUESTS";
inline constexpr std::string_view action_not_allowed = "ACTION_NOT_ALLOWED";
inline constexpr std::string_view too_many_operations = "TOO_MANY_OPERATIONS";
}  // namespace code

struct XError {
  std::string_view code;
  std::string message;
  std::string parameter;  // empty: not about one parameter
};

boost::json::object error_json(const XError& error);

// X's booleans: exactly "true" or "false".
std::optional<bool> parse_x_bool(std::string_view text);

// An error and the referee's rule the request broke by it, if any.
struct RuleError {
  XError error;
  std::string_view rule;
};

// The first value given for `name`, or nullptr.
const std::string* find_param(const oauth1::Params& params, std::string_view name);

struct Call {
  const Dialect& dialect;        // the version the path names
  std::string account_id;
  std::string audience_id;       // from the path; empty when the path names none
  const oauth1::Params& params;  // query and form body, decoded, without oauth_*
  std::string_view content_type;
  std::string_view body;
  SystemTime now;
  Referee& referee;

  const std::string* param(std::string_view name) const { return find_param(params, name); }
  // What X echoes as request.params: the parameters, account_id and the path's id.
  boost::json::object echo() const;
};

struct Answer {
  unsigned status = 200;
  boost::json::object body;
  std::optional<WindowDecision> window;  // an endpoint's own limit, shown as x-rate-limit-*
};

// {"data": data, "request": {"params": call.echo()}} plus `extra` members.
Answer data_answer(const Call& call, boost::json::value data, boost::json::object extra = {});
// {"errors": [error], "request": {"params": call.echo()}}; counts `rule` if not empty.
Answer error_answer(const Call& call, unsigned status, XError error, std::string_view rule = {});

}  // namespace ab::sim::tw
