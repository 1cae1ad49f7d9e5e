#include "engine/send/answer_json.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>

#include <charconv>

namespace ab {

namespace {

namespace json = boost::json;

// One arena per answer, with room for a small answer's nodes inside it:
// the arena and its first block are one allocation, and all of it is freed
// at once with the last value that uses it.
class AnswerArena final : public json::memory_resource {
 private:
  void* do_allocate(std::size_t size, std::size_t alignment) override { return arena_.allocate(size, alignment); }
  void do_deallocate(void*, std::size_t, std::size_t) override {}
  bool do_is_equal(const json::memory_resource& other) const noexcept override { return this == &other; }

  unsigned char room_[512];
  json::monotonic_resource arena_{room_, sizeof room_};
};

// basic_parser's handler for answer_text_member: the parser checks the
// whole text as json::parser does (same options), and the handler only
// keeps what the wanted key of the top-level object holds.
class MemberFinder {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  explicit MemberFinder(std::string_view key) : key_(key) {}
  std::optional<std::string> found;

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_object_begin(boost::system::error_code&) { return enter(); }
  bool on_object_end(std::size_t, boost::system::error_code&) { return leave(); }
  bool on_array_begin(boost::system::error_code&) { return enter(); }
  bool on_array_end(std::size_t, boost::system::error_code&) { return leave(); }
  bool on_key_part(json::string_view part, std::size_t, boost::system::error_code&) {
    if (depth_ == 1) name_.append(part.data(), part.size());
    return true;
  }
  bool on_key(json::string_view last, std::size_t, boost::system::error_code&) {
    if (depth_ != 1) return true;
    name_.append(last.data(), last.size());
    wanted_next_ = name_ == key_;
    name_.clear();
    return true;
  }
  bool on_string_part(json::string_view part, std::size_t, boost::system::error_code&) {
    if (wanted_here()) text_.append(part.data(), part.size());
    return true;
  }
  bool on_string(json::string_view last, std::size_t, boost::system::error_code&) {
    if (!wanted_here()) return true;
    text_.append(last.data(), last.size());
    take(text_.empty() ? std::nullopt : std::optional<std::string>(std::move(text_)));
    text_.clear();
    return true;
  }
  bool on_number_part(json::string_view, boost::system::error_code&) { return true; }
  bool on_int64(std::int64_t n, json::string_view, boost::system::error_code&) { return number(n); }
  bool on_uint64(std::uint64_t n, json::string_view, boost::system::error_code&) { return number(n); }
  bool on_double(double, json::string_view, boost::system::error_code&) { return scalar(); }
  bool on_bool(bool, boost::system::error_code&) { return scalar(); }
  bool on_null(boost::system::error_code&) { return scalar(); }
  bool on_comment_part(json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(json::string_view, boost::system::error_code&) { return true; }

 private:
  std::string_view key_;
  std::size_t depth_ = 0;
  bool wanted_next_ = false;  // the value that comes next is the wanted key's
  std::string name_;          // a top-level key in parts
  std::string text_;          // the wanted string value in parts

  bool wanted_here() const { return depth_ == 1 && wanted_next_; }
  void take(std::optional<std::string> value) {
    found = std::move(value);  // a later repeat of the key replaces it
    wanted_next_ = false;
  }
  bool enter() {
    if (wanted_here()) take(std::nullopt);  // an object or array is not text
    ++depth_;
    return true;
  }
  bool leave() {
    --depth_;
    return true;
  }
  bool scalar() {
    if (wanted_here()) take(std::nullopt);
    return true;
  }
  template <class Integer>
  bool number(Integer n) {
    if (!wanted_here()) return true;
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    take(std::string(digits, end));
    return true;
  }
};

}  // namespace

std::optional<std::string> answer_text_member(std::string_view body, std::string_view key) {
  if (body.empty() || body.front() != '{') return std::nullopt;
  json::basic_parser<MemberFinder> parser(json::parse_options{}, key);
  boost::system::error_code ec;
  const std::size_t used = parser.write_some(false, body.data(), body.size(), ec);
  if (ec || used != body.size()) return std::nullopt;
  return std::move(parser.handler().found);
}

json::value parse_answer_json(std::string_view body) {
  if (body.empty() || (body.front() != '{' && body.front() != '[')) return nullptr;
  // One parser per thread, reset for each answer: its stack is grown once,
  // not made and freed per answer.
  thread_local json::parser parser;
  parser.reset(json::make_shared_resource<AnswerArena>());
  boost::system::error_code ec;
  parser.write(body.data(), body.size(), ec);
  if (ec) {
    parser.reset();  // lets go of the arena
    return nullptr;
  }
  return parser.release();
}

}  // namespace ab
