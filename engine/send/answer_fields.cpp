#include "engine/send/answer_fields.hpp"

#include <cstdint>
#include <cstring>

namespace ab {

namespace {

constexpr std::size_t size_bytes = sizeof(std::uint32_t);

std::size_t size_at(const char* at) {
  std::uint32_t size = 0;
  std::memcpy(&size, at, size_bytes);
  return size;
}

void append_size(std::string& text, std::size_t size) {
  const auto narrow = static_cast<std::uint32_t>(size);
  text.append(reinterpret_cast<const char*>(&narrow), size_bytes);
}

}  // namespace

AnswerField AnswerFields::const_iterator::operator*() const {
  const std::size_t name = size_at(at_);
  const std::size_t value = size_at(at_ + size_bytes);
  const char* text = at_ + 2 * size_bytes;
  return {{text, name}, {text + name, value}};
}

AnswerFields::const_iterator& AnswerFields::const_iterator::operator++() {
  at_ += 2 * size_bytes + size_at(at_) + size_at(at_ + size_bytes);
  return *this;
}

AnswerFields::AnswerFields(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  for (const auto& [name, value] : fields) add(name, value);
}

void AnswerFields::add(std::string_view name, std::string_view value) {
  append_size(text_, name.size());
  append_size(text_, value.size());
  text_ += name;
  text_ += value;
}

void AnswerFields::add_lower_cased(std::string_view name, std::string_view value) {
  // One resize and straight copies: an answer's every field comes here.
  const std::size_t at = text_.size();
  text_.resize(at + 2 * size_bytes + name.size() + value.size());
  char* out = text_.data() + at;
  const std::uint32_t sizes[2] = {static_cast<std::uint32_t>(name.size()), static_cast<std::uint32_t>(value.size())};
  std::memcpy(out, sizes, sizeof sizes);
  out += sizeof sizes;
  for (const char c : name) *out++ = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  if (!value.empty()) std::memcpy(out, value.data(), value.size());
}

}  // namespace ab
