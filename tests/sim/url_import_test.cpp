// The URL import's checks and its deterministic, plausible profiles (API.md §A3).
#include "sim/neuroflash/profile.hpp"
#include "sim/neuroflash/url_import.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <set>

namespace ab::sim {
namespace {

namespace json = boost::json;

json::value import_body(json::array urls) {
  return json::object{{"audienceModelId", known_audience_model}, {"urls", std::move(urls)}};
}

TEST(UrlImport, TakesTheHostsOfAbsoluteHttpUrls) {
  auto check = check_url_import(import_body({"https://WWW.Your-Brand.com/about?x=1", "http://shop.example.de:8080"}));
  ASSERT_TRUE(check.errors.empty());
  EXPECT_EQ(check.hosts, (std::vector<std::string>{"your-brand.com", "shop.example.de"}));
}

TEST(UrlImport, RefusesMissingModelsUrlsAndNonHttpUrls) {
  EXPECT_EQ(check_url_import(json::object{}).errors.size(), 2u);
  EXPECT_EQ(check_url_import(json::array{}).errors.at(0).field, "body");
  auto check = check_url_import(import_body({"mailto:x@y.z", "https://", "your-brand.com", "HTTPS://OK.COM"}));
  ASSERT_EQ(check.errors.size(), 3u);
  EXPECT_EQ(check.errors[2].field, "urls[2]");
  auto not_a_list = check_url_import(json::object{{"audienceModelId", known_audience_model}, {"urls", "https://a.com"}});
  EXPECT_EQ(not_a_list.errors.at(0).field, "urls");
}

TEST(UrlImport, TheSameHostsAlwaysGiveTheSameProfile) {
  EXPECT_EQ(profile_from_hosts({"your-brand.com"}), profile_from_hosts({"your-brand.com"}));
  EXPECT_NE(profile_from_hosts({"your-brand.com"}), profile_from_hosts({"other-brand.com"}));
  EXPECT_NE(profile_from_hosts({"a.com", "b.com"}), profile_from_hosts({"b.com", "a.com"}));
}

TEST(UrlImport, ProfilesAreValidCreateBodiesWithWholePercentSplits) {
  std::set<std::string> names;
  for (int i = 0; i < 200; ++i) {
    const auto host = "brand-" + std::to_string(i) + (i % 2 ? ".de" : ".com");
    const auto profile = profile_from_hosts({host});
    EXPECT_TRUE(check_profile(profile, ProfileUse::create).ok()) << json::serialize(profile);
    EXPECT_TRUE(check_profile(profile, ProfileUse::replace).ok());
    long percents = 0;
    for (const auto& [key, share] : profile.at("genderDistribution").as_object()) {
      const double percent = share.as_double() * 100;
      EXPECT_NEAR(percent, std::round(percent), 1e-9) << key;
      percents += std::lround(percent);
    }
    EXPECT_EQ(percents, 100);
    EXPECT_LT(profile.at("minAge").as_int64(), profile.at("maxAge").as_int64());
    names.insert(std::string(profile.at("name").as_string()));
  }
  EXPECT_EQ(names.size(), 200u);
}

TEST(UrlImport, CountryAndLanguageFollowACountryDomain) {
  const auto german = profile_from_hosts({"beispiel.de"});
  EXPECT_EQ(german.at("country"), "DE");
  EXPECT_EQ(german.at("nativeLanguage"), "de");
  const auto british = profile_from_hosts({"example.co.uk"});
  EXPECT_EQ(british.at("country"), "GB");
  EXPECT_EQ(british.at("name"), "Visitors of example.co.uk");
  EXPECT_EQ(profile_from_hosts({"a.com", "b.com"}).at("name"), "Visitors of a.com and 1 more");
}

TEST(UrlImport, ALongHostStillGivesAValidName) {
  std::string host(300, 'a');
  host.append(".com");
  const auto profile = profile_from_hosts({host});
  EXPECT_TRUE(check_profile(profile, ProfileUse::create).ok());
}

}  // namespace
}  // namespace ab::sim
