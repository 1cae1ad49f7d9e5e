#include "engine/send/simple_answer.hpp"

#include <array>
#include <charconv>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ab {

namespace {

using namespace std::string_view_literals;

constexpr std::string_view version = "HTTP/1.1 "sv;
// Fields beyond this many go to Beast: no answer we meet has half as many.
constexpr std::size_t most_fields = 32;

// RFC 7230 tchar, as Beast's field-name table has it.
constexpr std::array<bool, 256> token_chars = [] {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (const char c : "!#$%&'*+-.^_`|~"sv) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

// A byte of a head: HTAB, SP, VCHAR and obs-text, and CR and LF between lines.
bool head_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == '\t' || u == '\r' || u == '\n' || (u >= 0x20 && u != 0x7f);
}

bool ows(char c) { return c == ' ' || c == '\t'; }

// The next CR from `p`, or nullptr.
const char* next_cr(const char* p, const char* last) {
  return static_cast<const char*>(std::memchr(p, '\r', static_cast<std::size_t>(last - p)));
}

// Whether every byte of `head` may stand in one (head_char) and every CR
// and LF stand together as CRLF: then each line between CRLFs is plain
// text. One pass, 16 bytes at a time where SSE2 is there.
bool plain_head(std::string_view head) {
  const char* p = head.data();
  const char* const end = p + head.size();
  unsigned carry = 0;  // a CR ended the block before: its LF starts this one
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f), tab = _mm_set1_epi8('\t');
  const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
  for (; end - p >= 16; p += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i is_cr = _mm_cmpeq_epi8(x, cr), is_lf = _mm_cmpeq_epi8(x, lf);
    const __m128i text = _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(x, space), x), _mm_cmpeq_epi8(x, tab));
    const __m128i allowed = _mm_andnot_si128(_mm_cmpeq_epi8(x, del), _mm_or_si128(text, _mm_or_si128(is_cr, is_lf)));
    if (_mm_movemask_epi8(allowed) != 0xffff) return false;
    const auto crs = static_cast<unsigned>(_mm_movemask_epi8(is_cr));
    const auto lfs = static_cast<unsigned>(_mm_movemask_epi8(is_lf));
    if (lfs != (((crs << 1) | carry) & 0xffffu)) return false;
    carry = crs >> 15;
  }
#endif
  for (; p != end; ++p) {
    if (!head_char(*p) || (*p == '\n') != (carry != 0)) return false;
    carry = *p == '\r';
  }
  return carry == 0;
}

// `text` is `lower_case` in any case. Only for literals of letters and '-':
// c | 0x20 maps A-Z to a-z and leaves '-' and a-z as they are, and no other
// byte of a head's line (CR ends it) maps onto one of them. Eight bytes at
// a time: a field name is compared on every answer.
bool same_name(std::string_view text, std::string_view lower_case) {
  if (text.size() != lower_case.size()) return false;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t a = 0, b = 0;
    std::memcpy(&a, text.data() + i, 8);
    std::memcpy(&b, lower_case.data() + i, 8);
    if ((a | 0x2020202020202020ull) != b) return false;
  }
  for (; i < text.size(); ++i)
    if ((text[i] | 0x20) != lower_case[i]) return false;
  return true;
}

// A field kept for the answer. Plain pointers and sizes: an array of them
// is left uninitialised, where string_views would each be zeroed first.
struct FieldView {
  const char* name;
  std::size_t name_size;
  const char* value;
  std::size_t value_size;
};

// What a head says about its framing, read from its fields.
struct Framing {
  std::uint64_t content_length = 0;
  bool has_length = false;
  bool close = false;
};

// One field's framing part; false when it is not one this reader takes
// (Beast's, then: Transfer-Encoding, lists, Upgrade, a second length...).
bool note_framing(std::string_view name, std::string_view value, Framing& framing, bool& keep) {
  keep = true;
  switch (name.size()) {
    case 14:
      if (!same_name(name, "content-length")) return true;
      if (framing.has_length || value.empty() || value.size() > 18) return false;
      for (const char c : value)
        if (c < '0' || c > '9') return false;
      std::from_chars(value.data(), value.data() + value.size(), framing.content_length);
      framing.has_length = true;
      keep = false;
      return true;
    case 10:
      if (same_name(name, "connection")) {
        if (same_name(value, "close")) {
          framing.close = true;
        } else if (!same_name(value, "keep-alive")) {
          return false;
        }
        keep = false;
        return true;
      }
      if (same_name(name, "keep-alive")) keep = false;
      return true;
    case 17:
      return !same_name(name, "transfer-encoding");
    case 16:
      return !same_name(name, "proxy-connection");
    case 7:
      return !same_name(name, "upgrade");
    case 6:
      if (same_name(name, "server")) keep = false;
      return true;
    default:
      return true;
  }
}

// "HTTP/1.1 " and three digits, a space, a reason phrase: the status, or 0
// (the phrase's bytes were checked with the head's).
unsigned status_line(std::string_view line) {
  if (line.size() < version.size() + 4 || !line.starts_with(version)) return 0;
  unsigned status = 0;
  for (std::size_t i = version.size(); i < version.size() + 3; ++i) {
    if (line[i] < '0' || line[i] > '9') return 0;
    status = status * 10 + static_cast<unsigned>(line[i] - '0');
  }
  return line[version.size() + 3] == ' ' ? status : 0;
}

SimpleAnswer outcome(SimpleAnswer::Outcome o) { return SimpleAnswer{o, 0, false}; }

}  // namespace

SimpleAnswer read_simple_answer(std::string_view bytes, HttpAnswer& out, std::size_t header_limit,
                                std::uint64_t body_limit, std::size_t wait_for_at_most) {
  using Outcome = SimpleAnswer::Outcome;
  const std::size_t start = bytes.size() < version.size() ? bytes.size() : version.size();
  if (bytes.substr(0, start) != version.substr(0, start)) return outcome(Outcome::not_simple);
  const char* const first = bytes.data();
  const char* const last = first + bytes.size();
  // Not all here yet: worth waiting for while a simple head may still come.
  const Outcome wait = bytes.size() < header_limit && bytes.size() < wait_for_at_most ? Outcome::need_more
                                                                                       : Outcome::not_simple;

  // Line by line to the empty one: the status line, then a field a line.
  // Each line's bytes are checked with the whole head's at the end
  // (plain_head), before anything is given to `out`.
  const char* line_end = next_cr(first, last);
  if (!line_end) return outcome(wait);
  const unsigned status = status_line({first, static_cast<std::size_t>(line_end - first)});
  if (status < 200 || status > 599 || status == 204 || status == 304) return outcome(Outcome::not_simple);
  FieldView kept[most_fields];
  std::size_t kept_count = 0;
  Framing framing;
  for (;;) {
    const char* const at = line_end + 2;
    if (at >= last) return outcome(wait);
    if (static_cast<std::size_t>(at - first) > header_limit) return outcome(Outcome::not_simple);
    line_end = next_cr(at, last);
    if (!line_end) return outcome(wait);
    if (line_end == at) break;  // the empty line
    // A continuation line (obs-fold) is Beast's.
    if (ows(*at)) return outcome(Outcome::not_simple);
    const std::string_view line(at, static_cast<std::size_t>(line_end - at));
    const std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return outcome(Outcome::not_simple);
    const std::string_view name = line.substr(0, colon);
    for (const char c : name)
      if (!token_chars[static_cast<unsigned char>(c)]) return outcome(Outcome::not_simple);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && ows(value.front())) value.remove_prefix(1);
    while (!value.empty() && ows(value.back())) value.remove_suffix(1);
    bool keep = true;
    if (!note_framing(name, value, framing, keep)) return outcome(Outcome::not_simple);
    if (!keep) continue;
    if (kept_count == most_fields) return outcome(Outcome::not_simple);
    kept[kept_count++] = FieldView{name.data(), name.size(), value.data(), value.size()};
  }
  if (line_end + 1 == last) return outcome(wait);
  const auto head_size = static_cast<std::size_t>(line_end + 2 - first);
  if (head_size > header_limit || !plain_head(bytes.substr(0, head_size))) return outcome(Outcome::not_simple);
  if (!framing.has_length || framing.content_length > body_limit) return outcome(Outcome::not_simple);

  const std::uint64_t total = head_size + framing.content_length;
  if (total > bytes.size()) return outcome(total <= wait_for_at_most ? Outcome::need_more : Outcome::not_simple);

  out.status = status;
  for (std::size_t i = 0; i < kept_count; ++i)
    out.headers.add_lower_cased({kept[i].name, kept[i].name_size}, {kept[i].value, kept[i].value_size});
  out.body.append(bytes.substr(head_size, static_cast<std::size_t>(framing.content_length)));
  return SimpleAnswer{Outcome::done, static_cast<std::size_t>(total), !framing.close};
}

}  // namespace ab
