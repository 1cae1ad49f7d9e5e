// The header fields of an answer, in the order received, kept in one buffer:
// an answer costs one allocation for all its fields, not two a field.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

namespace ab {

struct AnswerField {
  std::string_view name;
  std::string_view value;
  bool operator==(const AnswerField&) const = default;
};

class AnswerFields {
 public:
  // Yields each field as views into the buffer, valid while it is not changed.
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = AnswerField;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = AnswerField;

    const_iterator() = default;
    AnswerField operator*() const;
    const_iterator& operator++();
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(const const_iterator&) const = default;

   private:
    friend class AnswerFields;
    explicit const_iterator(const char* at) : at_(at) {}
    const char* at_ = nullptr;
  };

  AnswerFields() = default;
  // Names as given.
  AnswerFields(std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

  void add(std::string_view name, std::string_view value);
  // With the name in lower case: names are case-insensitive, and so a
  // reader compares them plainly.
  void add_lower_cased(std::string_view name, std::string_view value);
  void reserve(std::size_t bytes) { text_.reserve(bytes); }
  void clear() { text_.clear(); }
  bool empty() const { return text_.empty(); }
  const_iterator begin() const { return const_iterator(text_.data()); }
  const_iterator end() const { return const_iterator(text_.data() + text_.size()); }

 private:
  // Per field: the name's and the value's sizes (a std::uint32_t each), the
  // name, the value. Beast limits the fields to far less than 4 GiB.
  std::string text_;
};

}  // namespace ab
