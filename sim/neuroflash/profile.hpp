// The demographic profile of a neuroflash target audience (API.md §A4, §A5):
// which fields exist, which a create needs, and what a PUT must carry.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace ab::sim {

// Every field of the profile, in the order answers list them. A PUT must
// carry all of them; a create needs only `name` and `genderDistribution`
// (SPEC.md §4: an empty optional cell leaves the field out of a create).
inline constexpr std::array<std::string_view, 11> profile_fields{
    "name", "country", "genderDistribution", "interests", "maxAge", "minAge",
    "nativeLanguage", "needs", "painPoints", "residence", "shared"};

inline constexpr std::array<std::string_view, 4> gender_keys{"female", "male", "nonBinary", "preferNotToSay"};

// The decimal sum of a split must be 1; binary doubles of a correct split may
// miss by one ulp (0.7+0.1+0.1+0.1), so this much is forgiven (API.md §A4, assumed).
inline constexpr double gender_sum_tolerance = 1e-9;

struct FieldError {
  std::string field;
  std::string message;
};

enum class ProfileUse { create, replace };

struct ProfileCheck {
  boost::json::object profile;             // every profile field, absent ones at their defaults
  std::vector<FieldError> errors;          // empty: valid
  std::vector<std::string> missing;        // replace: the profile fields the body left out
  bool ok() const { return errors.empty(); }
};

// Validates a create or PUT body. Fields outside the profile (id, permissions,
// timestamps a client echoes from a GET) are ignored, except that an `id`
// must be the audience's own (`expected_id`, replace only). The profile is
// built in `storage` (the handler passes a per-request arena).
ProfileCheck check_profile(const boost::json::value& body, ProfileUse use, std::string_view expected_id = {},
                           boost::json::storage_ptr storage = {});

// {"errors": [{"field": f, "message": m, "type": "validation"}, ...]} (API.md §A6).
boost::json::value validation_errors(const std::vector<FieldError>& errors);

}  // namespace ab::sim
