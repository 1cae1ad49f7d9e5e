#include "engine/input/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ab {
namespace {

constexpr auto npos = std::string_view::npos;

TEST(Utf8, AcceptsEveryEncodedLength) {
  EXPECT_EQ(invalid_utf8_offset(""), npos);
  EXPECT_EQ(invalid_utf8_offset("plain ascii"), npos);
  EXPECT_EQ(invalid_utf8_offset("\xC2\x80 \xDF\xBF"), npos);                  // U+0080, U+07FF
  EXPECT_EQ(invalid_utf8_offset("\xE0\xA0\x80 \xED\x9F\xBF \xEF\xBF\xBF"), npos);  // U+0800, U+D7FF, U+FFFF
  EXPECT_EQ(invalid_utf8_offset("\xF0\x90\x80\x80 \xF4\x8F\xBF\xBF"), npos);  // U+10000, U+10FFFF
}

TEST(Utf8, PointsAtTheFirstBadByte) {
  EXPECT_EQ(invalid_utf8_offset("ab\x80"), 2u);                  // a lone continuation byte
  EXPECT_EQ(invalid_utf8_offset("\xC1\xBF"), 0u);                // overlong two-byte form
  EXPECT_EQ(invalid_utf8_offset("x\xE0\x9F\xBF"), 1u);           // overlong three-byte form
  EXPECT_EQ(invalid_utf8_offset("\xED\xA0\x80"), 0u);            // a UTF-16 surrogate
  EXPECT_EQ(invalid_utf8_offset("\xF0\x8F\xBF\xBF"), 0u);        // overlong four-byte form
  EXPECT_EQ(invalid_utf8_offset("\xF4\x90\x80\x80"), 0u);        // above U+10FFFF
  EXPECT_EQ(invalid_utf8_offset("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(invalid_utf8_offset("ok\xE2\x82"), 2u);              // cut short at the end
  EXPECT_EQ(invalid_utf8_offset("\xE2\x82x"), 0u);               // cut short by ASCII
  EXPECT_EQ(invalid_utf8_offset("\xC3\xA9\xFF"), 2u);
}

TEST(Utf8, AsciiCheckSeesAHighByteAtAnyPosition) {
  for (std::size_t length = 0; length < 20; ++length) {
    std::string s(length, 'a');
    EXPECT_TRUE(is_ascii(s)) << length;
    for (std::size_t at = 0; at < length; ++at) {
      s[at] = '\x80';
      EXPECT_FALSE(is_ascii(s)) << length << " " << at;
      s[at] = '\x7F';
      EXPECT_TRUE(is_ascii(s)) << length << " " << at;
      s[at] = 'a';
    }
  }
}

}  // namespace
}  // namespace ab
