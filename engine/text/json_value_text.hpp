// A parsed JSON value written back as text with its numbers as an API
// writes them ("0.53", not Boost.JSON's "5.3E-1"): --responses keeps the
// answer's figures readable and comparable with what the API documents.
#pragma once

#include "engine/text/json_text.hpp"

#include <boost/json/value.hpp>

namespace ab {

void write_json_value(JsonText& out, const boost::json::value& value);

}  // namespace ab
