// A target audience's fields (API.md §A4) as job-file columns and as JSON:
// the column declarations of nf.create and nf.update, the checks the docs
// state (gender shares summing to exactly 1 in decimal, ages), and the full
// profile a PUT must carry.
#pragma once

#include "engine/input/cells.hpp"
#include "engine/input/columns.hpp"
#include "engine/input/fields.hpp"
#include "engine/run/job_kind.hpp"

#include <boost/container/small_vector.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace ab::nf {

// The keys of genderDistribution; each is also a column of the same name.
inline constexpr std::array<std::string_view, 4> gender_keys = {"female", "male", "nonBinary", "preferNotToSay"};

// Every field of a full demographic profile: what each PUT carries.
inline constexpr std::array<std::string_view, 11> profile_keys = {
    "country", "genderDistribution", "interests", "maxAge",    "minAge", "name",
    "nativeLanguage", "needs",        "painPoints", "residence", "shared"};

inline constexpr std::int64_t max_age = 150;

// nf.create: name and the four gender shares required, the rest optional.
std::span<const Column> create_columns();
// nf.update: id required, then every create column, optional.
std::span<const Column> update_columns();

enum class FieldMode {
  create,  // an empty list cell sends []; the gender shares are required
  update,  // an empty cell keeps the current value; the gender shares come all four or none
};

// The body fields a row gives, from its typed cells (`fields`, of
// create_columns() or update_columns() by `mode`), checked: each gender share
// in [0, 1] and the four summing to exactly 1, ages in 0..150 with minAge <=
// maxAge. Empty optional cells are left out. Every value is allocated from
// `storage`.
std::variant<boost::json::object, RowError> audience_fields(const Fields& fields, FieldMode mode,
                                                            boost::json::storage_ptr storage = {});

// nf.create's request body, as JSON text written straight from the row's
// fields (those and the checks of audience_fields in create mode, without a
// DOM), and the audience's name for messages about it.
struct CreateBody {
  std::string_view name;  // into the row
  std::string json;
};
std::variant<CreateBody, RowError> create_body(const Fields& fields);

// The audience's name in a body create_body wrote (its first field), read
// back unescaped, so that a Task need not carry a copy (a JSON object per row
// cost ~1,500 instructions). Inline room for the usual names: no allocation.
using NameText = boost::container::small_vector<char, 64>;
NameText created_name(std::string_view body);

// nullopt when the four shares are each in [0, 1] and sum to exactly 1, else
// the error, e.g. "female + male + nonBinary + preferNotToSay = 1.1, must be exactly 1".
std::optional<RowError> check_gender_split(std::span<const Decimal, 4> shares);

// The profile fields of `source` (an audience or an imported profile), nothing else.
boost::json::object profile_fields(const boost::json::object& source);

// `changes` laid over the profile of `current`: the full body of a PUT. An
// error (one line) when a field would be missing or minAge would exceed maxAge.
std::variant<boost::json::object, std::string> merged_profile(const boost::json::object& current,
                                                              const boost::json::object& changes);

}  // namespace ab::nf
