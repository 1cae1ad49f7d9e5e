// libFuzzer target: the simple answer reader (engine/send/simple_answer.hpp)
// against Beast's own response parser, the one the engine falls back to.
// Whenever the simple reader says it has read an answer, Beast must read
// the same bytes the same way: no error, the same length, status, body,
// keep-alive, and the same fields (framing fields and Server left out,
// names lower-cased, in the order they came). That it leaves an answer to
// Beast is always allowed.
#include "engine/send/simple_answer.hpp"

#include <boost/beast/http/basic_parser.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace http = boost::beast::http;

void require(bool ok, const char* what, std::string_view input) {
  if (ok) return;
  std::fprintf(stderr, "simple_answer_fuzz: %s\ninput: %.*s\n", what, static_cast<int>(input.size()), input.data());
  std::abort();
}

constexpr std::size_t header_limit = 8 * 1024;
constexpr std::uint64_t body_limit = 64 * 1024;

bool framing_or_server(std::string_view lower_name) {
  return lower_name == "content-length" || lower_name == "connection" || lower_name == "keep-alive" ||
         lower_name == "transfer-encoding" || lower_name == "server";
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// What the engine's fallback sees: Beast's basic_parser, its callbacks in
// wire order (a response<> would group fields of the same name).
class Recorder final : public http::basic_parser<false> {
 public:
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string body;

 private:
  void on_request_impl(http::verb, boost::beast::string_view, boost::beast::string_view, int,
                       boost::beast::error_code&) override {}
  void on_response_impl(int code, boost::beast::string_view, int, boost::beast::error_code&) override {
    status = static_cast<unsigned>(code);
  }
  void on_field_impl(http::field, boost::beast::string_view name, boost::beast::string_view value,
                     boost::beast::error_code&) override {
    auto lower_name = lower({name.data(), name.size()});
    if (!framing_or_server(lower_name)) fields.emplace_back(std::move(lower_name), std::string(value));
  }
  void on_header_impl(boost::beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&, boost::beast::error_code&) override {}
  std::size_t on_body_impl(boost::beast::string_view piece, boost::beast::error_code&) override {
    body.append(piece.data(), piece.size());
    return piece.size();
  }
  void on_chunk_header_impl(std::uint64_t, boost::beast::string_view, boost::beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view piece, boost::beast::error_code&) override {
    body.append(piece.data(), piece.size());
    return piece.size();
  }
  void on_finish_impl(boost::beast::error_code&) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  ab::HttpAnswer simple;
  const auto read = ab::read_simple_answer(input, simple, header_limit, body_limit);
  if (read.outcome != ab::SimpleAnswer::Outcome::done) {
    require(simple.status == 0 && simple.headers.empty() && simple.body.empty(), "out changed without an answer",
            input);
    return 0;
  }
  require(read.used <= size, "used more bytes than given", input);

  Recorder beast;
  beast.eager(true);
  beast.header_limit(header_limit);
  beast.body_limit(body_limit);
  boost::system::error_code ec;
  const std::size_t used = beast.put(boost::asio::buffer(input.data(), size), ec);
  require(!ec, "Beast refused an answer the simple reader took", input);
  require(beast.is_done(), "Beast did not finish an answer the simple reader took", input);
  require(used == read.used, "a different length", input);
  require(beast.status == simple.status, "a different status", input);
  require(beast.body == simple.body, "a different body", input);
  require(beast.keep_alive() == read.keep_alive, "a different keep-alive", input);

  const auto& fields = beast.fields;
  std::size_t i = 0;
  for (const auto& field : simple.headers) {
    require(i < fields.size(), "a field Beast does not have", input);
    if (field.name != fields[i].first || field.value != fields[i].second)
      std::fprintf(stderr, "field %zu: simple [%.*s: %.*s], Beast [%s: %s]\n", i, static_cast<int>(field.name.size()),
                   field.name.data(), static_cast<int>(field.value.size()), field.value.data(), fields[i].first.c_str(),
                   fields[i].second.c_str());
    require(field.name == fields[i].first && field.value == fields[i].second, "a different field", input);
    ++i;
  }
  require(i == fields.size(), "a field missing", input);
  return 0;
}
