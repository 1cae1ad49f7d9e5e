// An answer's body as JSON, parsed at the least cost per answer: every
// request of a run has one, most are a few dozen bytes ({"id":"..."}).
#pragma once

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ab {

// `body` parsed when it is a JSON object or array, else null (as it is for
// text that is not JSON). The value owns its memory and may outlive
// anything here.
boost::json::value parse_answer_json(std::string_view body);

// One member of `body`'s top-level object as text, without building the
// document: a non-empty string as it is, an integer in decimal, else (an
// empty string, another type, no such member, `body` not an object or not
// valid JSON) nullopt; of repeated keys the last. The same as reading the
// member of parse_answer_json(body), for a create whose answer is read for
// its id alone (tests/engine/answer_json_test.cpp holds the two together).
std::optional<std::string> answer_text_member(std::string_view body, std::string_view key);

}  // namespace ab
