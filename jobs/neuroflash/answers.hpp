// Reading neuroflash answers: the error shapes of API.md §A6 turned into one
// readable line, failed answers into row results, and ids out of objects.
#pragma once

#include "engine/send/api.hpp"
#include "engine/run/job_kind.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace ab::nf {

// The API's own words when the body has a known error shape, else nullopt:
//   {"error": "...", "code": "LIMIT"}                 -> "LIMIT: ..."
//   {"errors": [{"field": "f", "message": "m"}, ...]} -> "f: m; ..."
//   {"error": "invalid_client", "error_description": "d"} (OAuth2) -> "invalid_client: d"
//   {"message": "..."}                                -> "..."
std::optional<std::string> api_message(const boost::json::value& body);

// One line for any answer that is not ok: the API's words when it gave some,
// else the engine's reason (exhaustion, connection failure), else "HTTP N".
std::string describe_failure(const ApiAnswer& answer);

// The row result of a request that did not succeed: `failed`, with the status,
// the attempts and describe_failure(); `stopped` when the run stopped first.
RowResult failed_row(const ApiAnswer& answer);
// The same with the kind's own reason (an answer it cannot use, a body it will not send).
RowResult failed_row(const ApiAnswer& answer, std::string error);

// The row result of a success that touched audience `id`.
RowResult ok_row(const ApiAnswer& answer, std::string id);

// `object.key` as text when it is a non-empty string or an integer (ids come
// as either); nullopt otherwise, and when `value` is not an object.
std::optional<std::string> text_field(const boost::json::object& object, std::string_view key);
std::optional<std::string> text_field(const boost::json::value& value, std::string_view key);

}  // namespace ab::nf
