// JSON text as the real services write it: decimals as decimals ("0.07", not
// Boost.JSON's "7E-2"), so that a profile reads like neuroflash's and a
// client that checks a gender split in decimal sees the digits it was sent.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace ab::sim {

void append_json_text(std::string& out, const boost::json::value& value);
std::string to_json_text(const boost::json::value& value);
// `text` as a JSON string, quoted and escaped.
void append_json_string(std::string& out, std::string_view text);

}  // namespace ab::sim
