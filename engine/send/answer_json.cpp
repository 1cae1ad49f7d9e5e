#include "engine/send/answer_json.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>

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

}  // namespace

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
