#include "engine/input/fields.hpp"

#include <boost/json/parse.hpp>

namespace ab {

namespace {

// Keeps a parsed value in `cell`, or says the cell is not of its type.
template <class T, class Value>
bool keep(Value& cell, std::optional<T> parsed) {
  if (!parsed) return false;
  cell = *parsed;
  return true;
}

}  // namespace

std::span<const std::string_view> Fields::list(Field f) const {
  const Items* items = std::get_if<Items>(&cells_[f.index].value);
  if (!items) return {};
  return std::span(items_.items.data() + items->first, items->count);
}

const boost::json::value* Fields::json(Field f) const {
  const JsonAt* at = std::get_if<JsonAt>(&cells_[f.index].value);
  return at ? &json_[at->index] : nullptr;
}

void Fields::clear() {
  cells_.clear();
  items_.items.clear();
  items_.storage.clear();
  json_.clear();
}

void Fields::add_absent() { cells_.push_back(Cell{{}, false, {}}); }

void Fields::add_empty() { cells_.push_back(Cell{}); }

bool Fields::add(CellType type, std::string_view cell, std::string* error) {
  Cell& added = cells_.emplace_back(Cell{cell, true, {}});
  switch (type) {
    case CellType::text:
      return true;
    case CellType::integer:
      return keep(added.value, parse_integer(cell, error));
    case CellType::decimal:
      return keep(added.value, parse_decimal(cell, error));
    case CellType::boolean:
      return keep(added.value, parse_boolean(cell, error));
    case CellType::url:
      return is_http_url(cell, error);
    case CellType::list:
    case CellType::url_list: {
      const std::size_t first = items_.items.size();
      const bool ok =
          type == CellType::list ? append_list_items(cell, items_, error) : append_url_list(cell, items_, error);
      added.value = Items{static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(items_.items.size() - first)};
      return ok;
    }
    case CellType::json: {
      boost::system::error_code ec;
      boost::json::value value = boost::json::parse(cell, ec);
      if (ec) {
        if (error) *error = "not valid JSON: " + ec.message();
        return false;
      }
      added.value = JsonAt{json_.size()};
      json_.push_back(std::move(value));
      return true;
    }
  }
  return true;
}

}  // namespace ab
