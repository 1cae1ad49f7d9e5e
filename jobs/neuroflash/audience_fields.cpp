#include "jobs/neuroflash/audience_fields.hpp"

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <limits>

namespace ab::nf {

namespace json = boost::json;

namespace {

// SPEC.md §4: every field of A4 is a column of the same name, except the four
// gender shares, which make up the genderDistribution object.
constexpr std::array<Column, 14> create_table = {{
    {"name", CellType::text, true},
    {"female", CellType::decimal, true},
    {"male", CellType::decimal, true},
    {"nonBinary", CellType::decimal, true},
    {"preferNotToSay", CellType::decimal, true},
    {"country", CellType::text, false},
    {"minAge", CellType::integer, false},
    {"maxAge", CellType::integer, false},
    {"interests", CellType::list, false},
    {"needs", CellType::list, false},
    {"painPoints", CellType::list, false},
    {"nativeLanguage", CellType::text, false},
    {"residence", CellType::text, false},
    {"shared", CellType::boolean, false},
}};

constexpr auto update_table = [] {
  std::array<Column, create_table.size() + 1> columns{};
  columns[0] = {"id", CellType::text, true};
  for (std::size_t i = 0; i < create_table.size(); ++i) {
    columns[i + 1] = create_table[i];
    columns[i + 1].required = false;
  }
  return columns;
}();

bool is_gender(std::string_view column) {
  return std::find(gender_keys.begin(), gender_keys.end(), column) != gender_keys.end();
}

RowError missing(std::string_view column) { return {std::string(column), "required, but empty"}; }

// d > 1, without overflowing 10^scale.
bool above_one(const Decimal& d) {
  if (d.scale > 18) return false;  // units < 2^63 < 10^19 <= 10^scale
  std::int64_t one = 1;
  for (unsigned i = 0; i < d.scale; ++i) one *= 10;
  return d.units > one;
}

// One cell of a non-gender column as its JSON value.
std::variant<json::value, RowError> cell_value(const Column& column, std::string_view cell,
                                               const json::storage_ptr& storage) {
  std::string why;
  switch (column.type) {
    case CellType::integer:
      if (auto n = parse_integer(cell, &why)) return json::value(*n, storage);
      break;
    case CellType::boolean:
      if (auto b = parse_boolean(cell, &why)) return json::value(*b, storage);
      break;
    case CellType::list:
      if (auto items = parse_list(cell, &why)) {
        json::array array(storage);
        array.reserve(items->size());
        for (auto& item : *items) array.emplace_back(item);
        return json::value(std::move(array));
      }
      break;
    default:
      return json::value(json::string(cell, storage));
  }
  return RowError{std::string(column.name), why.empty() ? "not a valid value" : why};
}

// The genderDistribution object a row gives: all four shares, none (update
// only: keep the current ones), or an error.
std::variant<std::optional<json::object>, RowError> gender_distribution(const Row& row, FieldMode mode,
                                                                       const json::storage_ptr& storage) {
  std::array<Decimal, 4> shares{};
  std::vector<std::string_view> given;
  std::vector<std::string_view> absent;
  for (std::size_t i = 0; i < gender_keys.size(); ++i) {
    std::string_view cell = row.cell(gender_keys[i]);
    if (cell.empty()) {
      absent.push_back(gender_keys[i]);
      continue;
    }
    std::string why;
    auto share = parse_decimal(cell, &why);
    if (!share) return RowError{std::string(gender_keys[i]), why.empty() ? "not a decimal" : why};
    shares[i] = *share;
    given.push_back(gender_keys[i]);
  }
  if (mode == FieldMode::update && given.empty()) return std::optional<json::object>{};
  if (!absent.empty()) {
    if (mode == FieldMode::create) return missing(absent.front());
    std::string listed;
    for (auto name : given) listed += (listed.empty() ? "" : ", ") + std::string(name);
    return RowError{std::string(absent.front()), "give all four gender shares or none (only " + listed + " given)"};
  }
  if (auto error = check_gender_split(shares)) return *error;
  json::object distribution(storage);
  distribution.reserve(gender_keys.size());
  for (std::size_t i = 0; i < gender_keys.size(); ++i) distribution[gender_keys[i]] = shares[i].to_double();
  return std::optional<json::object>(std::move(distribution));
}

std::optional<std::int64_t> integer_at(const json::object& fields, std::string_view key) {
  const auto* v = fields.if_contains(key);
  if (v && v->is_int64()) return v->get_int64();
  return std::nullopt;
}

std::optional<RowError> check_ages(const json::object& fields) {
  for (std::string_view key : {"minAge", "maxAge"}) {
    auto age = integer_at(fields, key);
    if (age && (*age < 0 || *age > max_age))
      return RowError{std::string(key), std::to_string(*age) + " is not between 0 and " + std::to_string(max_age)};
  }
  auto min = integer_at(fields, "minAge");
  auto max = integer_at(fields, "maxAge");
  if (min && max && *min > *max)
    return RowError{"minAge", "minAge " + std::to_string(*min) + " is greater than maxAge " + std::to_string(*max)};
  return std::nullopt;
}

}  // namespace

std::span<const Column> create_columns() { return create_table; }
std::span<const Column> update_columns() { return update_table; }

std::optional<RowError> check_gender_split(std::span<const Decimal, 4> shares) {
  for (std::size_t i = 0; i < shares.size(); ++i)
    if (shares[i].units < 0 || above_one(shares[i]))
      return RowError{std::string(gender_keys[i]), shares[i].to_string() + " is not between 0 and 1"};
  Decimal sum = decimal_sum(shares);
  if (is_exactly_one(sum)) return std::nullopt;
  return RowError{"genderDistribution",
                  "female + male + nonBinary + preferNotToSay = " + sum.to_string() + ", must be exactly 1"};
}

std::variant<json::object, RowError> audience_fields(const Row& row, FieldMode mode, json::storage_ptr storage) {
  json::object fields(storage);
  fields.reserve(create_table.size());
  for (const Column& column : create_table) {
    if (is_gender(column.name)) continue;  // gathered into genderDistribution below
    auto cell = row.get(column.name);
    if (!cell || cell->empty()) {
      if (mode == FieldMode::create && column.required) return missing(column.name);
      // An empty list cell clears the list in a create; in an update it keeps the current one.
      if (cell && mode == FieldMode::create && column.type == CellType::list) fields[column.name] = json::array(storage);
      continue;
    }
    auto value = cell_value(column, *cell, storage);
    if (auto* error = std::get_if<RowError>(&value)) return std::move(*error);
    fields[column.name] = std::move(std::get<json::value>(value));
  }
  auto distribution = gender_distribution(row, mode, storage);
  if (auto* error = std::get_if<RowError>(&distribution)) return std::move(*error);
  if (auto& given = std::get<std::optional<json::object>>(distribution)) fields["genderDistribution"] = std::move(*given);
  if (auto error = check_ages(fields)) return std::move(*error);
  return fields;
}

json::object profile_fields(const json::object& source) {
  json::object profile;
  for (std::string_view key : profile_keys)
    if (const auto* v = source.if_contains(key)) profile[key] = *v;
  return profile;
}

std::variant<json::object, std::string> merged_profile(const json::object& current, const json::object& changes) {
  json::object body = profile_fields(current);
  for (const auto& [key, value] : changes) body[key] = value;
  for (std::string_view key : profile_keys)
    if (!body.contains(key))
      return "the audience has no " + std::string(key) + " and the row gives none; a PUT must carry every field";
  if (auto error = check_ages(body)) return error->reason;
  return body;
}

}  // namespace ab::nf
