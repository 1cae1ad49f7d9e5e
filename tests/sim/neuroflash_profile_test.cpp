// Validation of a target audience's profile (API.md §A4, §A5): the four gender
// keys, the decimal sum, types and ranges, and PUT's full replace.
#include "sim/neuroflash/profile.hpp"
#include "sim/support/neuroflash_fixture.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace ab::sim::test {
namespace {

namespace json = boost::json;

json::object with_split(double female, double male, double non_binary, double prefer_not_to_say) {
  auto body = seed_profile();
  body["genderDistribution"] = json::object{
      {"female", female}, {"male", male}, {"nonBinary", non_binary}, {"preferNotToSay", prefer_not_to_say}};
  return body;
}

std::vector<std::string> fields_of(const ProfileCheck& check) {
  std::vector<std::string> fields;
  for (const auto& e : check.errors) fields.push_back(e.field);
  return fields;
}

TEST(NeuroflashProfile, AcceptsSplitsWhoseDecimalSumIsOneEvenWhenTheBinarySumIsNot) {
  // API.md §A4: these two sum to 0.9999999999999999 in doubles.
  ASSERT_NE(0.7 + 0.1 + 0.1 + 0.1, 1.0);
  for (const auto& body : {with_split(0.5, 0.4, 0.07, 0.03), with_split(0.7, 0.1, 0.1, 0.1),
                           with_split(0.35, 0.35, 0.21, 0.09), with_split(1, 0, 0, 0)}) {
    EXPECT_TRUE(check_profile(body, ProfileUse::create).ok()) << json::serialize(body);
  }
}

TEST(NeuroflashProfile, AcceptsIntegerShares) {
  auto body = seed_profile();
  body["genderDistribution"] = json::parse(R"({"female": 1, "male": 0, "nonBinary": 0, "preferNotToSay": 0})");
  EXPECT_TRUE(check_profile(body, ProfileUse::create).ok());
}

TEST(NeuroflashProfile, RefusesSplitsThatDoNotSumToOne) {
  for (const auto& body : {with_split(0.5, 0.4, 0.07, 0.02), with_split(0.5, 0.4, 0.07, 0.04),
                           with_split(0.5, 0.4, 0.07, 0.03 + 1e-8)}) {
    auto check = check_profile(body, ProfileUse::create);
    EXPECT_EQ(fields_of(check), std::vector<std::string>{"genderDistribution"}) << json::serialize(body);
  }
}

TEST(NeuroflashProfile, NamesEachMissingWrongOrExtraGenderKey) {
  auto body = seed_profile();
  body["genderDistribution"] = json::parse(R"({"female": 0.5, "male": "0.4", "preferNotToSay": 1.5, "other": 0})");
  auto check = check_profile(body, ProfileUse::create);
  EXPECT_EQ(fields_of(check), (std::vector<std::string>{"genderDistribution.male", "genderDistribution.nonBinary",
                                                        "genderDistribution.preferNotToSay",
                                                        "genderDistribution.other"}));
  body["genderDistribution"] = json::array{0.5, 0.5};
  EXPECT_EQ(fields_of(check_profile(body, ProfileUse::create)), std::vector<std::string>{"genderDistribution"});
  EXPECT_FALSE(check_profile(with_split(-0.1, 0.6, 0.3, 0.2), ProfileUse::create).ok());
}

TEST(NeuroflashProfile, ACreateNeedsANameAndASplitOnly) {
  auto check = check_profile(json::object{}, ProfileUse::create);
  EXPECT_EQ(fields_of(check), (std::vector<std::string>{"name", "genderDistribution"}));
  auto blank = seed_profile();
  blank["name"] = "  ";
  EXPECT_EQ(fields_of(check_profile(blank, ProfileUse::create)), std::vector<std::string>{"name"});
  auto nulls = seed_profile();
  nulls["country"] = nullptr;
  nulls["interests"] = nullptr;
  auto accepted = check_profile(nulls, ProfileUse::create);
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted.profile.at("interests"), json::array{});
}

TEST(NeuroflashProfile, ChecksTypesAndRangesOfEveryField) {
  auto body = seed_profile();
  body["country"] = 49;
  body["interests"] = json::array{"AI", 3};
  body["maxAge"] = 45.5;
  body["minAge"] = -1;
  body["nativeLanguage"] = json::array{};
  body["needs"] = "one need";
  body["painPoints"] = json::object{};
  body["residence"] = std::string(256, 'x');
  body["shared"] = "yes";
  EXPECT_EQ(fields_of(check_profile(body, ProfileUse::create)),
            (std::vector<std::string>{"country", "interests", "maxAge", "minAge", "nativeLanguage", "needs",
                                      "painPoints", "residence", "shared"}));
  auto inverted = seed_profile();
  inverted["minAge"] = 50;
  EXPECT_EQ(fields_of(check_profile(inverted, ProfileUse::create)), std::vector<std::string>{"minAge"});
  auto huge = seed_profile();
  huge["maxAge"] = json::parse("18446744073709551615");
  EXPECT_EQ(fields_of(check_profile(huge, ProfileUse::create)), std::vector<std::string>{"maxAge"});
}

TEST(NeuroflashProfile, AReplaceMustCarryEveryProfileFieldAndIgnoresReadOnlyOnes) {
  auto body = seed_profile();
  body.erase("residence");
  body.erase("shared");
  auto check = check_profile(body, ProfileUse::replace, "id-1");
  EXPECT_EQ(check.missing, (std::vector<std::string>{"residence", "shared"}));
  EXPECT_EQ(fields_of(check), (std::vector<std::string>{"residence", "shared"}));

  auto echoed = seed_profile();
  echoed["id"] = "id-1";
  echoed["permissions"] = json::object{{"canUpdate", true}};
  echoed["createdAt"] = "2024-01-01T00:00:00Z";
  auto accepted = check_profile(echoed, ProfileUse::replace, "id-1");
  EXPECT_TRUE(accepted.ok());
  EXPECT_FALSE(accepted.profile.contains("permissions"));
  EXPECT_EQ(accepted.profile.size(), profile_fields.size());
}

TEST(NeuroflashProfile, ANonObjectBodyIsOneError) {
  EXPECT_EQ(fields_of(check_profile(json::array{}, ProfileUse::create)), std::vector<std::string>{"body"});
  EXPECT_EQ(fields_of(check_profile(nullptr, ProfileUse::replace)), std::vector<std::string>{"body"});
}

TEST(NeuroflashProfile, ValidationErrorsHaveTheDocumentedShape) {
  auto body = validation_errors({{"genderDistribution", "values must sum to exactly 1.0"}});
  EXPECT_EQ(body, json::parse(R"({"errors": [{"field": "genderDistribution",
                                  "message": "values must sum to exactly 1.0", "type": "validation"}]})"));
}

}  // namespace
}  // namespace ab::sim::test
