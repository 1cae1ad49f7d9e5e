// libFuzzer target: a create's id read without building its answer
// (answer_text_member, engine/send/answer_json.hpp) against the member of
// the document the engine parses otherwise (parse_answer_json), by the rule
// the reader promises: a non-empty string as it is, an integer in decimal,
// anything else nothing. The first input byte picks the key looked for.
#include "engine/send/answer_json.hpp"
#include "tests/support/document_member.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  constexpr std::string_view keys[] = {"id", "a", "", "\xc3\xa9"};
  const std::string_view key = keys[data[0] % 4];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto read = ab::answer_text_member(body, key);
  const auto expected = ab::test::member_of_document(body, key);
  if (read != expected) {
    std::fprintf(stderr, "answer_member_fuzz: key \"%.*s\": read %s, the document holds %s\ninput: %.*s\n",
                 static_cast<int>(key.size()), key.data(), read ? read->c_str() : "nothing",
                 expected ? expected->c_str() : "nothing", static_cast<int>(body.size()), body.data());
    std::abort();
  }
  return 0;
}
