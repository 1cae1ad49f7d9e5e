#include "jobs/neuroflash/audience_fields.hpp"

#include "engine/text/json_text.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
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

constexpr Field kName = field(create_table, "name");
// The four shares' columns follow female's, in gender_keys' order.
constexpr Field kFemale = field(create_table, "female");
static_assert([] {
  for (std::size_t i = 0; i < gender_keys.size(); ++i)
    if (create_table[kFemale.index + i].name != gender_keys[i]) return false;
  return true;
}());

// The keys of nf.create's body, quoted at compile time (see QuotedKey).
constexpr auto create_keys = [] {
  std::array<QuotedKey, create_table.size()> keys{};
  for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = QuotedKey(create_table[i].name);
  return keys;
}();
constexpr auto gender_quoted_keys = [] {
  std::array<QuotedKey, gender_keys.size()> keys{};
  for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = QuotedKey(gender_keys[i]);
  return keys;
}();
constexpr QuotedKey gender_distribution_key("genderDistribution");

// `column` is one of create_table's.
const QuotedKey& quoted_key(const Column& column) {
  return create_keys[static_cast<std::size_t>(&column - create_table.data())];
}

constexpr bool is_gender(std::string_view column) {
  return std::find(gender_keys.begin(), gender_keys.end(), column) != gender_keys.end();
}

// What each column of create_table is to put_audience_fields, worked out at
// compile time: comparing every column's name per row cost ~700 instructions.
enum class Role { plain, gender, min_age, max_age };
constexpr auto roles = [] {
  std::array<Role, create_table.size()> r{};
  for (std::size_t i = 0; i < r.size(); ++i)
    r[i] = is_gender(create_table[i].name)        ? Role::gender
           : create_table[i].name == "minAge" ? Role::min_age
           : create_table[i].name == "maxAge" ? Role::max_age
                                                  : Role::plain;
  return r;
}();

RowError missing(std::string_view column) { return {std::string(column), "required, but empty"}; }

// d > 1, without overflowing 10^scale.
bool above_one(const Decimal& d) {
  if (d.scale > 18) return false;  // units < 2^63 < 10^19 <= 10^scale
  std::int64_t one = 1;
  for (unsigned i = 0; i < d.scale; ++i) one *= 10;
  return d.units > one;
}

// Where a row's fields go as they are read: a JSON object (nf.update, which
// merges them into the current profile) or JSON text (nf.create's body).
// `column` is one of create_table's.
class FieldOut {
 public:
  virtual ~FieldOut() = default;
  virtual void text(const Column& column, std::string_view value) = 0;
  virtual void integer(const Column& column, std::int64_t value) = 0;
  virtual void boolean(const Column& column, bool value) = 0;
  virtual void list(const Column& column, std::span<const std::string_view> items) = 0;
  virtual void gender_distribution(std::span<const Decimal, 4> shares) = 0;
};

class ObjectOut final : public FieldOut {
 public:
  explicit ObjectOut(json::storage_ptr storage) : fields(std::move(storage)) {
    fields.reserve(create_table.size());
  }
  void text(const Column& column, std::string_view value) override { fields[column.name] = value; }
  void integer(const Column& column, std::int64_t value) override { fields[column.name] = value; }
  void boolean(const Column& column, bool value) override { fields[column.name] = value; }
  void list(const Column& column, std::span<const std::string_view> items) override {
    json::array& array = fields[column.name].emplace_array();
    array.reserve(items.size());
    for (const auto& item : items) array.emplace_back(item);
  }
  void gender_distribution(std::span<const Decimal, 4> shares) override {
    json::object& distribution = fields["genderDistribution"].emplace_object();
    distribution.reserve(gender_keys.size());
    for (std::size_t i = 0; i < gender_keys.size(); ++i) distribution[gender_keys[i]] = shares[i].to_double();
  }
  json::object fields;
};

class TextOut final : public FieldOut {
 public:
  explicit TextOut(std::string& out) : json_(out) { json_.begin_object(); }
  void text(const Column& column, std::string_view value) override { json_.member_string(quoted_key(column), value); }
  void integer(const Column& column, std::int64_t value) override { json_.member_number(quoted_key(column), value); }
  void boolean(const Column& column, bool value) override { json_.member_boolean(quoted_key(column), value); }
  void list(const Column& column, std::span<const std::string_view> items) override {
    json_.member_strings(quoted_key(column), items);
  }
  // The shares as the row wrote them: the API reads the same doubles.
  void gender_distribution(std::span<const Decimal, 4> shares) override {
    std::array<std::int64_t, 4> units{};
    std::array<unsigned, 4> scales{};
    for (std::size_t i = 0; i < shares.size(); ++i) {
      units[i] = shares[i].units;
      scales[i] = shares[i].scale;
    }
    json_.member_decimals(gender_distribution_key, gender_quoted_keys, units, scales);
  }
  void close() { json_.end_object(); }

 private:
  JsonText json_;
};

// One non-empty cell of a non-gender column, to `out`; an integer also to
// `number` (minAge, maxAge: their check needs both).
template <class Out>
void put_cell(const Column& column, const Fields& fields, Field at, Out& out,
              std::optional<std::int64_t>& number) {
  switch (column.type) {
    case CellType::integer:
      number = fields.integer(at);
      out.integer(column, *number);
      return;
    case CellType::boolean:
      out.boolean(column, *fields.boolean(at));
      return;
    case CellType::list:
      out.list(column, fields.list(at));
      return;
    default:
      out.text(column, fields.text(at));
      return;
  }
}

// The genderDistribution a row gives: all four shares (to `out`), none
// (update only: keep the current ones), or an error.
template <class Out>
std::optional<RowError> put_gender_distribution(const Fields& fields, std::size_t first, FieldMode mode, Out& out) {
  std::array<Decimal, 4> shares{};
  std::array<std::string_view, 4> given{};
  std::size_t given_count = 0;
  std::optional<std::string_view> first_absent;
  for (std::size_t i = 0; i < gender_keys.size(); ++i) {
    const auto share = fields.decimal(Field{first + kFemale.index + i, gender_keys[i]});
    if (!share) {
      if (!first_absent) first_absent = gender_keys[i];
      continue;
    }
    shares[i] = *share;
    given[given_count++] = gender_keys[i];
  }
  if (mode == FieldMode::update && given_count == 0) return std::nullopt;
  if (first_absent) {
    if (mode == FieldMode::create) return missing(*first_absent);
    std::string listed;
    for (std::size_t i = 0; i < given_count; ++i) listed += (listed.empty() ? "" : ", ") + std::string(given[i]);
    return RowError{std::string(*first_absent), "give all four gender shares or none (only " + listed + " given)"};
  }
  if (auto error = check_gender_split(shares)) return *error;
  out.gender_distribution(shares);
  return std::nullopt;
}

std::optional<RowError> check_age_range(std::optional<std::int64_t> min, std::optional<std::int64_t> max) {
  for (auto [key, age] : {std::pair{"minAge", min}, std::pair{"maxAge", max}})
    if (age && (*age < 0 || *age > max_age))
      return RowError{key, std::to_string(*age) + " is not between 0 and " + std::to_string(max_age)};
  if (min && max && *min > *max)
    return RowError{"minAge", "minAge " + std::to_string(*min) + " is greater than maxAge " + std::to_string(*max)};
  return std::nullopt;
}

std::optional<std::int64_t> integer_at(const json::object& fields, std::string_view key) {
  const auto* v = fields.if_contains(key);
  if (v && v->is_int64()) return v->get_int64();
  return std::nullopt;
}

std::optional<RowError> check_ages(const json::object& fields) {
  return check_age_range(integer_at(fields, "minAge"), integer_at(fields, "maxAge"));
}

// Reads and checks every field of the row into `out`, in the table's order,
// genderDistribution last. The row's fields are the create table's from
// `first` on (update_table: after the id).
// A template on the (final) FieldOut: its calls are direct, and inlined.
template <class Out>
std::optional<RowError> put_audience_fields(const Fields& fields, FieldMode mode, Out& out) {
  const std::size_t first = mode == FieldMode::update ? 1 : 0;
  std::optional<std::int64_t> min_age;
  std::optional<std::int64_t> max_age_given;
  std::optional<std::int64_t> unused;
  for (std::size_t i = 0; i < create_table.size(); ++i) {
    const Column& column = create_table[i];
    const Role role = roles[i];
    if (role == Role::gender) continue;  // gathered into genderDistribution below
    const Field at{first + i, column.name};
    if (fields.empty(at)) {
      // An empty list cell clears the list in a create; in an update it keeps the current one.
      if (fields.in_header(at) && mode == FieldMode::create && column.type == CellType::list) out.list(column, {});
      continue;
    }
    auto& number = role == Role::min_age ? min_age : role == Role::max_age ? max_age_given : unused;
    put_cell(column, fields, at, out, number);
  }
  if (auto error = put_gender_distribution(fields, first, mode, out)) return error;
  return check_age_range(min_age, max_age_given);
}

}  // namespace

std::span<const Column> create_columns() { return create_table; }
std::span<const Column> update_columns() { return update_table; }

std::optional<RowError> check_gender_split(std::span<const Decimal, 4> shares) {
  for (std::size_t i = 0; i < shares.size(); ++i)
    if (shares[i].units < 0 || above_one(shares[i]))
      return RowError{std::string(gender_keys[i]), shares[i].to_string() + " is not between 0 and 1"};
  if (sums_to_one(shares)) return std::nullopt;
  const Decimal sum = decimal_sum(shares);
  return RowError{"genderDistribution",
                  "female + male + nonBinary + preferNotToSay = " + sum.to_string() + ", must be exactly 1"};
}

std::variant<json::object, RowError> audience_fields(const Fields& fields, FieldMode mode, json::storage_ptr storage) {
  ObjectOut out(std::move(storage));
  if (auto error = put_audience_fields(fields, mode, out)) return std::move(*error);
  return std::move(out.fields);
}

std::variant<CreateBody, RowError> create_body(const Fields& fields) {
  CreateBody body;
  body.json.reserve(512);
  TextOut out(body.json);
  if (auto error = put_audience_fields(fields, FieldMode::create, out)) return std::move(*error);
  out.close();
  body.name = fields.text(kName);
  return body;
}

NameText created_name(std::string_view body) {
  constexpr std::string_view prefix = R"({"name":")";
  if (body.starts_with(prefix)) {
    const std::string_view rest = body.substr(prefix.size());
    const std::size_t end = rest.find('"');
    if (end != std::string_view::npos && rest.substr(0, end).find('\\') == std::string_view::npos)
      return NameText(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(end));
  }
  // An escaped name: read as JSON.
  const json::value parsed = json::parse(body);
  const json::string& name = parsed.as_object().at("name").as_string();
  return NameText(name.begin(), name.end());
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
