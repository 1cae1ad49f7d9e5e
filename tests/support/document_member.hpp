// The member `key` of an answer as its parsed document holds it, by the rule
// answer_text_member (engine/send/answer_json.hpp) promises: a non-empty
// string as it is, an integer in decimal, anything else nothing. What its
// test and its differential fuzzer hold the reader to.
#pragma once

#include "engine/send/answer_json.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ab::test {

inline std::optional<std::string> member_of_document(std::string_view body, std::string_view key) {
  const auto document = parse_answer_json(body);
  const auto* object = document.if_object();
  const auto* value = object ? object->if_contains(key) : nullptr;
  if (!value) return std::nullopt;
  if (value->is_string() && !value->get_string().empty()) return std::string(value->get_string());
  if (value->is_int64()) return std::to_string(value->get_int64());
  if (value->is_uint64()) return std::to_string(value->get_uint64());
  return std::nullopt;
}

}  // namespace ab::test
