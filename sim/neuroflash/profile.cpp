#include "sim/neuroflash/profile.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

namespace ab::sim {

namespace {

namespace json = boost::json;

// Assumed bounds (API.md is silent): generous enough for any real audience.
constexpr std::size_t max_text_length = 255;
constexpr std::int64_t max_age = 120;

std::string gender_path(std::string_view key) {
  std::string path("genderDistribution.");
  path.append(key);
  return path;
}

// Checks one field's value and writes its normalised form into the profile.
class FieldChecker {
 public:
  FieldChecker(const json::object& body, ProfileCheck& check) : body_(body), check_(check) {}

  // The value of `field`, or nullptr when absent or null.
  const json::value* present(std::string_view field) const {
    auto it = body_.find(field);
    return it == body_.end() || it->value().is_null() ? nullptr : &it->value();
  }

  void fail(std::string_view field, std::string message) { check_.errors.push_back({std::string(field), std::move(message)}); }

  void text(std::string_view field, bool required) {
    const json::value* v = present(field);
    check_.profile[field] = nullptr;
    if (!v) {
      if (required) fail(field, "is required");
      return;
    }
    if (!v->is_string()) return fail(field, "must be a string");
    const auto& s = v->get_string();
    if (s.size() > max_text_length) return fail(field, "must be at most 255 characters");
    if (required && std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; }))
      return fail(field, "must not be blank");
    check_.profile[field] = s;
  }

  void text_list(std::string_view field) {
    const json::value* v = present(field);
    check_.profile[field] = json::array(check_.profile.storage());
    if (!v) return;
    if (!v->is_array()) return fail(field, "must be a list of strings");
    for (const auto& item : v->get_array())
      if (!item.is_string() || item.get_string().size() > max_text_length)
        return fail(field, "must be a list of strings of at most 255 characters");
    check_.profile[field] = v->get_array();
  }

  std::optional<std::int64_t> age(std::string_view field) {
    const json::value* v = present(field);
    check_.profile[field] = nullptr;
    if (!v) return std::nullopt;
    std::optional<std::int64_t> years;
    if (v->is_int64()) years = v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(max_age)) years = static_cast<std::int64_t>(v->get_uint64());
    if (!years) {
      fail(field, "must be an integer");
      return std::nullopt;
    }
    if (*years < 0 || *years > max_age) {
      fail(field, "must be between 0 and 120");
      return std::nullopt;
    }
    check_.profile[field] = *years;
    return years;
  }

  void boolean(std::string_view field) {
    const json::value* v = present(field);
    check_.profile[field] = false;
    if (!v) return;
    if (!v->is_bool()) return fail(field, "must be true or false");
    check_.profile[field] = v->get_bool();
  }

  void gender_distribution() {
    constexpr std::string_view field = "genderDistribution";
    const json::value* v = present(field);
    check_.profile[field] = nullptr;
    if (!v) return fail(field, "is required, with female, male, nonBinary and preferNotToSay");
    if (!v->is_object()) return fail(field, "must be an object");
    const auto& split = v->get_object();
    bool valid = true;
    double sum = 0;
    for (auto key : gender_keys) {
      auto it = split.find(key);
      if (it == split.end() || !it->value().is_number()) {
        fail(gender_path(key), it == split.end() ? "is required" : "must be a number");
        valid = false;
        continue;
      }
      const double share = it->value().to_number<double>();
      if (!(share >= 0.0 && share <= 1.0)) {
        fail(gender_path(key), "must be between 0 and 1");
        valid = false;
      }
      sum += share;
    }
    for (const auto& member : split) {
      if (std::find(gender_keys.begin(), gender_keys.end(), member.key()) == gender_keys.end()) {
        fail(gender_path(member.key()), "is not a gender key");
        valid = false;
      }
    }
    if (!valid) return;
    if (std::abs(sum - 1.0) > gender_sum_tolerance) return fail(field, "values must sum to exactly 1.0");
    json::object normalised(check_.profile.storage());
    for (auto key : gender_keys) normalised[key] = split.at(key);
    check_.profile[field] = std::move(normalised);
  }

 private:
  const json::object& body_;
  ProfileCheck& check_;
};

}  // namespace

ProfileCheck check_profile(const json::value& body, ProfileUse use, std::string_view expected_id,
                           json::storage_ptr storage) {
  ProfileCheck check{json::object(std::move(storage)), {}, {}};
  if (!body.is_object()) {
    check.errors.push_back({"body", "must be a JSON object"});
    return check;
  }
  const auto& fields = body.get_object();
  if (use == ProfileUse::replace) {
    for (auto field : profile_fields)
      if (!fields.contains(field)) check.missing.emplace_back(field);
    for (const auto& field : check.missing) check.errors.push_back({field, "is required: PUT replaces the whole profile"});
    if (auto id = fields.find("id"); id != fields.end() && !(id->value().is_string() && id->value().get_string() == expected_id))
      check.errors.push_back({"id", "does not match the audience in the path"});
  }
  FieldChecker checker(fields, check);
  // Fields a PUT left out are reported once, as missing, not again as invalid.
  auto reported = [&](std::string_view field) {
    return std::find(check.missing.begin(), check.missing.end(), field) != check.missing.end();
  };
  const std::size_t before = check.errors.size();
  checker.text("name", true);
  checker.text("country", false);
  checker.gender_distribution();
  checker.text_list("interests");
  const auto max = checker.age("maxAge");
  const auto min = checker.age("minAge");
  if (min && max && *min > *max) checker.fail("minAge", "must not exceed maxAge");
  checker.text("nativeLanguage", false);
  checker.text_list("needs");
  checker.text_list("painPoints");
  checker.text("residence", false);
  checker.boolean("shared");
  check.errors.erase(std::remove_if(check.errors.begin() + static_cast<std::ptrdiff_t>(before), check.errors.end(),
                                    [&](const FieldError& e) { return reported(e.field); }),
                     check.errors.end());
  return check;
}

json::value validation_errors(const std::vector<FieldError>& errors) {
  json::array list;
  for (const auto& e : errors) list.push_back(json::object{{"field", e.field}, {"message", e.message}, {"type", "validation"}});
  return json::object{{"errors", std::move(list)}};
}

}  // namespace ab::sim
