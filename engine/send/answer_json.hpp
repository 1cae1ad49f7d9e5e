// An answer's body as JSON, parsed at the least cost per answer: every
// request of a run has one, most are a few dozen bytes ({"id":"..."}).
#pragma once

#include <boost/json/value.hpp>

#include <string_view>

namespace ab {

// `body` parsed when it is a JSON object or array, else null (as it is for
// text that is not JSON). The value owns its memory and may outlive
// anything here.
boost::json::value parse_answer_json(std::string_view body);

}  // namespace ab
