// A row's cells as typed values: made once, by the column check
// (ColumnChecker::check), and read by the job kind, so that no cell is parsed
// twice. A kind names each field by its column's position in its declaration
// (a Field, made at compile time from the column's name).
#pragma once

#include "engine/input/cells.hpp"
#include "engine/input/columns.hpp"

#include <boost/container/small_vector.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ab {

// A column of a kind's declaration: its position there, and its name (for
// messages and request parameters).
struct Field {
  std::size_t index = 0;
  std::string_view name;
};

// The field of column `name` in `columns`. Meant for constexpr variables, where
// a name the declaration lacks does not compile.
template <std::size_t N>
constexpr Field field(const std::array<Column, N>& columns, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i)
    if (columns[i].name == name) return Field{i, name};
  throw std::invalid_argument("no such column in the declaration");
}

class Fields {
 public:
  // Whether the file's header has the column.
  bool in_header(Field f) const { return cells_[f.index].in_header; }
  // The cell as typed, whatever its type; "" when it is empty or not in the header.
  std::string_view text(Field f) const { return cells_[f.index].text; }
  bool empty(Field f) const { return cells_[f.index].text.empty(); }
  // A typed cell's value; nullopt (null, no items) when the cell is empty.
  std::optional<std::int64_t> integer(Field f) const { return value<std::int64_t>(f); }
  std::optional<Decimal> decimal(Field f) const { return value<Decimal>(f); }
  std::optional<bool> boolean(Field f) const { return value<bool>(f); }
  // A list or url_list cell's items: views into the row, or into this object
  // for a JSON array's unescaped strings.
  std::span<const std::string_view> list(Field f) const;
  const boost::json::value* json(Field f) const;

  // The column check fills the cells in the declaration's order: after
  // clear(), one of these per column.
  void clear();
  void add_absent();
  void add_empty();
  // A non-empty cell of `type`; false, with the reason in `error`, when the
  // cell is not of that type.
  bool add(CellType type, std::string_view cell, std::string* error);

 private:
  struct Items {  // a cell's items in items_
    std::uint32_t first = 0;
    std::uint32_t count = 0;
  };
  struct JsonAt {  // a cell's value in json_
    std::size_t index = 0;
  };
  struct Cell {
    std::string_view text;
    bool in_header = true;
    // monostate: an empty cell, or a text or url one (its text is its value).
    std::variant<std::monostate, std::int64_t, Decimal, bool, Items, JsonAt> value;
  };

  template <class T>
  std::optional<T> value(Field f) const {
    const T* v = std::get_if<T>(&cells_[f.index].value);
    return v ? std::optional<T>(*v) : std::nullopt;
  }

  // Inline room for a kind's usual columns and list items: a row's fields
  // cost no allocation unless a cell is JSON.
  boost::container::small_vector<Cell, 16> cells_;
  ListItems items_;
  std::vector<boost::json::value> json_;
};

}  // namespace ab
