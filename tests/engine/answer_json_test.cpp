// An answer's body as JSON: objects and arrays parsed, anything else null,
// and every answer's value its own, whatever came before it.
#include "engine/send/answer_json.hpp"

#include "support/document_member.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ab {
namespace {

TEST(AnswerJson, ObjectsAndArraysAreParsed) {
  const auto object = parse_answer_json(R"({"id":"ta-1","n":2,"list":[1,"x",{"a":null}]})");
  ASSERT_TRUE(object.is_object());
  EXPECT_EQ(object.at("id").as_string(), "ta-1");
  EXPECT_EQ(object.at("n").as_int64(), 2);
  EXPECT_EQ(boost::json::serialize(object.at("list")), R"([1,"x",{"a":null}])");
  const auto array = parse_answer_json(R"([{"id":1},{"id":2}])");
  ASSERT_TRUE(array.is_array());
  EXPECT_EQ(array.as_array().size(), 2u);
}

TEST(AnswerJson, TextThatIsNotAJsonObjectOrArrayIsNull) {
  for (const std::string body : {"", "ok", "42", "\"text\"", "{\"id\":", "{\"id\":1}x", "[1,2", "{}{}"})
    EXPECT_TRUE(parse_answer_json(body).is_null()) << body;
}

// Every answer reads as Boost.JSON's own parse reads it, whichever way it
// is taken: the plain objects most answers are ({"id":"..."}) and all that
// only looks like one (escapes, spaces, non-string members, repeated keys,
// non-ASCII text, trailing bytes, cut-off text).
TEST(AnswerJson, ReadsAsBoostJsonParses) {
  const std::vector<std::string> bodies{
      R"({"id":"ta-0f3c"})", R"({"id":"","name":"x"})", R"({"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6"})",
      R"({"id":"a\"b"})", R"({"id":"a\\b"})", R"({"id":"\u00e9"})", "{\"id\":\"\xc3\xa9\"}", "{\"id\":\"\xff\"}",
      R"({ "id":"x"})", R"({"id" :"x"})", R"({"id":"x" })", R"({"id":"x"} )", R"({"id":12})", R"({"id":null})",
      R"({"id":"x","id":"y"})", R"({"id":"x",})", R"({"id":"x"}{})", R"({"id":"x"},)", R"({"id":"x")", R"({"id":)",
      R"({"id")", R"({"id)", R"({)", R"({})", R"({"id":["x"]})", R"({"id":{"x":"y"}})", "{\"id\":\"a\tb\"}",
      R"({"id":"x","n":-1.5e3,"t":true})"};
  for (const auto& body : bodies) {
    boost::system::error_code ec;
    const auto expected = boost::json::parse(body, ec);
    const auto got = parse_answer_json(body);
    if (ec)
      EXPECT_TRUE(got.is_null()) << body;
    else
      EXPECT_EQ(got, expected) << body << " read as " << boost::json::serialize(got);
  }
}

// A create reads its id without building the answer: it must find what the
// document holds, for every shape an answer can take.
TEST(AnswerJson, AMemberReadsAsTheParsedDocumentHoldsIt) {
  const std::string full_create =
      R"({"id":"16e6678d-39fe-4f00-8e61-bd8674b6331b","name":"Bench audience 1","country":"FR",)"
      R"("genderDistribution":{"female":7E-1,"male":1E-1,"nonBinary":1E-1,"preferNotToSay":1E-1},)"
      R"("interests":["AI","finance"],"maxAge":55,"shared":true,"permissions":{"canUpdate":true,"id":"p"}})";
  const std::vector<std::string> bodies{
      R"({"id":"ta-0f3c"})", full_create, R"({"id":"","name":"x"})", R"({"name":"x"})", R"({})",
      R"({"id":"a\"b"})", R"({"id":"a\\b\/c"})", R"({"id":"\u00e9\ud83d\ude00"})", "{\"id\":\"\xc3\xa9\"}",
      "{\"id\":\"\xff\"}", R"({"\u0069d":"escaped key"})", R"({"i":"x","d":"y","idx":"z","Id":"w"})",
      R"({ "id" : "x" } )", " {\"id\":\"x\"}", "{\"id\":\"x\"}\n", R"({"id":12})", R"({"id":-7})", R"({"id":-0})",
      R"({"id":18446744073709551615})", R"({"id":9223372036854775808})", R"({"id":1.5})", R"({"id":1e2})",
      R"({"id":null})", R"({"id":true})", R"({"id":["x"]})", R"({"id":{"id":"x"}})", R"({"a":{"id":"x"}})",
      R"({"a":[{"id":"x"}],"b":{"c":{"id":"y"}}})", R"({"id":"x","id":"y"})", R"({"id":"x","id":7})",
      R"({"id":"x","id":null})", R"({"id":{"a":1},"id":"back"})", R"({"id":"x",})", R"({"id":"x"}{})",
      R"({"id":"x"},)", R"({"id":"x")", R"({"id":)", R"({"id")", R"({)", R"([{"id":"x"}])", R"("id")", "",
      R"({"id":"x"/*c*/})", "{\"id\":\"a\tb\"}", R"({"id":"x","n":-1.5e3,"t":true,"z":[1,[2,{"q":[]}]]})"};
  for (const auto& body : bodies)
    EXPECT_EQ(answer_text_member(body, "id"), test::member_of_document(body, "id")) << body;
  EXPECT_EQ(answer_text_member(full_create, "id"), "16e6678d-39fe-4f00-8e61-bd8674b6331b");
  EXPECT_EQ(answer_text_member(full_create, "maxAge"), "55");
  EXPECT_EQ(answer_text_member(full_create, "shared"), std::nullopt);
  EXPECT_EQ(answer_text_member(R"({"\u0069d":"escaped key"})", "id"), "escaped key");
  EXPECT_EQ(answer_text_member(R"({"id":"x","id":"y"})", "id"), "y") << "of repeated keys the last";
}

// A failed parse leaves nothing behind for the next answer, and values
// from earlier answers stay whole while later ones are parsed.
TEST(AnswerJson, EachAnswerIsParsedOnItsOwn) {
  std::vector<boost::json::value> kept;
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(parse_answer_json("{\"id\":\"broken").is_null());
    kept.push_back(parse_answer_json("{\"id\":\"ta-" + std::to_string(i) + "\"}"));
  }
  for (int i = 0; i < 50; ++i) EXPECT_EQ(kept[i].at("id").as_string(), "ta-" + std::to_string(i));
}

// An answer larger than the arena's own room (a tw.list page) is whole.
TEST(AnswerJson, ALargeAnswerIsWhole) {
  std::string body = "{\"data\":[";
  for (int i = 0; i < 5000; ++i)
    body += (i ? ",{\"id\":\"" : "{\"id\":\"") + std::to_string(i) + "\",\"name\":\"audience number " +
            std::to_string(i) + "\"}";
  body += "]}";
  const auto value = parse_answer_json(body);
  ASSERT_TRUE(value.is_object());
  const auto& data = value.at("data").as_array();
  ASSERT_EQ(data.size(), 5000u);
  EXPECT_EQ(data[4999].at("name").as_string(), "audience number 4999");
  EXPECT_EQ(boost::json::serialize(value), body);
}

// A value copied out of its answer, or moved on, stays valid after the
// original is gone.
TEST(AnswerJson, AValueOutlivesItsOriginal) {
  boost::json::value moved;
  boost::json::value copied;
  {
    auto parsed = parse_answer_json(R"({"id":"ta-9"})");
    copied = parsed;
    moved = std::move(parsed);
  }
  parse_answer_json(R"({"id":"other"})");
  EXPECT_EQ(moved.at("id").as_string(), "ta-9");
  EXPECT_EQ(copied.at("id").as_string(), "ta-9");
}

}  // namespace
}  // namespace ab
