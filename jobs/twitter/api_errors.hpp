// X Ads API error shapes turned into one-line row messages. The API answers
// {"errors": [{"code": "NOT_FOUND", "message": "...", "parameter": "..."}]}
// for a request, and the batch endpoint lists item errors the same way.
#pragma once

#include "engine/send/api.hpp"

#include <boost/json/value.hpp>

#include <string>

namespace ab::tw {

// "NOT_FOUND: Tailored audience not found (tailored_audience_id)"; several
// errors joined with "; ". Accepts an array of error objects or one object;
// "" when there is nothing readable.
std::string error_text(const boost::json::value& errors);

// Why a request did not succeed: the engine's reason ("HTTP 404", "HTTP 503
// (gave up after 8 attempts)") followed by the API's own errors, if any.
std::string describe_failure(const ApiAnswer& answer);

}  // namespace ab::tw
